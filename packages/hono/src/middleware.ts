import {
  type Cors,
  CorsConfigError,
  mergeVary,
  PolicyCache,
  type PolicyIssue,
} from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import type { Context, Env, MiddlewareHandler, Next } from "hono";
import {
  type CorsInput,
  HONO_OPTION_LABELS,
  type HonoCorsOptions,
  honoIssuePath,
  inputStyle,
  mixedStyleIssue,
  toCorsPolicy,
} from "./options.ts";

/**
 * A policy computed from the request's Context, typically from bindings (`c.env`): an
 * edge-cors policy, hono/cors options, or a JSON string (e.g. an environment variable).
 * Each distinct policy is compiled once (the core's PolicyCache), not per request.
 */
// biome-ignore lint/suspicious/noExplicitAny: mirrors Hono's own MiddlewareHandler<any> default.
export type CorsFactory<E extends Env = any> = (
  c: Context<E>,
) => CorsInput | string | Promise<CorsInput | string>;

/** The core's compiled policies, for both input styles, hono/cors names in hono-style issues. */
function policyCache(): PolicyCache {
  return new PolicyCache({
    publicSuffixes,
    limit: 256,
    prepare: (input) => {
      const style = inputStyle(input);
      if (style === "mixed")
        throw new CorsConfigError([mixedStyleIssue(input as Record<string, unknown>)]);
      if (style === "core") return { policy: input };
      return { policy: toCorsPolicy(input as HonoCorsOptions), optionLabels: HONO_OPTION_LABELS };
    },
  });
}

/** The compiled Cors for an input, or its CorsConfigError with issues where they were written. */
function load(cache: PolicyCache, input: unknown): Cors {
  const result = cache.load(input ?? {});
  if (result.ok) return result.cors;
  const originWasString = typeof (input as HonoCorsOptions | undefined)?.origin === "string";
  const at = (issue: PolicyIssue) => honoIssuePath(issue, originWasString);
  throw new CorsConfigError(result.issues.map(at), result.warnings.map(at));
}

/** hono/cors's `allowMethods` function, when the input has one. */
function methodsFunction(
  input: unknown,
): Extract<HonoCorsOptions["allowMethods"], (...args: never) => unknown> | null {
  if (inputStyle(input) !== "hono") return null;
  const fn = (input as HonoCorsOptions | undefined)?.allowMethods;
  return typeof fn === "function" ? fn : null;
}

/** `options` with a fixed method list: the same object for the same list, so the cache hits. */
const withListMemo = new WeakMap<object, Map<string, HonoCorsOptions>>();
function withList(options: HonoCorsOptions, list: string[]): HonoCorsOptions {
  let byList = withListMemo.get(options);
  if (byList === undefined) {
    byList = new Map();
    withListMemo.set(options, byList);
  }
  const key = JSON.stringify(list) ?? "";
  let derived = byList.get(key);
  if (derived === undefined) {
    if (byList.size >= 64) byList.delete(byList.keys().next().value!);
    derived = { ...options, allowMethods: list };
    byList.set(key, derived);
  }
  return derived;
}

/**
 * The Cors for this request. hono/cors calls an `allowMethods` function on OPTIONS requests
 * with the Origin; each distinct list it returns is compiled once.
 */
function corsFor(cache: PolicyCache, input: unknown, c: Context): Cors | Promise<Cors> {
  const fn = methodsFunction(input);
  if (fn === null) return load(cache, input);
  const options = input as HonoCorsOptions;
  if (c.req.method !== "OPTIONS") return load(cache, withList(options, []));
  const listed = fn(c.req.header("origin") || "", c);
  const compile = (list: string[]) => load(cache, withList(options, list));
  return Array.isArray(listed) ? compile(listed) : Promise.resolve(listed).then(compile);
}

/**
 * Headers that earlier middleware set with `c.header()` (e.g. a request id) go on the
 * preflight answer too, as with hono/cors. The core's headers win; Vary is merged.
 */
