import type { CorsPolicy, OptionLabels, OriginPredicate, PolicyIssue } from "@edge-cors/core";
import type { Context } from "hono";

/**
 * The options of `hono/cors` (Hono 4), accepted unchanged. Each maps onto the edge-cors
 * policy (see `toCorsPolicy` and docs/hono.md for the table).
 */
/** hono/cors's `origin` function. */
export type OriginFunction = (
  origin: string,
  c: Context,
) => Promise<string | undefined | null> | string | undefined | null;

export interface HonoCorsOptions {
  /**
   * `"*"` (default): every origin. A string or a list: those exact origins (validated at
   * startup). A function: called with the request's Origin and the Context; the origin is
   * granted only when the function returns that same string, byte for byte.
   */
  origin?: string | string[] | OriginFunction;
  /**
   * Methods a preflight may ask for. Default, as in hono/cors:
   * GET, HEAD, PUT, POST, DELETE, PATCH, QUERY. A function is called on OPTIONS requests
   * with the Origin and the Context; each distinct list it returns is compiled once.
   */
  allowMethods?: string[] | ((origin: string, c: Context) => Promise<string[]> | string[]);
  /** Request headers a preflight may ask for. Default (absent or `[]`): any, as in hono/cors. */
  allowHeaders?: string[];
  /** `Access-Control-Max-Age` in whole seconds, 0 to 86400. */
  maxAge?: number;
  /** `Access-Control-Allow-Credentials: true`. Refused with `origin: "*"`. */
  credentials?: boolean;
  /** `Access-Control-Expose-Headers`. */
  exposeHeaders?: string[];
}

/** What `cors()` accepts: hono/cors options or an edge-cors policy (not a mix of the two). */
export type CorsInput = HonoCorsOptions | CorsPolicy;

/** hono/cors's default `allowMethods` (hono 4.13). */
export const HONO_DEFAULT_METHODS: readonly string[] = [
  "GET",
  "HEAD",
  "PUT",
  "POST",
  "DELETE",
  "PATCH",
  "QUERY",
];

/**
 * hono/cors reflects whatever a preflight asks for when `allowHeaders` is absent or empty.
 * The drop-in keeps that grant, answered spec-exact by the core: `*` does not cover
 * `Authorization` in Fetch, so it is listed too.
 */
export const HONO_DEFAULT_HEADERS: readonly string[] = ["*", "Authorization"];

const HONO_ONLY = ["origin", "credentials"] as const;
const CORE_ONLY = [
  "allowOrigins",
  "allowCredentials",
  "allowPrivateNetwork",
  "routes",
  "mode",
  "onDecision",
  "decisionHeader",
  "pathCase",
  "checkWebSocketOrigin",
  "$schema",
] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * `"hono"` for hono/cors options (also `undefined` and `{}`), `"core"` for an edge-cors
 * policy, `"mixed"` when both kinds of keys appear.
 */
export function inputStyle(input: unknown): "hono" | "core" | "mixed" {
  if (input === undefined) return "hono";
  if (!isObject(input)) return "core";
  const hono = HONO_ONLY.some((k) => k in input);
  const core = CORE_ONLY.some((k) => k in input);
  if (hono && core) return "mixed";
  return core ? "core" : "hono";
}

/**
 * hono/cors's origin function as an OriginPredicate: the core calls it with a syntactically
 * valid Origin (never `null`, never an oversized value) and the Context the middleware passes
 * along with the request, and grants only when the function returns that same string.
 */
export function originFunctionPredicate(fn: OriginFunction): OriginPredicate {
  return (origin, _request, context) => {
    if (context === undefined) return false;
    const r = fn(origin, context as Context);
    if (typeof r === "string" || r === null || r === undefined) return r === origin;
    return Promise.resolve(r).then((v) => v === origin);
  };
}

/**
 * The edge-cors policy that an input stands for. hono/cors options are mapped (with
 * hono/cors's defaults); an edge-cors policy is returned as is. An `allowMethods`
 * function cannot be expressed in a policy: pass `methods` to say what it returned.
 * Never throws: validation is `createCors`'s job.
 */
export function toCorsPolicy(
  input: CorsInput | undefined,
  methods?: readonly string[],
): CorsPolicy {
  const style = inputStyle(input);
  if (style === "core") return input as CorsPolicy;
  const o = (input ?? {}) as Record<string, unknown>;
  if (style === "mixed") {
    // Keep both spellings so the core names every key; `mixedStyleIssue` explains why.
    return o as unknown as CorsPolicy;
  }
  const { origin, credentials, allowMethods, allowHeaders, exposeHeaders, maxAge, ...rest } = o;
  const p: Record<string, unknown> = { ...rest };
  p.allowOrigins =
    origin === undefined || origin === "*"
      ? "*"
      : typeof origin === "function"
        ? originFunctionPredicate(origin as OriginFunction)
        : typeof origin === "string"
          ? [origin]
          : origin;
  if (credentials !== undefined) p.allowCredentials = credentials;
  p.allowMethods =
    methods ??
    (allowMethods === undefined || allowMethods === null ? HONO_DEFAULT_METHODS : allowMethods);
  p.allowHeaders =
    allowHeaders === undefined ||
    allowHeaders === null ||
    (Array.isArray(allowHeaders) && allowHeaders.length === 0)
      ? HONO_DEFAULT_HEADERS
      : allowHeaders;
  if (exposeHeaders !== undefined && exposeHeaders !== null) p.exposeHeaders = exposeHeaders;
  if (maxAge !== undefined && maxAge !== null) p.maxAge = maxAge;
  return p as unknown as CorsPolicy;
}

/** The problem reported for an input that mixes hono/cors options with an edge-cors policy. */
export function mixedStyleIssue(input: Record<string, unknown>): PolicyIssue {
  const hono = HONO_ONLY.filter((k) => k in input);
  const core = CORE_ONLY.filter((k) => k in input);
  return {
    code: "hono-mixed-options",
    path: "",
    message:
      `mixes hono/cors options (${hono.join(", ")}) with edge-cors policy options (${core.join(", ")}): ` +
      "use one form. hono/cors form: origin, credentials, allowMethods, allowHeaders, exposeHeaders, maxAge; " +
      "edge-cors form: allowOrigins, allowCredentials, … (routes, mode, decisionHeader need the edge-cors form)",
  };
}

/** How hono/cors names the options the core reports issues about. */
export const HONO_OPTION_LABELS: OptionLabels = {
  allowOrigins: "origin",
  allowCredentials: "credentials",
};

/**
 * A core issue about hono/cors options, at the path they were written at: a single-string
 * `origin` was compiled as a one-entry list, so `origin[0]` is `origin`.
 */
export function honoIssuePath(issue: PolicyIssue, originWasString: boolean): PolicyIssue {
  if (!originWasString || !issue.path.startsWith("origin[0]")) return issue;
  return { ...issue, path: `origin${issue.path.slice("origin[0]".length)}` };
}
