import {
  actualGrant,
  PREFLIGHT_OK_STATUS,
  PREFLIGHT_REFUSED_STATUS,
  preflightGrant,
  type Refusal,
} from "./grant.ts";
import { ACRH_MAX_EMPTY, ACRH_MAX_LENGTH, ACRH_MAX_OWS } from "./names.ts";
import { MAX_ORIGIN_LENGTH } from "./origins.ts";
import type { Plan } from "./plan.ts";
import type { Decision, RequestKind } from "./policy.ts";
import { effectiveCacheSeconds, NON_WILDCARD_REQUEST_HEADERS } from "./spec.ts";

/** Everything explain needs about a request, read once. */
export interface RequestFacts {
  kind: RequestKind;
  origin: string | null;
  method: string;
  acrm: string | null;
  acrh: string | null;
  pna: boolean;
}

export function requestFacts(request: Request): RequestFacts {
  const h = request.headers;
  const origin = h.get("origin");
  const acrm = h.get("access-control-request-method");
  const kind: RequestKind =
    request.method === "OPTIONS"
      ? origin !== null && acrm !== null
        ? "preflight"
        : "plain-options"
      : origin !== null
        ? "actual"
        : "not-cors";
  return {
    kind,
    origin,
    method: request.method,
    acrm,
    acrh: h.get("access-control-request-headers"),
    pna: h.get("access-control-request-private-network") === "true",
  };
}

const where = (plan: Plan) =>
  plan.route === null ? "allowOrigins" : `allowOrigins of route "${plan.route}"`;
const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);

function originReason(plan: Plan, origin: string): string {
  if (origin === "null") {
    return 'Origin is "null" (a sandboxed iframe, data: URL, file: page or cross-origin redirect): it is never allowed, since anyone can produce it';
  }
  if (origin.length > MAX_ORIGIN_LENGTH)
    return `Origin is longer than ${MAX_ORIGIN_LENGTH} bytes: refused unread`;
  return `Origin ${clip(origin)} is not allowed: add "${clip(origin)}" (or a pattern covering it) to ${where(plan)}`;
}

function refusalReason(
  plan: Plan,
  f: RequestFacts,
  refusal: Refusal,
  name: string | undefined,
): string {
  switch (refusal) {
    case "origin":
      return originReason(plan, f.origin!);
    case "method": {
      const m = clip(f.acrm!);
      const upper = m.toUpperCase();
      const hint =
        upper !== m && plan.methods.names.has(upper)
          ? ` (allowMethods has "${upper}", but browsers send "${m}" as written and compare case-sensitively)`
          : "";
      return `Access-Control-Request-Method ${m} is not in allowMethods: add "${m}" to allowMethods${hint}`;
    }
    case "headers":
      if (name !== undefined && NON_WILDCARD_REQUEST_HEADERS.has(name) && plan.headers.any) {
        return `Access-Control-Request-Headers asks for ${name}, which "*" never covers (Fetch): list "Authorization" in allowHeaders`;
      }
      return `Access-Control-Request-Headers asks for ${clip(name ?? "?")}, which allowHeaders does not list: add "${clip(name ?? "?")}" to allowHeaders`;
    case "headers-malformed":
      return `Access-Control-Request-Headers is malformed or beyond the bounds (${ACRH_MAX_LENGTH} bytes, ${ACRH_MAX_EMPTY} empty elements, ${ACRH_MAX_OWS} spaces around a name): preflight refused`;
  }
}

/**
 * Build the decision for a request whose origin verdict is known. Uses the same grant
 * functions as the request path, so the headers here are the headers sent.
 */
export function decide(
  plan: Plan,
  f: RequestFacts,
  originOk: boolean,
  mode: "enforce" | "report",
  debug: boolean,
): Decision {
  const reasons: string[] = [];
  const d: Decision = {
    kind: f.kind,
    allowed: false,
    origin: f.origin,
    route: plan.route,
    reasons,
    headers: {},
    mode,
  };
  if (f.kind === "preflight") {
    const out: { name?: string } = {};
    const g = preflightGrant(plan, f.origin!, originOk, f.acrm!, f.acrh, f.pna, out);
    if (typeof g === "string") {
      d.status = PREFLIGHT_REFUSED_STATUS;
      d.headers.vary = plan.varyPreflight;
      reasons.push(refusalReason(plan, f, g, out.name));
      reasons.push(
        `Preflight refused with ${PREFLIGHT_REFUSED_STATUS} and no grant headers; it never reaches the app`,
      );
    } else {
      d.allowed = true;
      d.status = PREFLIGHT_OK_STATUS;
      d.headers = g;
      reasons.push(
        `Preflight for ${clip(f.acrm!)} from ${clip(f.origin!)} allowed by ${plan.origins.any ? 'allowOrigins "*"' : where(plan)}; answered with ${PREFLIGHT_OK_STATUS}, never reaching the app`,
      );
      const c = effectiveCacheSeconds(plan.maxAge);
      d.preflightCache = { maxAge: plan.maxAge ?? null, ...c };
      reasons.push(
        plan.maxAge === undefined
          ? `No maxAge: no Access-Control-Max-Age, so browsers cache this preflight for 5 s`
          : `Access-Control-Max-Age ${plan.maxAge}: Chromium caches ${c.chromium} s, Firefox ${c.firefox} s, WebKit ${c.webkit} s`,
      );
      if (f.pna && !plan.privateNetwork) {
        reasons.push(
          "Access-Control-Request-Private-Network: true was not granted: set allowPrivateNetwork: true if this server is on a private network",
        );
      }
    }
  } else {
    const g = actualGrant(plan, f.origin, originOk);
    d.allowed = g !== null && f.origin !== null;
    if (plan.varyOrigin) d.headers.vary = "Origin";
    if (g !== null) Object.assign(d.headers, g);
    if (f.kind === "plain-options") {
      reasons.push(
        "OPTIONS without both Origin and Access-Control-Request-Method is not a preflight: passed on to the app",
      );
    }
    if (f.origin === null) {
      reasons.push(
        plan.origins.any
          ? 'No Origin header: not a CORS request; the static "Access-Control-Allow-Origin: *" is sent anyway'
          : "No Origin header: not a CORS request; passed on with Vary: Origin, since the response depends on Origin",
      );
    } else if (g === null) {
      reasons.push(originReason(plan, f.origin));
      reasons.push(
        "Passed on to the app; the response gets no grant headers, so the browser blocks the script from reading it",
      );
    } else {
      reasons.push(
        `Origin ${clip(f.origin)} allowed by ${plan.origins.any ? 'allowOrigins "*"' : where(plan)}: passed on, the response gets the grant headers`,
      );
    }
  }
  if (mode === "report")
    reasons.push(
      'mode "report": decision recorded only; the request and response are left untouched',
    );
  if (debug) d.headers["x-cors-decision"] = debugValue(d);
  return d;
}

function debugValue(d: Decision): string {
  const reason = d.reasons[0] ?? "";
  // Header values must be printable ASCII-safe; keep it short.
  const s = `${d.kind}; ${d.allowed ? "allowed" : "denied"}; ${reason}`;
  let out = "";
  // Header values must be visible ASCII; no regex over request-derived text.
  for (let i = 0; i < s.length && i < 256; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x20 && c <= 0x7e ? s[i] : "?";
  }
  return out;
}
