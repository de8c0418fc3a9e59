import type { EdgeVars } from "@edge-cors/edge";

/**
 * The Worker's bindings. Every one is optional: with none, the Worker serves the embedded
 * default policy in front of the built-in demo upstream.
 */
export interface Env extends EdgeVars {
  /** The policy: a JSON string, or a TOML table under `[vars.CORS_POLICY]`. */
  CORS_POLICY?: string | object;
  /** The origin to proxy to. Ignored when the `UPSTREAM` service binding is set. */
  UPSTREAM_URL?: string;
  /** Milliseconds to wait for the upstream's response headers (default 30000), then 504. */
  UPSTREAM_TIMEOUT_MS?: string | number;
  /** `replace` (default) or `merge` the upstream's own Access-Control-* headers. */
  CORS_UPSTREAM_HEADERS?: string;
  /** A service binding to the upstream Worker; takes precedence over UPSTREAM_URL. */
  UPSTREAM?: Fetcher;
  /** KV namespace for hot-reloading the policy without a redeploy. */
  CORS_KV?: KVNamespace;
  /** The key holding the policy JSON in CORS_KV. Default `cors-policy`. */
  CORS_POLICY_KV_KEY?: string;
  /** How long one isolate reuses the policy it read from KV, in ms. Default 15000. */
  CORS_POLICY_KV_TTL_MS?: string | number;
  /** Decision log: `refused`, `all` or `off` (default: `refused` in report mode, else `off`). */
  CORS_DECISION_LOG?: string;
  /** Decision log lines per second per isolate (default 100); the rest are summarised. */
  CORS_DECISION_LOG_RATE?: string | number;
  /** Workers Analytics Engine dataset: every decision is also written as a data point. */
  CORS_ANALYTICS?: AnalyticsEngineDataset;
}
