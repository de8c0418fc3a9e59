/**
 * The Deno edge layer: the shared `@edge-cors/edge` layer with Deno's WebSocket forwarding
 * (see websocket.ts). No side effects: `app.ts` builds it from the environment, tests build it
 * from their own configuration.
 */
import { createEdgeLayer, type EdgeConfig, type EdgeLayer } from "@edge-cors/edge";
import { denoWebSocketForwarder } from "./websocket.ts";

export function denoEdgeLayer(config: EdgeConfig): EdgeLayer {
  return createEdgeLayer({
    policy: config.cors,
    upstream: config.upstream,
    timeoutMs: config.timeoutMs,
    upstreamCors: config.upstreamCors,
    webSocket: denoWebSocketForwarder(),
  });
}
