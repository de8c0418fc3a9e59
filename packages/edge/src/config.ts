import { type Cors, CorsConfigError, loadCors, type PolicyIssue } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import type { DecisionLog } from "./decision-log.ts";
import {
  type DecisionLogVars,
  observerForPolicy,
  readDecisionLog,
} from "./decision-log-settings.ts";
import { DEFAULT_POLICY } from "./default-policy.ts";
import { isUnset, numberOf } from "./var-values.ts";

/**
 * What to do with the upstream's own `Access-Control-*` response headers.
 * - `"replace"` (default): drop them all; the response carries only the policy's headers
 *   (like a CloudFront response-headers policy with origin override).
 * - `"merge"`: keep them; where the policy sets the same header, the policy's value wins.
 *   Use it while migrating an API that already answers some CORS itself.
 */
export type UpstreamCorsMode = "replace" | "merge";

/** The environment variables the edge layers read (Cloudflare `[vars]`, Deno `Deno.env`). */
export interface EdgeVars extends DecisionLogVars {
  /** The policy: a JSON string, or an already-parsed object (a TOML table in wrangler.toml). */
  CORS_POLICY?: unknown;
  /** The origin to proxy to, e.g. `https://api.example.com` (a path prefix is kept). */
  UPSTREAM_URL?: unknown;
  /** Milliseconds to wait for the upstream's response headers before answering 504. */
  UPSTREAM_TIMEOUT_MS?: unknown;
  /** `replace` (default) or `merge`: see {@link UpstreamCorsMode}. */
  CORS_UPSTREAM_HEADERS?: unknown;
}

/** Validated edge settings, ready for `createEdgeLayer`: the policy is compiled, once. */
export interface EdgeConfig {
  cors: Cors;
  /** The policy as configured (parsed), for display; `cors` is its compiled form. */
  policy: unknown;
  /** Where the policy came from: the variable, or the embedded default. */
  policySource: "CORS_POLICY" | "default";
  /** The upstream origin, or `null` for the built-in demo upstream. */
  upstream: URL | null;
  timeoutMs: number;
  upstreamCors: UpstreamCorsMode;
  /** Accepted but suspicious parts of the policy. */
  warnings: PolicyIssue[];
  /** The isolate's decision log (CORS_DECISION_LOG…): `cors` is compiled with its observer. */
  decisionLog: DecisionLog;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const MAX_TIMEOUT_MS = 600_000;

/**
 * Load a policy from configuration (a JSON string, or an object such as a TOML table) with the
 * Public Suffix List: compiled once, or every problem with paths prefixed by `source`
 * (e.g. `CORS_POLICY.allowOrigins[1]`). With `decisionLog`, the compiled policy tells it every
 * decision. Never throws.
 */
export function loadEdgePolicy(
  input: unknown,
  source = "CORS_POLICY",
  decisionLog: DecisionLog | null = null,
) {
  if (
    typeof input !== "string" &&
    (typeof input !== "object" || input === null || Array.isArray(input))
  ) {
    return {
      ok: false as const,
      issues: [
        {
          code: "policy-not-object",
          path: source,
          message: "must be a JSON object, or a string holding one",
        },
      ],
      warnings: [],
    };
  }
  return loadCors(input, {
    source,
    publicSuffixes,
    observe: observerForPolicy(decisionLog, input),
  });
}

function readUpstream(value: unknown, issues: PolicyIssue[]): URL | null {
  if (isUnset(value)) return null;
  const path = "UPSTREAM_URL";
  if (typeof value !== "string") {
    issues.push({
      code: "upstream-url-invalid",
      path,
      message: 'must be a URL string such as "https://api.example.com"',
    });
    return null;
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    issues.push({
      code: "upstream-url-invalid",
      path,
      message: `"${value}" is not an absolute URL (e.g. "https://api.example.com")`,
    });
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    issues.push({
      code: "upstream-url-invalid",
      path,
      message: `must use http: or https:, not ${url.protocol}`,
    });
  }
  if (url.username !== "" || url.password !== "") {
    issues.push({
      code: "upstream-url-invalid",
      path,
      message: "must not contain credentials; send them as a header from the upstream side",
    });
  }
  if (url.search !== "" || url.hash !== "" || value.includes("?") || value.includes("#")) {
    issues.push({
      code: "upstream-url-invalid",
      path,
      message: "must not contain a query or fragment: the request's own query is forwarded",
    });
  }
  return url;
}

function readTimeout(value: unknown, issues: PolicyIssue[]): number {
  if (isUnset(value)) return DEFAULT_TIMEOUT_MS;
  const n = numberOf(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_TIMEOUT_MS) {
    issues.push({
      code: "upstream-timeout-invalid",
      path: "UPSTREAM_TIMEOUT_MS",
      message: `must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${JSON.stringify(value)}`,
    });
    return DEFAULT_TIMEOUT_MS;
  }
  return n;
}

function readUpstreamCors(value: unknown, issues: PolicyIssue[]): UpstreamCorsMode {
  if (isUnset(value)) return "replace";
  const v = typeof value === "string" ? value.trim().toLowerCase() : value;
  if (v === "replace" || v === "merge") return v;
  issues.push({
    code: "upstream-headers-invalid",
    path: "CORS_UPSTREAM_HEADERS",
    message: `must be "replace" (drop the upstream's Access-Control-* headers) or "merge" (keep them), got ${JSON.stringify(value)}`,
  });
  return "replace";
}

/**
 * Read every edge variable. Unset variables mean: the embedded default policy, the built-in
 * demo upstream, a 30 s timeout, `replace`. Throws one `CorsConfigError` listing every
 * problem in every variable.
 */
export function readEdgeConfig(vars: EdgeVars): EdgeConfig {
  const issues: PolicyIssue[] = [];
  const logIssues: PolicyIssue[] = [];
  const decisionLog = readDecisionLog(vars, logIssues);
  const fromVar = !isUnset(vars.CORS_POLICY);
  const loaded = fromVar
    ? loadEdgePolicy(vars.CORS_POLICY, "CORS_POLICY", decisionLog)
    : loadEdgePolicy(DEFAULT_POLICY, "", decisionLog);
  if (!loaded.ok) issues.push(...loaded.issues);
  const upstream = readUpstream(vars.UPSTREAM_URL, issues);
  const timeoutMs = readTimeout(vars.UPSTREAM_TIMEOUT_MS, issues);
  const upstreamCors = readUpstreamCors(vars.CORS_UPSTREAM_HEADERS, issues);
  issues.push(...logIssues);
  if (!loaded.ok || issues.length > 0) throw new CorsConfigError(issues, loaded.warnings);
  const configured = vars.CORS_POLICY;
  return {
    cors: loaded.cors,
    policy: !fromVar
      ? DEFAULT_POLICY
      : typeof configured === "string"
        ? JSON.parse(configured)
        : configured,
    policySource: fromVar ? "CORS_POLICY" : "default",
    upstream,
    timeoutMs,
    upstreamCors,
    warnings: [...loaded.warnings],
    decisionLog,
  };
}
