/**
 * Finds the decision log's records in captured logs, whatever carried them:
 * - plain JSON lines, as the layers write them (`wrangler dev`, Deno, `docker logs`);
 * - `wrangler tail --format json`: one pretty-printed JSON object per event, the lines inside
 *   `logs[].message` (the console.log arguments);
 * - lines with a prefix before the JSON (CloudWatch's `time\trequest-id\tINFO\t{…}`), and
 *   JSON envelopes with a `message` (CloudWatch's JSON log format, log exports);
 * - anything else (wrangler's own output, other logs) is skipped and counted.
 * Reads line by line: memory stays bounded by the largest single JSON object (capped).
 */
import { DECISION_EVENT, type DecisionLine, DROPPED_EVENT } from "@edge-cors/edge/decision-log";

/** A decision line as read back: its fields, and when it was seen (its own time, else the carrier's). */
export interface ReadDecision {
  type: "decision";
  record: Pick<
    DecisionLine,
    | "mode"
    | "allowed"
    | "kind"
    | "origin"
    | "method"
    | "path"
    | "route"
    | "refusal"
    | "reason"
    | "fix"
  >;
  seen: string | null;
}

/** A `cors.decision.dropped` summary: decisions the layer counted but did not write. */
export interface ReadDropped {
  type: "dropped";
  count: number;
  refused: number;
  seen: string | null;
}

export type ReadRecord = ReadDecision | ReadDropped;

export interface ReadStats {
  /** Lines of input. */
  lines: number;
  /** Lines (or JSON objects) that held no decision record. */
  skipped: number;
}

/** The largest multi-line JSON object gathered (a `wrangler tail` event is a few KB). */
export const MAX_OBJECT_CHARS = 1024 * 1024;
const MARKER = `{"event":"cors.`;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const stringOrNull = (v: unknown) => typeof v === "string" || v === null;

/** An ISO 8601 time from an ISO string or epoch milliseconds; null when it is neither. */
function isoTime(value: unknown): string | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

function decisionOf(v: Json, carrierTime: string | null): ReadDecision | null {
  if (
    typeof v.allowed !== "boolean" ||
    typeof v.kind !== "string" ||
    !stringOrNull(v.origin) ||
    !stringOrNull(v.route) ||
    !stringOrNull(v.refusal ?? null)
  )
    return null;
  return {
    type: "decision",
    record: {
      mode: v.mode === "enforce" ? "enforce" : "report",
      allowed: v.allowed,
      kind: v.kind as DecisionLine["kind"],
      origin: v.origin as string | null,
      method: typeof v.method === "string" ? v.method : "",
      path: typeof v.path === "string" ? v.path : "",
      route: v.route as string | null,
      refusal: (v.refusal ?? null) as string | null,
      reason: typeof v.reason === "string" ? v.reason : "",
      fix: typeof v.fix === "string" ? v.fix : null,
    },
    seen: isoTime(v.time) ?? carrierTime,
  };
}

function droppedOf(v: Json, carrierTime: string | null): ReadDropped | null {
  if (typeof v.count !== "number" || !Number.isInteger(v.count) || v.count < 0) return null;
  const refused = typeof v.refused === "number" && Number.isInteger(v.refused) ? v.refused : 0;
  return { type: "dropped", count: v.count, refused, seen: isoTime(v.since) ?? carrierTime };
}

/**
 * Where a record's JSON starts in a line, or -1. A record is the whole line — as the layers
 * write it — or follows exactly CloudWatch's `time\trequest-id\tLEVEL\t` prefix. A record
 * anywhere else (an app's own line that logs a client header) is not the layer's and is
 * skipped: a client could write it.
 */
function recordStart(text: string): number {
  if (text.startsWith(MARKER)) return 0;
  const at = text.indexOf(MARKER);
  if (at < 0) return -1;
  const prefix = text.slice(0, at).split("\t");
  const cloudWatch =
    prefix.length === 4 &&
    prefix[3] === "" &&
    isoTime(prefix[0]) !== null &&
    /^[A-Za-z0-9-]+$/.test(prefix[1]!) &&
    /^[A-Z]+$/.test(prefix[2]!);
  return cloudWatch ? at : -1;
}

/** The record a line holds (see {@link recordStart}). */
function fromText(text: string, carrierTime: string | null, out: ReadRecord[]): void {
  const at = recordStart(text);
  if (at < 0) return;
  try {
    fromValue(JSON.parse(text.slice(at).trimEnd()), carrierTime, out, 0);
  } catch {
    // Not JSON after all.
  }
}

