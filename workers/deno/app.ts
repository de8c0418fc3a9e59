/**
 * The edge layer as a `deno serve` module: `export default { fetch }`.
 *
 *   deno serve --host 127.0.0.1 --port 8000 --allow-net --allow-env workers/deno/app.ts
 *
 * Configuration comes from the environment, with the same names and defaults as the
 * Cloudflare Worker (the shared `@edge-cors/edge` module reads and applies them):
 * CORS_POLICY, UPSTREAM_URL, UPSTREAM_TIMEOUT_MS, CORS_UPSTREAM_HEADERS, CORS_DECISION_LOG,
 * CORS_DECISION_LOG_RATE (decision log lines on stdout, docs/deno.md). It is read and
 * validated once, when the module loads: a bad value stops the process with every problem
 * listed, before it accepts a single request.
 *
 * This file never starts a server itself (`deno serve` sets `import.meta.main` here too);
 * `main.ts` is the `Deno.serve` starter for `deno run` and Deno Deploy.
 */
import { CorsConfigError } from "@edge-cors/core";
import { type EdgeConfig, type EdgeVars, readEdgeConfig } from "@edge-cors/edge";
import { denoEdgeLayer } from "./layer.ts";

/** The variables the layer reads; only these need `--allow-env`. */
export const ENV_NAMES = [
  "CORS_POLICY",
  "UPSTREAM_URL",
  "UPSTREAM_TIMEOUT_MS",
  "CORS_UPSTREAM_HEADERS",
  "CORS_DECISION_LOG",
  "CORS_DECISION_LOG_RATE",
] as const satisfies readonly (keyof EdgeVars)[];

function readVars(): EdgeVars {
  const vars: EdgeVars = {};
  for (const name of ENV_NAMES) vars[name] = Deno.env.get(name);
  return vars;
}

function load(): EdgeConfig {
  try {
    return readEdgeConfig(readVars());
  } catch (e) {
    if (!(e instanceof CorsConfigError)) throw e;
    console.error(`edge-cors: refusing to start.\n${e.message}`);
    Deno.exit(1);
  }
}

export const config: EdgeConfig = load();
for (const w of config.warnings) console.warn(`edge-cors: warning: ${w.path}: ${w.message}`);

const layer = denoEdgeLayer(config);

/** One line describing what this instance serves (policy source and upstream). */
export function describe(c: EdgeConfig = config): string {
  const policy =
    c.policySource === "default" ? "embedded default policy (CORS_POLICY unset)" : "CORS_POLICY";
  const upstream =
    c.upstream === null ? "built-in demo upstream (UPSTREAM_URL unset)" : c.upstream.href;
  return `policy: ${policy}; upstream: ${upstream}; timeout: ${c.timeoutMs} ms`;
}

export default {
  fetch(request: Request): Promise<Response> {
    return layer(request);
  },
} satisfies Deno.ServeDefaultExport;
