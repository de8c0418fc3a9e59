/**
 * Rendering a decision: as a `Response` (the request path), or as a header record (`explain`,
 * `onDecision`, Lambda@Edge, the CloudFront Function). Both sinks are fed by the same
 * functions below, so the headers a decision announces are the headers it sends.
 */
import type { RouteRules } from "./compile.ts";
import type { CorsDecision } from "./decide.ts";
import { mergeVary } from "./vary.ts";

/** Status of an answered preflight: Fetch requires an ok status (200-299) to pass. */
export const PREFLIGHT_OK_STATUS = 204;
/** Status of a refused preflight or WebSocket handshake: not ok, so the browser fails it. */
export const REFUSED_STATUS = 403;

/** The name of the header `decisionHeader: true` adds. */
export const DECISION_HEADER = "x-cors-decision";

/**
 * Where headers are written: a `Headers` itself on the request path (no closure, no copy), or
 * a record-backed sink for `explain` and the request-free runtimes.
 */
export interface HeaderSink {
  set(name: string, value: string): void;
}

/** A sink that collects headers into a record. */
function recordSink(): HeaderSink & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  return {
    headers,
    set(name, value) {
      headers[name] = value;
    },
  };
}

const ALLOW_ORIGIN = "access-control-allow-origin";
const ALLOW_CREDENTIALS = "access-control-allow-credentials";
const ALLOW_METHODS = "access-control-allow-methods";
const ALLOW_HEADERS = "access-control-allow-headers";
const EXPOSE_HEADERS = "access-control-expose-headers";

/** The headers of a granted preflight answer that depend on the request. */
function preflightRequestDependent(decision: CorsDecision, set: HeaderSink): void {
  const rules = decision.rules;
  if (!rules.allowOrigins.any) set.set(ALLOW_ORIGIN, decision.origin!);
  if (rules.allowMethods.echo) set.set(ALLOW_METHODS, decision.requestedMethod!);
  if (rules.allowHeaders.echo && decision.requestedHeaders)
    set.set(ALLOW_HEADERS, decision.requestedHeaders);
  if (decision.privateNetwork) set.set("access-control-allow-private-network", "true");
}

/**
 * The grant headers of an actual response. A static `*` goes on every response, without Vary
 * (https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches); a listed origin only on
 * allowed ones.
 */
function actualGrant(decision: CorsDecision, set: HeaderSink): void {
  const rules = decision.rules;
  if (rules.allowOrigins.any) {
    set.set(ALLOW_ORIGIN, "*");
    if (rules.exposeHeaders !== null) set.set(EXPOSE_HEADERS, rules.exposeHeaders);
    return;
  }
  if (!decision.allowed) return;
  set.set(ALLOW_ORIGIN, decision.origin!);
  if (rules.allowCredentials) set.set(ALLOW_CREDENTIALS, "true");
  if (rules.exposeHeaders !== null) set.set(EXPOSE_HEADERS, rules.exposeHeaders);
}

/**
 * The headers of a granted preflight answer that do not depend on the request, in order (a
 * `Cors` builds them once per rule set, as a `Headers` template).
 */
export function fixedPreflightHeaders(rules: RouteRules, set: HeaderSink): void {
  if (rules.allowOrigins.any) set.set(ALLOW_ORIGIN, "*");
  if (rules.allowCredentials) set.set(ALLOW_CREDENTIALS, "true");
  if (rules.allowMethods.answer !== null) set.set(ALLOW_METHODS, rules.allowMethods.answer);
  if (rules.allowHeaders.answer !== null) set.set(ALLOW_HEADERS, rules.allowHeaders.answer);
  if (rules.maxAge !== null) set.set("access-control-max-age", String(rules.maxAge));
  set.set("vary", rules.preflightVary);
}

/**
 * A WebSocket handshake edge-cors refuses itself: from an origin the rules do not allow, with
 * `checkWebSocketOrigin` on. Any other handshake goes on to the app.
 */
function refusesHandshake(decision: CorsDecision): boolean {
  return decision.kind === "websocket" && !decision.allowed && decision.rules.checkWebSocketOrigin;
}

