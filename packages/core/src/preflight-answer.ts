import type { CompiledPolicy } from "./compile.ts";
import { classify, decide, type HeaderSource, originListed, rulesForPath } from "./decide.ts";
import { answerStatus, decisionHeaders } from "./render.ts";

/** A request as plain values, for runtimes that have no `Request`/`Headers` (CloudFront Functions). */
export interface PlainRequest {
  method: string;
  /** The request path as sent, without the query (a route is chosen on it). */
  path: string;
  /** Header lookup by lower-case name; several lines of one header joined with `, `. */
  headers: HeaderSource;
}

/** edge-cors's own answer as data: a preflight answer, or a refused WebSocket handshake. */
export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
}

/**
 * What edge-cors answers itself for a request given as plain values — the same decision and
 * headers as `Cors.preflight` in enforce mode — or `null` when the request goes on. An origin
 * predicate needs the Request, so compiled policies with one are refused here (TypeError).
 */
export function answerPlainRequest(
  compiled: Pick<CompiledPolicy, "base" | "patterns" | "routes" | "ambiguous" | "pathCase">,
  request: PlainRequest,
): PlainAnswer | null {
  const facts = classify(request.method, request.headers);
  if (facts.kind !== "preflight" && facts.kind !== "websocket") return null;
  const rules = rulesForPath(compiled as CompiledPolicy, request.path);
  if (rules.allowOrigins.predicate !== null)
    throw new TypeError("an origin predicate needs a Request");
  const decision = decide(rules, facts, request.headers, originListed(rules, facts.origin!));
  const status = answerStatus(decision);
  return status === null ? null : { status, headers: decisionHeaders(decision, null) };
}
