import { type Cors, type CorsPolicy, PolicyCache } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";

/** A policy as an object, or as a JSON string (e.g. straight from a `[vars]` entry). */
export type PolicyInput = CorsPolicy | string;

/** How many distinct policies (by JSON text) one isolate keeps compiled. */
const MAX_COMPILED = 16;

/**
 * Wrap an existing Worker's `ExportedHandler` with CORS: preflights are answered in the
 * Worker (the handler never sees them), every other response gets the CORS headers for its
 * request after the handler (and any cache it reads) answered. WebSocket handshakes from an
 * origin the policy refuses get 403 (see `checkWebSocketOrigin`); allowed ones reach the
 * handler untouched. Other handlers (`scheduled`, `queue`, …) are kept as they are.
 *
 * `policy` is an object, a JSON string, or `(env) => policy` for policies that live in
 * `[vars]`. A static policy is compiled here, so an invalid one throws a `CorsConfigError` at
 * startup; a policy from `env` is compiled on first use, once per isolate per distinct policy
 * (an invalid one throws its `CorsConfigError` from `fetch`, every time, without recompiling).
 *
 * @example
 * ```ts
 * export default withCors(app, (env) => env.CORS_POLICY);
 * ```
 */
export function withCors<Env = unknown, QueueHandlerMessage = unknown, CfHostMetadata = unknown>(
  handler: ExportedHandler<Env, QueueHandlerMessage, CfHostMetadata>,
  policy: PolicyInput | ((env: Env) => PolicyInput),
): ExportedHandler<Env, QueueHandlerMessage, CfHostMetadata> {
  const inner = handler.fetch;
  if (typeof inner !== "function") throw new TypeError("withCors: the handler has no fetch()");
  const cache = new PolicyCache({ publicSuffixes, limit: MAX_COMPILED });
  let corsFor: (env: Env) => Cors;
  if (typeof policy === "function") {
    const select = policy;
    // One `env` object per isolate and configuration: remember its Cors, skip the lookup.
    const byEnv = new WeakMap<object, Cors>();
    corsFor = (env) => {
      const key = typeof env === "object" && env !== null ? env : null;
      const known = key === null ? undefined : byEnv.get(key);
      if (known !== undefined) return known;
      const cors = cache.get(select(env));
      if (key !== null) byEnv.set(key, cors);
      return cors;
    };
  } else {
    const cors = cache.get(policy);
    corsFor = () => cors;
  }
  const fetch: ExportedHandlerFetchHandler<Env, CfHostMetadata> = (request, env, ctx) =>
    corsFor(env).handle(request, (r) => inner.call(handler, r as typeof request, env, ctx));
  return { ...handler, fetch };
}
