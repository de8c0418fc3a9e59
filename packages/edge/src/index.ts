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
export { createEdgeLayer, type EdgeLayer, type EdgeLayerOptions } from "./layer.ts";
export {
  createProxy,
  failureResponse,
  isWebSocketUpgrade,
  type ProxyOptions,
  type UpstreamFetcher,
  upstreamUrl,
} from "./proxy.ts";
