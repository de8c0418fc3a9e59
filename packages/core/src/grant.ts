import { checkRequestHeaders, HeadersVerdict, methodAllowed } from "./names.ts";
import { MAX_ORIGIN_LENGTH, matchOrigin } from "./origins.ts";
import type { Plan } from "./plan.ts";
import { mergeVary } from "./vary.ts";

/** Why a preflight was refused (explain turns these into words). */
export type Refusal = "origin" | "method" | "headers" | "headers-malformed";

/** Status of an answered preflight: Fetch requires an ok status (200-299) to pass. */
export const PREFLIGHT_OK_STATUS = 204;
/** Status of a refused preflight: not ok, so the browser fails it even if headers were cached. */
export const PREFLIGHT_REFUSED_STATUS = 403;

/** Cheap shape check run before an OriginPredicate: "scheme://host[:port]", no path, no space. */
function isOriginShaped(origin: string): boolean {
  const sep = origin.indexOf("://");
  if (sep <= 0) return false;
  for (let i = sep + 3; i < origin.length; i++) {
    const c = origin.charCodeAt(i);
    if (
      c <= 32 ||
      c >= 127 ||
      c === 47 /* / */ ||
      c === 64 /* @ */ ||
      c === 63 /* ? */ ||
      c === 35 /* # */
    ) {
      return false;
    }
  }
  return origin.length > sep + 3;
}

/**
 * Is `origin` granted by `"*"` or the plan's origin list, leaving out the predicate (which
 * needs the Request)? `null` and oversized values are never granted.
 */
export function originListed(plan: Plan, origin: string): boolean {
  const o = plan.origins;
  if (o.any) return true;
  if (origin.length > MAX_ORIGIN_LENGTH || origin === "null") return false;
  return matchOrigin(o, origin);
}

/**
 * Is `origin` granted by the plan? Synchronous unless an OriginPredicate returns a Promise.
 * `null` and oversized values never reach the lists or the predicate.
 */
export function originAllowed(
  plan: Plan,
  origin: string,
  request: Request,
): boolean | Promise<boolean> {
  if (originListed(plan, origin)) return true;
  const o = plan.origins;
  // `null` is not origin-shaped; oversized values never reach the predicate either.
  if (o.predicate === null || origin.length > MAX_ORIGIN_LENGTH || !isOriginShaped(origin))
    return false;
  try {
    const r = o.predicate(origin, request);
    if (typeof r === "boolean") return r;
    // A predicate that rejects denies; it never turns into a 5xx.
    return Promise.resolve(r).then(
      (v) => v === true,
      () => false,
    );
  } catch {
    return false;
  }
}

/** Why a preflight is refused, or `null` when it is granted (Fetch order: origin, method, headers). */
function preflightRefusal(
  plan: Plan,
  allowed: boolean,
  method: string,
  requestHeaders: string | null,
  out?: { name?: string },
): Refusal | null {
  if (!allowed) return "origin";
  if (!methodAllowed(plan.methods, method)) return "method";
  if (requestHeaders !== null && requestHeaders !== "") {
    const v = checkRequestHeaders(plan.headers, requestHeaders, out);
    if (v !== HeadersVerdict.Ok)
      return v === HeadersVerdict.Malformed ? "headers-malformed" : "headers";
  }
  return null;
}

/**
 * Prebuilt headers of a plan's preflight answers: `ok` holds every header of a granted answer
 * that does not depend on the request, `refused` the refusal's. A Response initialised from a
 * Headers object copies its list, which is cheaper than converting a record every time.
 */
export interface PreflightTemplates {
  ok: Headers;
  refused: Headers;
}

export function preflightTemplates(plan: Plan): PreflightTemplates {
  const ok = new Headers();
  if (plan.origins.any) ok.set("access-control-allow-origin", "*");
  if (plan.credentials) ok.set("access-control-allow-credentials", "true");
  if (!plan.echoMethod && plan.acam !== null) ok.set("access-control-allow-methods", plan.acam);
  if (!plan.echoHeaders && plan.acah !== null) ok.set("access-control-allow-headers", plan.acah);
  if (plan.acma !== null) ok.set("access-control-max-age", plan.acma);
  ok.set("vary", plan.varyPreflight);
  return { ok, refused: new Headers({ vary: plan.varyPreflight }) };
}