/** The records in one parsed JSON value: a record itself, or an envelope that carries some. */
function fromValue(value: unknown, carrierTime: string | null, out: ReadRecord[], depth: number) {
  if (depth > 4) return;
  if (typeof value === "string") return fromText(value, carrierTime, out);
  if (Array.isArray(value)) {
    for (const item of value) fromValue(item, carrierTime, out, depth + 1);
    return;
  }
  if (!isObject(value)) return;
  if (value.event === DECISION_EVENT) {
    const d = decisionOf(value, carrierTime);
    if (d !== null) out.push(d);
    return;
  }
  if (value.event === DROPPED_EVENT) {
    const d = droppedOf(value, carrierTime);
    if (d !== null) out.push(d);
    return;
  }
  // `wrangler tail --format json`: { logs: [{ message: [...], timestamp }], eventTimestamp }.
  const eventTime = isoTime(value.eventTimestamp) ?? carrierTime;
  if (Array.isArray(value.logs)) {
    for (const log of value.logs) {
      // The layers log one argument per line; a record as a later argument is someone else's.
      const message = isObject(log) ? log.message : undefined;
      const single = Array.isArray(message)
        ? message.length === 1
          ? message[0]
          : undefined
        : message;
      if (isObject(log) && single !== undefined)
        fromValue(single, isoTime(log.timestamp) ?? eventTime, out, depth + 1);
    }
  }
  // CloudWatch JSON log format and log exports: { timestamp, message }.
  if ("message" in value && !Array.isArray(value.logs))
    fromValue(value.message, isoTime(value.timestamp) ?? eventTime, out, depth + 1);
}

/** Tracks `{`/`[` depth outside JSON strings, to find where a multi-line object ends. */
class DepthScanner {
  depth = 0;
  #inString = false;
  #escaped = false;

  /** Feeds `text`; true when the outermost value has closed. */
  feed(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === 0x5c) this.#escaped = true;
        else if (c === 0x22) this.#inString = false;
      } else if (c === 0x22) this.#inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth <= 0) return true;
      }
    }
    return false;
  }
}

/** The first line of a pretty-printed JSON value (`JSON.stringify(v, null, 4)`), alone. */
const OPENERS = new Set(["{", "["]);

/**
 * Every decision record in `lines`, in order. A line holding only `{` or `[` opens a
 * pretty-printed JSON value (`wrangler tail --format json`), gathered until its brackets close,
 * up to {@link MAX_OBJECT_CHARS}; if it is not JSON after all, its lines are read one by one.
 */
export async function readDecisionRecords(
  lines: AsyncIterable<string> | Iterable<string>,
): Promise<{ records: ReadRecord[]; stats: ReadStats }> {
  const records: ReadRecord[] = [];
  const stats: ReadStats = { lines: 0, skipped: 0 };
  let gathering: { lines: string[]; chars: number; scanner: DepthScanner } | null = null;
  /** Reads one unit (a line, or a gathered value) and counts it when it held nothing. */
  const unit = (read: () => void) => {
    const before = records.length;
    read();
    if (records.length === before) stats.skipped++;
  };
  const finishGathering = (g: NonNullable<typeof gathering>) => {
    const text = g.lines.join("\n");
    unit(() => {
      try {
        fromValue(JSON.parse(text), null, records, 0);
      } catch {
        for (const l of g.lines) fromText(l, null, records);
      }
    });
  };
  for await (const raw of lines) {
    stats.lines++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (gathering !== null) {
      gathering.lines.push(line);
      gathering.chars += line.length + 1;
      if (gathering.scanner.feed(line) || gathering.chars > MAX_OBJECT_CHARS) {
        finishGathering(gathering);
        gathering = null;
      }
      continue;
    }
    const trimmed = line.trim();
    if (OPENERS.has(trimmed)) {
      const scanner = new DepthScanner();
      scanner.feed(trimmed);
      gathering = { lines: [line], chars: line.length, scanner };
      continue;
    }
    unit(() => {
      if (trimmed.startsWith("{")) {
        try {
          return fromValue(JSON.parse(trimmed), null, records, 0);
        } catch {
          // A prefix-free line that is not JSON: look for a record inside it.
        }
      }
      fromText(line, null, records);
    });
  }
  if (gathering !== null) finishGathering(gathering);
  return { records, stats };
}
