/**
 * The one decision: classify a request, pick the rules for its path, and decide what the CORS
 * protocol grants it, as a plain value. Every way edge-cors answers — `handle`, `preflight`,
 * `decorate`, `explain`, the decision header, report mode, `onDecision`, Lambda@Edge and the
 * CloudFront Function — renders this value (see render.ts and explain.ts).
 *
 * Request-free: headers come through a `HeaderSource`, so runtimes without `Request` (a
 * CloudFront Function) run the same code.
 */
import type { CompiledPolicy, RouteRules } from "./compile.ts";
import { MALFORMED_HEADER_LIST, methodAllowed, refusedRequestHeader } from "./names.ts";
import { MAX_ORIGIN_LENGTH, matchOrigin } from "./origins.ts";
import { rawPathOf } from "./paths.ts";
import type { RefusalCode, RequestKind } from "./policy.ts";
import { AMBIGUOUS, selectRoute } from "./routes.ts";
import { NON_WILDCARD_REQUEST_HEADERS } from "./spec.ts";

/** Where request headers are read from: a `Headers`, or any `get` with the same meaning. */
export interface HeaderSource {
  /** The header's value (several lines joined with `, `), or `null` when absent. */
  get(name: string): string | null;
}

/** What classification read from the request. */
export interface RequestFacts {
  kind: RequestKind;
  origin: string | null;
  /** `Access-Control-Request-Method` of a preflight, else `null`. */
  requestedMethod: string | null;
}

/** The decision for one request: everything the renderers need, nothing they recompute. */
export interface CorsDecision {
  kind: RequestKind;
  /** The rules that decided (the ambiguous-path rules when the path reads two ways). */
  rules: RouteRules;
  origin: string | null;
  /** The CORS grant was given (always false for `not-cors` and `plain-options`). */
  allowed: boolean;
  refusal: RefusalCode | null;
  /** The method or header name the refusal is about. */
  refusedName: string | null;
  /** `Access-Control-Request-Method` of a preflight. */
  requestedMethod: string | null;
  /** `Access-Control-Request-Headers` of a preflight, as sent (the echo of a `*` grant). */
  requestedHeaders: string | null;
  /** The preflight asked for, and is granted, `Access-Control-Allow-Private-Network`. */
  privateNetwork: boolean;
}

/** Does the comma-separated `list` hold `token` (ASCII case-insensitive, lower-case `token`)? */
function hasToken(list: string | null, token: string): boolean {
  if (list === null) return false;
  for (const item of list.toLowerCase().split(",")) if (item.trim() === token) return true;
  return false;
}

/**
 * A WebSocket opening handshake (RFC 6455 §4.1): `GET` with `Upgrade: websocket`,
 * `Connection: upgrade`, `Sec-WebSocket-Key` and `Sec-WebSocket-Version`. A lone `Upgrade`
 * header is not one: such a request is an ordinary request, decorated and proxied as any other.
 */
export function isWebSocketHandshake(method: string, headers: HeaderSource): boolean {
  if (method !== "GET") return false;
  const upgrade = headers.get("upgrade");
  if (upgrade === null) return false;
  return (
    hasToken(upgrade, "websocket") &&
    hasToken(headers.get("connection"), "upgrade") &&
    headers.get("sec-websocket-key") !== null &&
    headers.get("sec-websocket-version") !== null
  );
}

/** What kind of request this is, in Fetch terms (https://fetch.spec.whatwg.org/#cors-preflight-fetch). */
export function classify(method: string, headers: HeaderSource): RequestFacts {
  const origin = headers.get("origin");
  if (method === "OPTIONS") {
    // A CORS preflight is OPTIONS with Origin and Access-Control-Request-Method; any other
    // OPTIONS belongs to the app.
    const requestedMethod = origin === null ? null : headers.get("access-control-request-method");
    return {
      kind: requestedMethod !== null ? "preflight" : "plain-options",
      origin,
      requestedMethod,
    };
  }
  if (origin === null) return { kind: "not-cors", origin, requestedMethod: null };
  const kind = isWebSocketHandshake(method, headers) ? "websocket" : "actual";
  return { kind, origin, requestedMethod: null };
}

/** The rules for a request URL: its route's, the top level's, or the ambiguous-path rules. */
export function rulesForUrl(compiled: CompiledPolicy, url: string): RouteRules {
  if (compiled.patterns.length === 0) return compiled.base;
  return rulesForPath(compiled, rawPathOf(url));
}

