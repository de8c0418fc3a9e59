import { type Cors, CorsConfigError, type CorsPolicy } from "@edge-cors/core";
import { DEFAULT_TIMEOUT_MS, loadEdgePolicy, type UpstreamCorsMode } from "./config.ts";
import { demoUpstream } from "./demo-upstream.ts";
import { createProxy, isWebSocketUpgrade, type UpstreamFetcher } from "./proxy.ts";

export interface EdgeLayerOptions {
  /** The policy (object or JSON string), or an already compiled `Cors`. */
  policy: CorsPolicy | string | Cors;
  /**
   * Where requests go: an origin URL (`https://api.example.com`, a path prefix is kept), a
   * fetcher that gets each request with its original URL (a Cloudflare service binding), or
   * `null`/absent for the built-in demo upstream.
   */
  upstream?: string | URL | UpstreamFetcher | null;
  /** Milliseconds until the upstream's response headers arrive; then 504. Default 30000. */
  timeoutMs?: number;
  /** The upstream's own `Access-Control-*` headers: `"replace"` (default) or `"merge"`. */
  upstreamCors?: UpstreamCorsMode;
  /** Sends requests to a URL upstream. Default: the global `fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Told about every upstream failure. Default: console.error. */
  onError?: (error: unknown, request: Request) => void;
}

/** The edge layer: one request in, one response out. */
export type EdgeLayer = (request: Request) => Promise<Response>;

const DEMO: UpstreamFetcher = { fetch: demoUpstream };

function isCors(p: EdgeLayerOptions["policy"]): p is Cors {
  return typeof p === "object" && p !== null && typeof (p as Cors).handle === "function";
}

/** The compiled policy of the options: as given, or loaded once (throws every problem). */
function compiledPolicy(policy: EdgeLayerOptions["policy"]): Cors {
  if (isCors(policy)) return policy;
  const loaded = loadEdgePolicy(policy, "policy");
  if (!loaded.ok) throw new CorsConfigError(loaded.issues, loaded.warnings);
  return loaded.cors;
}

/**
 * Compose the CORS policy with the upstream proxy. Preflights are answered here and never
 * forwarded; every other request (plain OPTIONS included) goes upstream, and its response is
 * decorated for this request's Origin after the upstream (and any cache in it) answered, so a
 * shared response never carries another origin's headers. WebSocket upgrades pass through
 * untouched. Compile once (per isolate), call per request. Throws `CorsConfigError` for an
 * invalid policy.
 */
export function createEdgeLayer(options: EdgeLayerOptions): EdgeLayer {
  const cors = compiledPolicy(options.policy);
  const u = options.upstream;
  const upstream = u === null || u === undefined ? DEMO : typeof u === "string" ? new URL(u) : u;
  const proxy = createProxy({
    upstream,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    upstreamCors: options.upstreamCors ?? "replace",
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return (request) => (isWebSocketUpgrade(request) ? proxy(request) : cors.handle(request, proxy));
}
