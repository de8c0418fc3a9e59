/**
 * The decision log's line formats: one JSON object per line, for Workers Logs, `wrangler tail`,
 * Deno Deploy logs and CloudWatch. Only the core's decision is rendered here (no CORS rule is
 * re-decided), and only what is safe to log: the Origin and the method are the only request
 * header values that appear; never bodies, cookies or `Authorization`. Every string that an
 * attacker controls (origin, method, path, and the core's sentences that quote them) is
 * clipped, and the line is JSON-escaped so that no value can break it in two.
 */
import type { Decision, RequestKind } from "@edge-cors/core";

/** `event` of a decision line. */
export const DECISION_EVENT = "cors.decision";
/** `event` of the line that counts the decisions the rate bound did not write. */
export const DROPPED_EVENT = "cors.decision.dropped";

/** The kinds that are logged: the others grant and refuse nothing. */
export type LoggedKind = Extract<RequestKind, "preflight" | "actual" | "websocket">;

/** One logged decision, field for field as it is written. */
export interface DecisionLine {
  event: typeof DECISION_EVENT;
  mode: "enforce" | "report";
  allowed: boolean;
  kind: LoggedKind;
  /** The request's Origin, clipped to {@link FIELD_LIMITS}`.origin` characters. */
  origin: string | null;
  /** The method; for a preflight, the one it asks for (Access-Control-Request-Method). */
  method: string;
  /** The raw request path, without the query. */
  path: string;
  /** The matched `routes[].path`, or null for the top-level policy. */
  route: string | null;
  /** The core's stable refusal code (`origin-not-allowed`, …), or null when allowed. */
  refusal: string | null;
  /** The decision in one sentence, as `edge-cors explain` gives it. */
  reason: string;
  /** What to change to get the grant, or null. */
  fix: string | null;
  /** When it was decided (ISO 8601, the isolate's clock). */
  time: string;
}

/**
 * Written at most once per window when the rate bound held lines back: how many decisions it
 * counted without writing them, how many of those were refused, and the window they fell in.
 */
export interface DroppedLine {
  event: typeof DROPPED_EVENT;
  count: number;
  refused: number;
  /** The window's start and end (ISO 8601): one second. */
  since: string;
  until: string;
}

/** The longest value each field holds; a longer one is cut and ends in `…`. */
export const FIELD_LIMITS = {
  origin: 300,
  method: 32,
  path: 512,
  route: 256,
  refusal: 64,
  reason: 600,
  fix: 600,
} as const;

/** `value` cut to `limit` characters (ending in `…`), never splitting a surrogate pair. */
export function clip(value: string, limit: number): string {
  if (value.length <= limit) return value;
  let end = limit - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}

const clipOrNull = (value: string | null, limit: number) =>
  value === null ? null : clip(value, limit);

/** Is this decision one the log writes (preflight, actual, websocket)? */
export function isLoggedKind(kind: RequestKind): kind is LoggedKind {
  return kind === "preflight" || kind === "actual" || kind === "websocket";
}

/** The decision as a log record: the fields the log may hold, clipped. */
export function decisionRecord(decision: Decision, time: number): DecisionLine {
  return {
    event: DECISION_EVENT,
    mode: decision.mode,
    allowed: decision.allowed,
    kind: decision.kind as LoggedKind,
    origin: clipOrNull(decision.origin, FIELD_LIMITS.origin),
    method: clip(decision.method, FIELD_LIMITS.method),
    path: clip(decision.path, FIELD_LIMITS.path),
    route: clipOrNull(decision.route, FIELD_LIMITS.route),
    refusal: decision.refusal === null ? null : clip(decision.refusal.code, FIELD_LIMITS.refusal),
    reason: clip(decision.reason, FIELD_LIMITS.reason),
    fix: clipOrNull(decision.fix, FIELD_LIMITS.fix),
    time: new Date(time).toISOString(),
  };
}

const LINE_SEPARATORS = /[\u2028\u2029]/g;

/**
 * One JSON object on one line. JSON.stringify escapes quotes, backslashes, control characters
 * (so CR and LF) and lone surrogates; U+2028 and U+2029, which JSON allows raw but some log
 * readers split on, are escaped too.
 */
export function jsonLine(record: DecisionLine | DroppedLine): string {
  return JSON.stringify(record).replace(LINE_SEPARATORS, (c) =>
    c === "\u2028" ? "\\u2028" : "\\u2029",
  );
}

/** The line for one decision. */
export function decisionLine(decision: Decision, time: number): string {
  return jsonLine(decisionRecord(decision, time));
}

/** The summary line for the decisions one window (`since` to `until`, in ms) held back. */
export function droppedLine(count: number, refused: number, since: number, until: number): string {
  return jsonLine({
    event: DROPPED_EVENT,
    count,
    refused,
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
  });
}