/** The rules for a raw path (as sent, without the query). */
export function rulesForPath(compiled: CompiledPolicy, rawPath: string): RouteRules {
  if (compiled.patterns.length === 0) return compiled.base;
  const index = selectRoute(compiled.patterns, rawPath, compiled.pathCase, compiled.foldPatterns);
  if (index === AMBIGUOUS) return compiled.ambiguous;
  return index < 0 ? compiled.base : compiled.routes[index]!;
}

/** Is `origin` in the rules' origin list (or `"*"`)? The predicate is left out: it needs a Request. */
export function originListed(rules: RouteRules, origin: string): boolean {
  const origins = rules.allowOrigins;
  if (origins.any) return true;
  if (origin.length > MAX_ORIGIN_LENGTH || origin === "null") return false;
  return matchOrigin(origins, origin);
}

/** Cheap shape check run before an OriginPredicate: "scheme://host[:port]", no path, no space. */
function isOriginShaped(origin: string): boolean {
  const separator = origin.indexOf("://");
  if (separator <= 0) return false;
  for (let i = separator + 3; i < origin.length; i++) {
    const c = origin.charCodeAt(i);
    if (
      c <= 32 ||
      c >= 127 ||
      c === 47 /* / */ ||
      c === 64 /* @ */ ||
      c === 63 /* ? */ ||
      c === 35 /* # */
    )
      return false;
  }
  return origin.length > separator + 3;
}

/**
 * Is `origin` allowed by the rules? Synchronous unless an OriginPredicate returns a Promise.
 * `null` and oversized values never reach the lists or the predicate; a predicate that throws
 * or rejects denies (never a 5xx).
 */
export function originAllowed(
  rules: RouteRules,
  origin: string,
  request: Request | null,
  context: unknown,
): boolean | Promise<boolean> {
  if (originListed(rules, origin)) return true;
  const predicate = rules.allowOrigins.predicate;
  if (
    predicate === null ||
    request === null ||
    origin.length > MAX_ORIGIN_LENGTH ||
    !isOriginShaped(origin)
  )
    return false;
  try {
    const verdict = predicate(origin, request, context);
    if (typeof verdict === "boolean") return verdict;
    return Promise.resolve(verdict).then(
      (value) => value === true,
      () => false,
    );
  } catch {
    return false;
  }
}

function originRefusal(origin: string): RefusalCode {
  if (origin === "null") return "origin-null";
  return origin.length > MAX_ORIGIN_LENGTH ? "origin-too-long" : "origin-not-allowed";
}

function refused(decision: CorsDecision, code: RefusalCode, name: string | null): CorsDecision {
  decision.refusal = code;
  decision.refusedName = name;
  return decision;
}

/**
 * Decide, given the origin verdict (`originAllowed`). Preflights are checked in Fetch order
 * (https://fetch.spec.whatwg.org/#cors-preflight-fetch): path, origin, method, headers.
 */
export function decide(
  rules: RouteRules,
  facts: RequestFacts,
  headers: HeaderSource,
  originOk: boolean,
): CorsDecision {
  const { kind, origin } = facts;
  const decision: CorsDecision = {
    kind,
    rules,
    origin,
    allowed: false,
    refusal: null,
    refusedName: null,
    requestedMethod: facts.requestedMethod,
    requestedHeaders: null,
    privateNetwork: false,
  };
  // No Origin: not a CORS request. An OPTIONS with Origin but no Access-Control-Request-Method
  // is an actual request (a script's own OPTIONS, after its preflight), decided like any other.
  if (origin === null) return decision;
  if (rules.ambiguous) return refused(decision, "path-ambiguous", null);
  if (!originOk) return refused(decision, originRefusal(origin), null);
  if (kind === "preflight") {
    const method = facts.requestedMethod!;
    if (!methodAllowed(rules.allowMethods, method))
      return refused(decision, "method-not-allowed", method);
    const requested = headers.get("access-control-request-headers");
    if (requested !== null && requested !== "") {
      const name = refusedRequestHeader(rules.allowHeaders, requested);
      if (name === MALFORMED_HEADER_LIST) return refused(decision, "headers-malformed", null);
      if (name !== null) {
        const code =
          NON_WILDCARD_REQUEST_HEADERS.has(name) && rules.allowHeaders.any
            ? "authorization-not-covered"
            : "header-not-allowed";
        return refused(decision, code, name);
      }
    }
    decision.requestedHeaders = requested;
    decision.privateNetwork =
      rules.allowPrivateNetwork && headers.get("access-control-request-private-network") === "true";
  }
  decision.allowed = true;
  return decision;
}
