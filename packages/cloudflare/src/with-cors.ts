import { type Cors, type CorsPolicy, createCors, parsePolicy } from "@edge-cors/core";
import { isWebSocketUpgrade } from "@edge-cors/edge";

/** A policy as an object, or as a JSON string (e.g. straight from a `[vars]` entry). */
export type PolicyInput = CorsPolicy | string;

/** How many distinct policies (by JSON text) one isolate keeps compiled. */
const MAX_COMPILED = 16;

/**
 * Compiles each distinct policy once per isolate: by the `env` object it came from, by object
 * identity, and by JSON text (so `(env) => JSON.parse(env.CORS_POLICY)` still compiles once).
 */
class PolicyCache<Env> {
  readonly #byEnv = new WeakMap<object, Cors>();
  readonly #byObject = new WeakMap<object, Cors>();
  readonly #byText = new Map<string, Cors>();
  readonly #select: (env: Env) => PolicyInput;

  constructor(select: (env: Env) => PolicyInput) {
    this.#select = select;
  }

  get(env: Env): Cors {
    const envKey = typeof env === "object" && env !== null ? env : null;
    const known = envKey === null ? undefined : this.#byEnv.get(envKey);
    if (known !== undefined) return known;
    const cors = this.#compile(this.#select(env));
    if (envKey !== null) this.#byEnv.set(envKey, cors);
    return cors;
  }

  #compile(input: PolicyInput): Cors {
    if (typeof input === "object" && input !== null) {
      const hit = this.#byObject.get(input);
      if (hit !== undefined) return hit;
    }
    const text = typeof input === "string" ? input : jsonKey(input);
    const cached = text === null ? undefined : this.#byText.get(text);
    const cors = cached ?? createCors(parsePolicy(input, "policy"));
    if (typeof input === "object" && input !== null) this.#byObject.set(input, cors);
    if (text !== null && cached === undefined) {
      if (this.#byText.size >= MAX_COMPILED) this.#byText.delete(this.#byText.keys().next().value!);
      this.#byText.set(text, cors);
    }
    return cors;
  }
}

/** The policy's JSON text, or null when it holds code (an origin predicate, onDecision). */
function jsonKey(policy: CorsPolicy): string | null {
  let code = false;
  const text = JSON.stringify(policy, (_k, v) => {
    if (typeof v === "function") code = true;
    return v;
  });
  return code ? null : text;
}

/**
 * Wrap an existing Worker's `ExportedHandler` with CORS: preflights are answered in the
 * Worker (the handler never sees them), every other response gets the CORS headers for its
 * request after the handler (and any cache it reads) answered. WebSocket upgrades go to the
 * handler untouched. Other handlers (`scheduled`, `queue`, …) are kept as they are.
 *
 * `policy` is an object, a JSON string, or `(env) => policy` for policies that live in
 * `[vars]`. A static policy is compiled here, so an invalid one throws a `CorsConfigError` at
 * startup; a policy from `env` is compiled on first use, once per isolate per distinct policy.
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
  const corsFor: (env: Env) => Cors =
    typeof policy === "function"
      ? (
          (cache) => (env: Env) =>
            cache.get(env)
        )(new PolicyCache(policy))
      : (
          (cors) => () =>
            cors
        )(createCors(parsePolicy(policy, "policy")));

  const fetch: ExportedHandlerFetchHandler<Env, CfHostMetadata> = (request, env, ctx) => {
    const next = (r: Request) => inner.call(handler, r as typeof request, env, ctx);
    if (isWebSocketUpgrade(request)) return Promise.resolve(next(request));
    return corsFor(env).handle(request, next);
  };
  return { ...handler, fetch };
}
