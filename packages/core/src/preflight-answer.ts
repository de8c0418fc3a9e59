import type { CompiledPolicy, RouteRules } from "./compile.ts";
import { classify, decide, type HeaderSource, originListed } from "./decide.ts";
import { answerHeaders, answerStatus } from "./render.ts";
import { AMBIGUOUS, routeByReadings } from "./routes.ts";

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
 * edge-cors's own answer with `rules` already chosen (a policy without routes: the top level),
 * or `null` when the request goes on.
 */
export function answerWithRules(rules: RouteRules, request: PlainRequest): PlainAnswer | null {
  const facts = classify(request.method, request.headers);
  if (facts.kind !== "preflight" && facts.kind !== "websocket") return null;
  const listed = !rules.ambiguous && originListed(rules, facts.origin!);
  const decision = decide(rules, facts, request.headers, listed);
  const status = answerStatus(decision);
  return status === null ? null : { status, headers: answerHeaders(decision) };
}

/**
 * What edge-cors answers itself for a request given as plain values — the same decision and
 * headers as `Cors.preflight` in enforce mode — or `null` when the request goes on. An origin
 * predicate needs the Request: here only the listed origins count (a predicate-only policy
 * refuses every origin; code generators refuse predicates at build time).
 */
export function answerPlainRequest(
  compiled: Pick<
    CompiledPolicy,
    "base" | "patterns" | "routes" | "ambiguous" | "pathCase" | "foldPatterns"
  >,
  request: PlainRequest,
): PlainAnswer | null {
  const index = routeByReadings(
    compiled.patterns,
    request.path,
    compiled.pathCase,
    compiled.foldPatterns,
  );
  const rules =
    index === AMBIGUOUS ? compiled.ambiguous : index < 0 ? compiled.base : compiled.routes[index]!;
  return answerWithRules(rules, request);
}