/**
 * The preflight answer as a Response: the same headers as `preflightGrant` (204), or the
 * refusal (403 with Vary only), built from the plan's templates plus the request-dependent values.
 */
export function preflightResponse(
  plan: Plan,
  t: PreflightTemplates,
  origin: string,
  allowed: boolean,
  method: string,
  requestHeaders: string | null,
  privateNetwork: boolean,
): Response {
  if (preflightRefusal(plan, allowed, method, requestHeaders) !== null) {
    return new Response(null, { status: PREFLIGHT_REFUSED_STATUS, headers: t.refused });
  }
  const response = new Response(null, { status: PREFLIGHT_OK_STATUS, headers: t.ok });
  const h = response.headers;
  if (!plan.origins.any) h.set("access-control-allow-origin", origin);
  if (plan.echoMethod) h.set("access-control-allow-methods", method);
  if (plan.echoHeaders && requestHeaders) h.set("access-control-allow-headers", requestHeaders);
  if (privateNetwork && plan.privateNetwork) h.set("access-control-allow-private-network", "true");
  return response;
}

/**
 * The headers of an answered preflight, or why it is refused. Checks run in Fetch order
 * (§CORS-preflight fetch, steps after the CORS check): origin, then method, then headers.
 */
export function preflightGrant(
  plan: Plan,
  origin: string,
  allowed: boolean,
  method: string,
  requestHeaders: string | null,
  privateNetwork: boolean,
  out?: { name?: string },
): Record<string, string> | Refusal {
  const refusal = preflightRefusal(plan, allowed, method, requestHeaders, out);
  if (refusal !== null) return refusal;
  const h: Record<string, string> = {
    "access-control-allow-origin": plan.origins.any ? "*" : origin,
  };
  if (plan.credentials) h["access-control-allow-credentials"] = "true";
  const acam = plan.echoMethod ? method : plan.acam;
  if (acam !== null) h["access-control-allow-methods"] = acam;
  const acah = plan.echoHeaders ? requestHeaders || null : plan.acah;
  if (acah !== null) h["access-control-allow-headers"] = acah;
  if (plan.acma !== null) h["access-control-max-age"] = plan.acma;
  if (privateNetwork && plan.privateNetwork) h["access-control-allow-private-network"] = "true";
  h.vary = plan.varyPreflight;
  return h;
}

/** Grant headers for an actual (non-preflight) response, or `null` when nothing is granted. */
export function actualGrant(
  plan: Plan,
  origin: string | null,
  allowed: boolean,
): Record<string, string> | null {
  if (plan.origins.any) {
    // A static `*` goes on every response, without Vary (Fetch §CORS protocol and HTTP caches).
    return plan.aceh === null
      ? { "access-control-allow-origin": "*" }
      : { "access-control-allow-origin": "*", "access-control-expose-headers": plan.aceh };
  }
  if (!allowed || origin === null) return null;
  const h: Record<string, string> = { "access-control-allow-origin": origin };
  if (plan.credentials) h["access-control-allow-credentials"] = "true";
  if (plan.aceh !== null) h["access-control-expose-headers"] = plan.aceh;
  return h;
}

const VARY_ORIGIN = ["Origin"];

/**
 * Put `grant` (and `Vary: Origin` when the plan depends on Origin) on `response`. Mutates
 * the headers in place; copies the response only when its headers are immutable (a
 * `fetch()` result, `Response.redirect()`). Every status gets them, 3xx included.
 */
export function applyGrant(
  response: Response,
  grant: Record<string, string> | null,
  varyOrigin: boolean,
  extra?: Record<string, string>,
): Response {
  try {
    write(response.headers, grant, varyOrigin, extra);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    write(copy.headers, grant, varyOrigin, extra);
    return copy;
  }
}

function write(
  headers: Headers,
  grant: Record<string, string> | null,
  varyOrigin: boolean,
  extra?: Record<string, string>,
): void {
  if (varyOrigin) {
    const v = mergeVary(headers.get("vary"), VARY_ORIGIN, "Origin");
    if (v !== null) headers.set("vary", v);
  }
  if (grant !== null) for (const k in grant) headers.set(k, grant[k]!);
  if (extra !== undefined) for (const k in extra) headers.set(k, extra[k]!);
}
