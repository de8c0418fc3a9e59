import { CorsConfigError, formatIssues, type PolicyIssue } from "@edge-cors/core";
import { createEdgeLayer, type EdgeConfig, type EdgeLayer, readEdgeConfig } from "@edge-cors/edge";
import type { Env } from "./env.ts";
import { DEFAULT_KV_KEY, DEFAULT_KV_TTL_MS, KvPolicy, MAX_KV_TTL_MS } from "./kv-policy.ts";

/** What one isolate built from one `env`: the layer, or why the configuration is refused. */
export type WorkerState =
  | { ok: true; layer: EdgeLayer; kv: KvPolicy | null; config: EdgeConfig }
  | { ok: false; issues: readonly PolicyIssue[] };

function kvTtl(value: unknown, issues: PolicyIssue[]): number {
  if (value === undefined || value === null || value === "") return DEFAULT_KV_TTL_MS;
  const n = typeof value === "number" ? value : Number(String(value).trim());
  if (Number.isInteger(n) && n >= 0 && n <= MAX_KV_TTL_MS) return n;
  issues.push({
    code: "kv-ttl-invalid",
    path: "CORS_POLICY_KV_TTL_MS",
    message: `must be a whole number of milliseconds from 0 to ${MAX_KV_TTL_MS}, got ${JSON.stringify(value)}`,
  });
  return DEFAULT_KV_TTL_MS;
}

/** Read and compile the Worker's configuration. Never throws: a bad config becomes `ok: false`. */
export function buildState(env: Env): WorkerState {
  const issues: PolicyIssue[] = [];
  const ttl = kvTtl(env.CORS_POLICY_KV_TTL_MS, issues);
  let config: EdgeConfig | null = null;
  try {
    config = readEdgeConfig(env);
  } catch (e) {
    if (!(e instanceof CorsConfigError)) throw e;
    issues.unshift(...e.issues);
  }
  if (config === null || issues.length > 0) {
    console.error(
      `edge-cors: the Worker's configuration is invalid, every request gets a 500:\n${formatIssues(issues)}`,
    );
    return { ok: false, issues };
  }
  if (config.warnings.length > 0)
    console.warn(`edge-cors: policy warnings:\n${formatIssues(config.warnings)}`);
  const settings = {
    // A service binding wins over a URL: requests reach the bound Worker with their own URL.
    upstream: env.UPSTREAM ?? config.upstream,
    timeoutMs: config.timeoutMs,
    upstreamCors: config.upstreamCors,
  };
  const layer = createEdgeLayer({ ...settings, policy: config.cors });
  const kv =
    env.CORS_KV === undefined
      ? null
      : new KvPolicy({
          kv: env.CORS_KV,
          key: env.CORS_POLICY_KV_KEY || DEFAULT_KV_KEY,
          ttlMs: ttl,
          decisionLog: config.decisionLog,
          build: (cors) => createEdgeLayer({ ...settings, policy: cors }),
        });
  return { ok: true, layer, kv, config };
}

/** The answer while the configuration is invalid: no policy to apply, so no CORS headers. */
export function misconfigured(): Response {
  return new Response(
    JSON.stringify({
      error: "edge_cors_misconfigured",
      detail: "The CORS layer's configuration is invalid; see the Worker logs.",
    }),
    {
      status: 500,
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    },
  );
}
