import { type Cors, type CorsPolicy, createCors } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";

/**
 * A request handler as `Deno.serve` and `deno serve` call it: the Request first, then
 * whatever the runtime passes along (`Deno.ServeHandlerInfo` today). Typed generically so
 * this package needs no Deno type declarations and keeps the caller's own types.
 */
export type FetchHandler<A extends unknown[] = unknown[]> = (
  request: Request,
  ...rest: A
) => Response | Promise<Response>;

/** A `deno serve` module: `export default { fetch }` (other members are kept as they are). */
export interface ServeModule<A extends unknown[] = unknown[]> {
  fetch: FetchHandler<A>;
}

/** A policy to compile, or a `Cors` compiled once with `createCors` and shared. */
export type PolicyOrCors = CorsPolicy | Cors;

function isCors(p: PolicyOrCors): p is Cors {
  return typeof (p as Partial<Cors>).handle === "function";
}

/**
 * Put CORS in front of a Deno handler. The policy is validated (with the Public Suffix List)
 * and compiled once, here (an invalid policy throws `CorsConfigError` at start-up, not per
 * request).
 *
 * - Preflights are answered by the core without calling `handler`.
 * - Every other request goes to `handler` with the runtime's extra arguments unchanged
 *   (`info.remoteAddr`, …), and its response gets the CORS headers and `Vary`.
 *
 * @example Deno.serve
 * ```ts
 * Deno.serve(withCors((req, info) => new Response("hi"), { allowOrigins: ["https://app.example.com"] }));
 * ```
 * @example deno serve
 * ```ts
 * export default withCors({ fetch: (req) => new Response("hi") }, policy);
 * ```
 */
export function withCors<A extends unknown[]>(
  handler: FetchHandler<A>,
  policy: PolicyOrCors,
): FetchHandler<A>;
export function withCors<A extends unknown[], M extends ServeModule<A>>(
  module: M,
  policy: PolicyOrCors,
): M;
export function withCors<A extends unknown[]>(
  target: FetchHandler<A> | ServeModule<A>,
  policy: PolicyOrCors,
): FetchHandler<A> | ServeModule<A> {
  const cors = isCors(policy) ? policy : createCors(policy, { publicSuffixes });
  if (typeof target === "function") {
    return (request: Request, ...rest: A) => cors.handle(request, (r) => target(r, ...rest));
  }
  if (target === null || typeof target !== "object" || typeof target.fetch !== "function") {
    throw new TypeError("withCors: expected a handler function or an object with a fetch method");
  }
  const fetch = target.fetch;
  return {
    ...target,
    fetch: (request: Request, ...rest: A) =>
      cors.handle(request, (r) => fetch.call(target, r, ...rest)),
  };
}