/** The status edge-cors answers with itself, or `null` when the request goes on to the app. */
export function answerStatus(decision: CorsDecision): number | null {
  if (decision.kind === "preflight") return decision.allowed ? PREFLIGHT_OK_STATUS : REFUSED_STATUS;
  if (refusesHandshake(decision)) return REFUSED_STATUS;
  return null;
}

/** The headers of edge-cors's own answer (a preflight, a refused handshake), as a record. */
export function answerHeaders(decision: CorsDecision): Record<string, string> {
  const sink = recordSink();
  if (decision.kind === "websocket")
    sink.set("vary", "Origin"); // a refused handshake
  else if (!decision.allowed) sink.set("vary", decision.rules.preflightVary);
  else {
    fixedPreflightHeaders(decision.rules, sink);
    preflightRequestDependent(decision, sink);
  }
  return sink.headers;
}

/**
 * Every header edge-cors sets for `decision` (lower-case names), as a record: the answer's
 * headers for a preflight or refused handshake, the decoration of the app's response
 * otherwise (`vary` then meaning "merged into the app's Vary").
 */
export function decisionHeaders(
  decision: CorsDecision,
  decisionHeader: string | null,
): Record<string, string> {
  const answered = answerStatus(decision) !== null;
  const headers: Record<string, string> = answered ? answerHeaders(decision) : {};
  if (!answered) {
    if (decision.rules.varyOrigin) headers.vary = "Origin";
    const sink = recordSink();
    actualGrant(decision, sink);
    Object.assign(headers, sink.headers);
  }
  if (decisionHeader !== null) headers[DECISION_HEADER] = decisionHeader;
  return headers;
}

/**
 * Prebuilt headers of a rule set's preflight answers. A Response initialised from a Headers
 * object copies its list, which is cheaper than converting a record every time.
 */
export interface PreflightTemplates {
  granted: Headers;
  refused: Headers;
}

export function preflightTemplates(rules: RouteRules): PreflightTemplates {
  const granted = new Headers();
  fixedPreflightHeaders(rules, granted);
  return { granted, refused: new Headers({ vary: rules.preflightVary }) };
}

/** The Response edge-cors answers itself with: a preflight answer or a refused handshake. */
export function answerResponse(
  decision: CorsDecision,
  templates: PreflightTemplates,
  decisionHeader: string | null,
): Response {
  let response: Response;
  if (decision.kind === "preflight" && decision.allowed) {
    response = new Response(null, { status: PREFLIGHT_OK_STATUS, headers: templates.granted });
    const headers = response.headers;
    preflightRequestDependent(decision, headers);
  } else if (decision.kind === "preflight") {
    response = new Response(null, { status: REFUSED_STATUS, headers: templates.refused });
  } else {
    response = new Response(null, { status: REFUSED_STATUS, headers: { vary: "Origin" } });
  }
  if (decisionHeader !== null) response.headers.set(DECISION_HEADER, decisionHeader);
  return response;
}

const VARY_ORIGIN = ["Origin"];

function writeDecoration(
  headers: Headers,
  decision: CorsDecision,
  decisionHeader: string | null,
): void {
  if (decision.rules.varyOrigin) {
    const vary = mergeVary(headers.get("vary"), VARY_ORIGIN, "Origin");
    if (vary !== null) headers.set("vary", vary);
  }
  actualGrant(decision, headers);
  if (decisionHeader !== null) headers.set(DECISION_HEADER, decisionHeader);
}

/**
 * Put the decision's headers on the app's response (`Vary: Origin` merged, never copied from
 * the request). Mutates the headers in place; copies the response only when its headers are
 * immutable (a `fetch()` result, `Response.redirect()`). Every status gets them, 3xx included
 * (https://fetch.spec.whatwg.org/#http-fetch runs the CORS check on redirects too). A
 * `101 Switching Protocols` to a WebSocket handshake is left untouched.
 */
export function decorateResponse(
  response: Response,
  decision: CorsDecision,
  decisionHeader: string | null,
): Response {
  // A handshake the app accepted (101) is the connection itself; any other answer to a
  // handshake-shaped request is an ordinary response, decorated (and varied) as one.
  if (decision.kind === "websocket" && response.status === 101) return response;
  try {
    writeDecoration(response.headers, decision, decisionHeader);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    writeDecoration(copy.headers, decision, decisionHeader);
    return copy;
  }
}