function withPriorHeaders(c: Context, answer: Response): void {
  const out = answer.headers;
  for (const [name, value] of c.res.headers) {
    if (name === "content-type" || name === "content-length" || name === "set-cookie") continue;
    if (name === "vary") {
      const mine = out.get("vary");
      out.set("vary", mine === null ? value : (mergeVary(value, mine.split(", "), mine) ?? value));
    } else if (!out.has(name)) {
      out.set(name, value);
    }
  }
  for (const cookie of c.res.headers.getSetCookie()) out.append("set-cookie", cookie);
}

/** Replace c.res, clearing it first so Hono's setter does not copy the old headers over. */
function setResponse(c: Context, response: Response): void {
  c.res = undefined;
  c.res = response;
}

/** Run one request: answer preflights (and refused WebSocket handshakes), decorate the rest. */
async function run(
  pending: Cors | Promise<Cors>,
  variesOnOrigin: boolean,
  c: Context,
  next: Next,
): Promise<Response | undefined> {
  const cors = pending instanceof Promise ? await pending : pending;
  const request = c.req.raw;
  const options = { context: c };
  const answer = await cors.preflight(request, options);
  if (answer !== null) {
    // An allowMethods function sees the Origin: its answer varies on Origin even under "*".
    const vary = variesOnOrigin
      ? mergeVary(answer.headers.get("vary"), ["Origin"], "Origin")
      : null;
    if (vary !== null) answer.headers.set("vary", vary);
    withPriorHeaders(c, answer);
    setResponse(c, answer);
    return answer;
  }
  await next();
  const decorated = await cors.decorate(request, c.res, options);
  // The core copies a response whose headers are immutable.
  if (decorated !== c.res) setResponse(c, decorated);
  return undefined;
}

/**
 * CORS middleware for Hono: a drop-in replacement for `hono/cors` backed by the edge-cors
 * core (validated at startup with the Public Suffix List, spec-exact preflights, merged Vary,
 * bounded parsing, WebSocket handshakes checked against the allowed origins).
 *
 * Accepts hono/cors options (`origin`, `allowMethods`, `allowHeaders`, `maxAge`,
 * `credentials`, `exposeHeaders`, with hono/cors's defaults), an edge-cors policy
 * (`allowOrigins`, `allowCredentials`, `routes`, …), or a function of the Context returning
 * either (or a JSON string), compiled once per distinct policy.
 *
 * Throws `CorsConfigError` at once for an invalid or insecure static configuration (e.g.
 * `origin: "*"` with `credentials: true`); a factory's policy is validated on first use and
 * its error is thrown from the middleware (Hono's onError then answers).
 *
 * @example
 * ```ts
 * import { cors } from "@edge-cors/hono"; // was: import { cors } from "hono/cors"
 * app.use("/api/*", cors({ origin: ["https://app.example.com"], credentials: true }));
 * app.use("*", cors((c) => c.env.CORS_POLICY)); // a JSON policy from a binding
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: mirrors Hono's own MiddlewareHandler<any> default.
export function cors<E extends Env = any>(
  options?: CorsInput | CorsFactory<E>,
): MiddlewareHandler<E> {
  const cache = policyCache();
  if (typeof options === "function") {
    const factory = options;
    return async function edgeCorsFromContext(c, next) {
      const input = await factory(c);
      if (input === undefined || input === null) {
        throw new CorsConfigError([
          {
            code: "hono-factory-empty",
            path: "",
            message: `the policy factory returned ${input}: is the binding set? (use cors() without a factory for hono/cors's defaults)`,
          },
        ]);
      }
      const context = c as Context;
      return run(corsFor(cache, input, context), methodsFunction(input) !== null, context, next);
    };
  }
  // Validated now: an invalid static configuration fails at startup.
  load(
    cache,
    methodsFunction(options) === null ? options : withList(options as HonoCorsOptions, []),
  );
  const variesOnOrigin = methodsFunction(options) !== null;
  return async function edgeCors(c, next) {
    return run(corsFor(cache, options, c as Context), variesOnOrigin, c as Context, next);
  };
}
