import {
  type Cors,
  CorsConfigError,
  type LoadResult,
  MAX_POLICY_TEXT_BYTES,
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

/** How many distinct policies one middleware keeps compiled. */
const POLICY_CACHE_LIMIT = 256;
/** How many distinct lists an `allowMethods` function may return before the oldest is recompiled. */
const METHOD_LISTS_LIMIT = 64;

/** The core's compiled policies, for both input styles; hono/cors names in hono-style issues. */
function policyCaches() {
  const hono = new PolicyCache({
    publicSuffixes,
    optionLabels: HONO_OPTION_LABELS,
    limit: POLICY_CACHE_LIMIT,
    prepare: (input) => toCorsPolicy(input as HonoCorsOptions),
  });
  const core = new PolicyCache({ publicSuffixes, limit: POLICY_CACHE_LIMIT });
  return { hono, core };
}
type Caches = ReturnType<typeof policyCaches>;

/** The compiled Cors of a load, or its CorsConfigError (issues at the paths as written). */
function unwrap(result: LoadResult, input: unknown): Cors {
  if (result.ok) return result.cors;
  const originWasString = typeof (input as HonoCorsOptions | undefined)?.origin === "string";
  const at = (issue: PolicyIssue) => honoIssuePath(issue, originWasString);
  throw new CorsConfigError(result.issues.map(at), result.warnings.map(at));
}

/** What to run a request through: the Cors for it, and whether the answer varies on Origin. */
interface Unit {
  resolve: (c: Context) => Cors | Promise<Cors>;
  /** An `allowMethods` function sees the Origin, so the preflight answer depends on it. */
  methodsDependOnOrigin: boolean;
}

/** Compile one input (hono/cors options, an edge-cors policy). Throws CorsConfigError. */
function compileInput(input: unknown, caches: Caches): Unit {
  const style = inputStyle(input);
  if (style === "mixed")
    throw new CorsConfigError([mixedStyleIssue(input as Record<string, unknown>)]);
  if (style === "core") {
    const cors = unwrap(caches.core.load(input), input);
    return { resolve: () => cors, methodsDependOnOrigin: false };
  }
  const options = (input ?? {}) as HonoCorsOptions;
  const methodsFn = options.allowMethods;
  if (typeof methodsFn !== "function") {
    const cors = unwrap(caches.hono.load(input ?? {}), input);
    return { resolve: () => cors, methodsDependOnOrigin: false };
  }
  // hono/cors calls an allowMethods function on OPTIONS requests; methods only matter there.
  // Each distinct list it returns is compiled once; an invalid one keeps its error.
  const base = unwrap(caches.hono.load({ ...options, allowMethods: [] }), input);
  const byList = new Map<string, Cors | CorsConfigError>();
  const forList = (list: string[]): Cors => {
    const key = JSON.stringify(list) ?? "";
    let entry = byList.get(key);
    if (entry === undefined) {
      try {
        entry = unwrap(caches.hono.load({ ...options, allowMethods: list }), input);
      } catch (e) {
        if (!(e instanceof CorsConfigError)) throw e;
        entry = e;
      }
      if (byList.size >= METHOD_LISTS_LIMIT) byList.delete(byList.keys().next().value!);
      byList.set(key, entry);
    }
    if (entry instanceof CorsConfigError) throw entry;
    return entry;
  };
  return {
    methodsDependOnOrigin: true,
    resolve: (c) => {
      if (c.req.method !== "OPTIONS") return base;
      const r = methodsFn(c.req.header("origin") || "", c);
      return Array.isArray(r) ? forList(r) : Promise.resolve(r).then(forList);
    },
  };
}

/** A factory's result: like a static input, except that nothing (a missing binding) is an error. */
function compileFactoryResult(input: unknown, caches: Caches): Unit {
  if (input === undefined || input === null) {
    throw new CorsConfigError([
      {
        code: "hono-factory-empty",
        path: "",
        message: `the policy factory returned ${input}: is the binding set? (use cors() without a factory for hono/cors's defaults)`,
      },
    ]);
  }
  if (typeof input === "string") {
    // JSON text (a binding): parsed once per distinct text (the caller remembers the Unit).
    if (input.length > MAX_POLICY_TEXT_BYTES) {
      throw new CorsConfigError([
        {
          code: "policy-too-large",
          path: "",
          message: `the policy from the factory is longer than ${MAX_POLICY_TEXT_BYTES} characters`,
        },
      ]);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch (e) {
      throw new CorsConfigError([
        {
          code: "policy-not-json",
          path: "",
          message: `the policy from the factory is not valid JSON: ${e instanceof Error ? e.message : "unreadable"}`,
        },
      ]);
    }
    return compileInput(parsed, caches);
  }
  return compileInput(input, caches);
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
async function run(cors: Cors, unit: Unit, c: Context, next: Next): Promise<Response | undefined> {
  const request = c.req.raw;
  const pre = cors.preflight(request, c);
  const answer = pre instanceof Promise ? await pre : pre;
  if (answer !== null) {
    if (unit.methodsDependOnOrigin) {
      const vary = answer.headers.get("vary");
      answer.headers.set("vary", mergeVary(vary, ["Origin"], "Origin") ?? vary ?? "Origin");
    }
    withPriorHeaders(c, answer);
    // Clear c.res first so Hono's setter does not copy the earlier headers over the answer again.
    c.res = undefined;
    c.res = answer;
    return answer;
  }
  await next();
  const res = c.res;
  const out = cors.decorate(request, res, c);
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
  const caches = policyCaches();
  if (typeof options === "function") {
    const factory = options;
    // The factory's result is usually the same object or string every time: remember its Unit.
    const byObject = new WeakMap<object, Unit | CorsConfigError>();
    const byText = new Map<string, Unit | CorsConfigError>();
    const unitFor = (input: unknown): Unit => {
      const known =
        typeof input === "object" && input !== null
          ? byObject.get(input)
          : typeof input === "string"
            ? byText.get(input)
            : undefined;
      if (known !== undefined) {
        if (known instanceof CorsConfigError) throw known;
        return known;
      }
      let unit: Unit | CorsConfigError;
      try {
        unit = compileFactoryResult(input, caches);
      } catch (e) {
        if (!(e instanceof CorsConfigError)) throw e;
        unit = e;
      }
      if (typeof input === "object" && input !== null) byObject.set(input, unit);
      else if (typeof input === "string") {
        if (byText.size >= POLICY_CACHE_LIMIT) byText.delete(byText.keys().next().value!);
        byText.set(input, unit);
      }
      if (unit instanceof CorsConfigError) throw unit;
      return unit;
    };
    return async function edgeCorsFromContext(c, next) {
      const unit = unitFor(await factory(c));
      const r = unit.resolve(c as Context);
      return run(r instanceof Promise ? await r : r, unit, c as Context, next);
    };
  }
  const unit = compileInput(options, caches);
  return async function edgeCors(c, next) {
    const r = unit.resolve(c as Context);
    return run(r instanceof Promise ? await r : r, unit, c as Context, next);
  };
}
