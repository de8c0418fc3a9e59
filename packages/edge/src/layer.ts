import { type Cors, CorsConfigError, type CorsPolicy } from "@edge-cors/core";
import { DEFAULT_TIMEOUT_MS, loadEdgePolicy, type UpstreamCorsMode } from "./config.ts";
import { demoUpstream } from "./demo-upstream.ts";
import { forwardTarget, isRefusal } from "./forward-target.ts";
import { createProxy, type UpstreamFetcher, type WebSocketForwarder } from "./proxy.ts";
import { refusedRequest } from "./responses.ts";

export interface EdgeLayerOptions {
  /** The policy (object or JSON string), or an already compiled `Cors`. */
  policy: CorsPolicy | string | Cors;
  /**
   * Where requests go: an origin URL (`https://api.example.com`, a path prefix is kept), a
   * fetcher that gets each request with its canonical URL (a Cloudflare service binding), or
   * `null`/absent for the built-in demo upstream.
   */
  upstream?: string | URL | UpstreamFetcher | null;
  /** Milliseconds until the upstream's response headers arrive; then 504. Default 30000. */
  timeoutMs?: number;
  /** The upstream's own `Access-Control-*` headers: `"replace"` (default) or `"merge"`. */
  upstreamCors?: UpstreamCorsMode;
  /** Sends requests to a URL upstream. Default: the global `fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Forwards allowed WebSocket handshakes. Default: through `fetch` (workerd upgrades there). */
  webSocket?: WebSocketForwarder;
  /** Told about every upstream failure. Default: console.error. */
  onError?: (error: unknown, request: Request) => void;
}

/** The edge layer: one request in, one response out. */
export type EdgeLayer = (request: Request) => Promise<Response>;

const DEMO: UpstreamFetcher = { fetch: demoUpstream };

/** Methods fetch() refuses to send (Fetch: forbidden methods). */
const UNFORWARDABLE_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

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

/** `request` at `url`: same method, headers and (streamed) body. */
function requestAt(url: string, request: Request): Request {
  const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== null;
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers: request.headers,
    body: hasBody ? request.body : null,
    redirect: "manual",
  };
  if (hasBody) init.duplex = "half";
  return new Request(url, init);
}

/**
 * Compose the CORS policy with the upstream proxy. Every request is first given ONE canonical
 * URL (see forward-target.ts): the policy decides on it and the upstream receives it, so no
 * spelling of a path is matched one way and served another; a path that could leave the
 * upstream's prefix, a malformed Host or an unparsable URL is a 400 without any grant.
 * Preflights are answered here and never forwarded; a WebSocket handshake from an origin the
 * policy refuses is a 403 (the core decides) and an allowed one is forwarded with the same
 * header hygiene as every request; every other request (plain OPTIONS included) goes
 * upstream, and its response is decorated for this request's Origin after the upstream (and
 * any cache in it) answered. Compile once (per isolate), call per request. Throws
 * `CorsConfigError` for an invalid policy.
 */
export function createEdgeLayer(options: EdgeLayerOptions): EdgeLayer {
  const cors = compiledPolicy(options.policy);
  const u = options.upstream;
  const upstream = u === null || u === undefined ? DEMO : typeof u === "string" ? new URL(u) : u;
  const upstreamUrl = upstream instanceof URL ? upstream : null;
  const proxy = createProxy({
    upstream,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    upstreamCors: options.upstreamCors ?? "replace",
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.webSocket ? { webSocket: options.webSocket } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return (request) => {
    if (UNFORWARDABLE_METHODS.has(request.method.toUpperCase()))
      return Promise.resolve(
        refusedRequest(
          405,
          "method_not_forwardable",
          `${request.method} requests are not forwarded.`,
        ),
      );
    const target = forwardTarget(request, upstreamUrl);
    if (isRefusal(target)) return Promise.resolve(refusedRequest(400, target.error, target.detail));
    const decided =
      target.decisionUrl === request.url ? request : requestAt(target.decisionUrl, request);
    return cors.handle(decided, (r) => proxy(r, target, request));
  };
}
