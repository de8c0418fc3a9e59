/**
 * The deployable edge-cors layer: answers CORS preflights at the edge and proxies every other
 * request to the upstream, decorating its response. Configured by the root `wrangler.toml`
 * (see docs/cloudflare.md); with no configuration it serves the embedded default policy in
 * front of the built-in demo upstream.
 */
import type { Env } from "./env.ts";
import { buildState, misconfigured, type WorkerState } from "./state.ts";

export type { Env } from "./env.ts";

/** One compiled state per `env` object, i.e. once per isolate (per distinct configuration). */
const states = new WeakMap<Env, WorkerState>();

function stateFor(env: Env): WorkerState {
  let s = states.get(env);
  if (s === undefined) {
    s = buildState(env);
    states.set(env, s);
  }
  return s;
}

export default {
  async fetch(request, env, _ctx): Promise<Response> {
    const s = stateFor(env);
    if (!s.ok) return misconfigured();
    const layer = s.kv === null ? s.layer : await s.kv.layer(s.layer);
    return layer(request);
  },
} satisfies ExportedHandler<Env>;
