import { type Cors, CorsConfigError, createCors, mergeVary } from "@edge-cors/core";
import type { Context, Env, MiddlewareHandler, Next } from "hono";
import { BoundedMap, PolicyCache } from "./cache.ts";
import { registerContext } from "./context.ts";
import {
  type CorsInput,
  type HonoCorsOptions,
  inputStyle,
  mixedStyleIssue,
  renameIssue,
  toCorsPolicy,
} from "./options.ts";

/**
 * A policy computed from the request's Context, typically from bindings (`c.env`): an
 * edge-cors policy, hono/cors options, or a JSON string (e.g. an environment variable).
 * Each distinct policy is compiled once (see PolicyCache), not per request.
 */
// biome-ignore lint/suspicious/noExplicitAny: mirrors Hono's own MiddlewareHandler<any> default.
export type CorsFactory<E extends Env = any> = (
  c: Context<E>,
) => CorsInput | string | Promise<CorsInput | string>;

/** A compiled input: the Cors to use for a request, and whether its predicate needs the Context. */
interface Unit {
  resolve: (c: Context) => Cors | Promise<Cors>;
  needsContext: boolean;
}

/** How many distinct lists an `allowMethods` function may return before the oldest is recompiled. */
const METHOD_LISTS_LIMIT = 64;

/** Validate and compile one input, reporting problems in the names the input used. */
function createFrom(input: unknown, methods?: readonly string[]): Cors {
  const style = inputStyle(input);
  if (style === "mixed")
    throw new CorsConfigError([mixedStyleIssue(input as Record<string, unknown>)]);
  try {
    return createCors(toCorsPolicy(input as CorsInput | undefined, methods));
  } catch (e) {
    if (style !== "hono" || !(e instanceof CorsConfigError)) throw e;
    const originWasString = typeof (input as HonoCorsOptions | undefined)?.origin === "string";
    throw new CorsConfigError(
      e.issues.map((i) => renameIssue(i, originWasString)),
      e.warnings.map((w) => renameIssue(w, originWasString)),
    );
  }
}

/** Compile an input once. Throws CorsConfigError when it is invalid or insecure. */
function compileInput(input: unknown): Unit {
  const options = input as HonoCorsOptions | undefined;
  const needsContext = inputStyle(input) === "hono" && typeof options?.origin === "function";
  const methodsFn = inputStyle(input) === "hono" ? options?.allowMethods : undefined;
  if (typeof methodsFn !== "function") {
    const cors = createFrom(input);
    return { resolve: () => cors, needsContext };
  }
  // hono/cors calls an allowMethods function on OPTIONS requests; methods only matter there.
  const base = createFrom(input, []);
  // Each distinct list is compiled once; an invalid one keeps its CorsConfigError.
  const byList = new BoundedMap<string, Cors | CorsConfigError>(METHOD_LISTS_LIMIT);
  const forList = (list: string[]): Cors => {
    const key = JSON.stringify(list) ?? "";
    let entry = byList.get(key);
    if (entry === undefined) {
      try {
        entry = createFrom(input, list);
      } catch (e) {
        if (!(e instanceof CorsConfigError)) throw e;
        entry = e;
      }
      byList.set(key, entry);
    }
    if (entry instanceof CorsConfigError) throw entry;
    return entry;
  };
  return {
    needsContext,
    resolve: (c) => {
      if (c.req.method !== "OPTIONS") return base;
      const r = methodsFn(c.req.header("origin") || "", c);
      return Array.isArray(r) ? forList(r) : Promise.resolve(r).then(forList);
    },
  };
}

/** A factory's result: like a static input, except that nothing (a missing binding) is an error. */
function compileFactoryResult(input: unknown): Unit {
  if (input === undefined || input === null) {
    throw new CorsConfigError([
      {
        path: "",
        message: `the policy factory returned ${input}: is the binding set? (use cors() without a factory for hono/cors's defaults)`,
      },
    ]);
  }
  return compileInput(input);
}

/**
 * Headers that earlier middleware set with `c.header()` (e.g. a request id) go on the
 * preflight answer too, as with hono/cors. The core's headers win; Vary is merged.
 */
function withPriorHeaders(c: Context, answer: Response): void {
  const prior = c.res.headers;
  const out = answer.headers;
  for (const [name, value] of prior) {
    if (name === "content-type" || name === "content-length" || name === "set-cookie") continue;
    if (name === "vary") {
      const mine = out.get("vary");
      if (mine === null) out.set("vary", value);
      else out.set("vary", mergeVary(value, mine.split(", "), mine) ?? value);
    } else if (!out.has(name)) {
      out.set(name, value);
    }
  }
  for (const cookie of prior.getSetCookie()) out.append("set-cookie", cookie);
}

/** Run one request through a compiled policy: answer preflights, decorate everything else. */
async function run(
  cors: Cors,
  needsContext: boolean,
  c: Context,
  next: Next,
): Promise<Response | undefined> {
  const request = c.req.raw;
  if (needsContext) registerContext(c);
  const pre = cors.preflight(request);
  const answer = pre instanceof Promise ? await pre : pre;
  if (answer !== null) {
    withPriorHeaders(c, answer);
    // Clear c.res first so Hono's setter does not copy the earlier headers over the answer again.
    c.res = undefined;
    c.res = answer;
    return answer;
  }
  await next();
  // A sub-app may have handled the same Request with its own Context meanwhile.
  if (needsContext) registerContext(c);
  const res = c.res;
  const out = cors.decorate(request, res);
  const decorated = out instanceof Promise ? await out : out;
  if (decorated !== res) {
    // The core copied an immutable response. Clear c.res first: Hono's setter would otherwise
    // copy the old response's headers (e.g. the un-merged Vary) over the decorated copy.
    c.res = undefined;
    c.res = decorated;
  }
  return undefined;
}

/**
 * CORS middleware for Hono: a drop-in replacement for `hono/cors` backed by the edge-cors
 * core (validated at startup, spec-exact preflights, merged Vary, bounded parsing).
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
  if (typeof options === "function") {
    const factory = options;
    const cache = new PolicyCache(compileFactoryResult);
    return async function edgeCorsFromContext(c, next) {
      const input = await factory(c);
      const unit = cache.get(input);
      const r = unit.resolve(c as Context);
      return run(r instanceof Promise ? await r : r, true, c as Context, next);
    };
  }
  const unit = compileInput(options);
  const { needsContext } = unit;
  return async function edgeCors(c, next) {
    const r = unit.resolve(c as Context);
    return run(r instanceof Promise ? await r : r, needsContext, c as Context, next);
  };
}
