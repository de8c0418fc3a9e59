/**
 * `@edge-cors/edge`: the runtime-agnostic edge CORS layer shared by the Cloudflare Worker
 * and the Deno layer. Web-standard only (fetch, Request, Response, AbortController, streams).
 *
 * @example
 * ```ts
 * const config = readEdgeConfig(env);          // throws CorsConfigError listing every problem
 * const layer = createEdgeLayer(config);       // once per isolate
 * export default { fetch: (request) => layer(request) };
 * ```
 */
export {
  DEFAULT_TIMEOUT_MS,
  type EdgeConfig,
  type EdgeVars,
  loadEdgePolicy,
  MAX_TIMEOUT_MS,
  readEdgeConfig,
  type UpstreamCorsMode,
} from "./config.ts";
export * from "./decision-log-entry.ts";
export { DEFAULT_POLICY } from "./default-policy.ts";
export { DEMO_MAX_DELAY_MS, demoUpstream } from "./demo-upstream.ts";
export { type ForwardedFor, stripHopByHop, upstreamRequestHeaders } from "./forward-headers.ts";
export {
  type ForwardTarget,
  forwardTarget,
  isRefusal,
  type TargetRefusal,
  upstreamPrefix,
} from "./forward-target.ts";
export { isValidHost, MAX_HOST_LENGTH } from "./host.ts";
export { createEdgeLayer, type EdgeLayer, type EdgeLayerOptions } from "./layer.ts";
export {
  createProxy,
  type Proxy,
  type ProxyOptions,
  type UpstreamFetcher,
  type WebSocketForwarder,
  type WebSocketHandshake,
} from "./proxy.ts";
export { failureResponse, refusedRequest } from "./responses.ts";
