/**
 * The decision records of a log, counted: how many decisions in all, how many refused, and the
 * refused ones grouped by origin, by reason (the core's refusal code) and by route, each with
 * first and last seen. Only counting happens here: every decision was made by the core.
 */
import type { ReadRecord, ReadStats } from "./read-logs.ts";

/** A refused decision without a refusal code (a log written by something else) is grouped by its sentence. */
const reasonKey = (refusal: string | null, reason: string) => refusal ?? (reason || "unknown");

interface Span {
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface OriginGroup extends Span {
  origin: string | null;
  /** Refusal codes, most frequent first. */
  reasons: string[];
  /** Routes it was refused on (`null`: the top level), most frequent first. */
  routes: Array<string | null>;
}

export interface ReasonGroup extends Span {
  reason: string;
  /** Distinct origins refused for it. */
  origins: number;
  /** The first such decision, in the core's words. */
  example: { origin: string | null; reason: string; fix: string | null };
}

export interface RouteGroup extends Span {
  /** The route pattern, or `null` for the top-level policy. */
  route: string | null;
  origins: number;
  reasons: string[];
}

/** `--json` output of `report` (docs/cli.md). */
export interface ReportJson {
  command: "report";
  /** The file read, or `-` for standard input. */
  source: string;
  /** Decisions in the log: the lines, plus those the rate bound counted without writing. */
  total: number;
  /** Refused decisions, written or only counted. */
  refused: number;
  /** Allowed decisions (logged at `CORS_DECISION_LOG=all` only). */
  allowed: number;
  /** What `cors.decision.dropped` lines counted: in `total` and `refused`, not in the groups. */
  dropped: { count: number; refused: number };
  input: ReadStats;
  byOrigin: OriginGroup[];
  byReason: ReasonGroup[];
  byRoute: RouteGroup[];
}

/** A running group: counts per sub-key, for "most frequent first". */
class Tally<K> {
  readonly #counts = new Map<K, number>();
  add(key: K): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }
  get size(): number {
    return this.#counts.size;
  }
  ranked(): K[] {
    return [...this.#counts].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  }
}

function widen(span: Span, seen: string | null): void {
  span.count++;
  if (seen === null) return;
  if (span.firstSeen === null || seen < span.firstSeen) span.firstSeen = seen;
  if (span.lastSeen === null || seen > span.lastSeen) span.lastSeen = seen;
}

/** Most refused first; ties by key, so the output is stable. */
function ranked<T extends Span>(groups: Iterable<T>, key: (g: T) => string | null): T[] {
  return [...groups].sort(
    (a, b) => b.count - a.count || String(key(a) ?? "").localeCompare(String(key(b) ?? "")),
  );
}

export function summarize(source: string, records: ReadRecord[], input: ReadStats): ReportJson {
  const out: ReportJson = {
    command: "report",
    source,
    total: 0,
    refused: 0,
    allowed: 0,
    dropped: { count: 0, refused: 0 },
    input,
    byOrigin: [],
    byReason: [],
    byRoute: [],
  };
  const origins = new Map<
    string | null,
    { g: OriginGroup; reasons: Tally<string>; routes: Tally<string | null> }
  >();
  const reasons = new Map<string, { g: ReasonGroup; origins: Tally<string | null> }>();
  const routes = new Map<
    string | null,
    { g: RouteGroup; origins: Tally<string | null>; reasons: Tally<string> }
  >();
  const span = (): Span => ({ count: 0, firstSeen: null, lastSeen: null });

  for (const r of records) {
    if (r.type === "dropped") {
      out.dropped.count += r.count;
      out.dropped.refused += r.refused;
      continue;
    }
    const d = r.record;
    if (d.allowed) {
      out.allowed++;
      continue;
    }
    out.refused++;
    const why = reasonKey(d.refusal, d.reason);

    let o = origins.get(d.origin);
    if (o === undefined) {
      o = {
        g: { origin: d.origin, ...span(), reasons: [], routes: [] },
        reasons: new Tally(),
        routes: new Tally(),
      };
      origins.set(d.origin, o);
    }
    widen(o.g, r.seen);
    o.reasons.add(why);
    o.routes.add(d.route);

    let w = reasons.get(why);
    if (w === undefined) {
      const example = { origin: d.origin, reason: d.reason, fix: d.fix };
      w = { g: { reason: why, ...span(), origins: 0, example }, origins: new Tally() };
      reasons.set(why, w);
    }
    widen(w.g, r.seen);
    w.origins.add(d.origin);

    let t = routes.get(d.route);
    if (t === undefined) {
      t = {
        g: { route: d.route, ...span(), origins: 0, reasons: [] },
        origins: new Tally(),
        reasons: new Tally(),
      };
      routes.set(d.route, t);
    }
    widen(t.g, r.seen);
    t.origins.add(d.origin);
    t.reasons.add(why);
  }

  out.total = out.refused + out.allowed + out.dropped.count;
  out.refused += out.dropped.refused;
  out.allowed += out.dropped.count - out.dropped.refused;
  out.byOrigin = ranked(
    [...origins.values()].map(({ g, reasons, routes }) => ({
      origin: g.origin,
      count: g.count,
      reasons: reasons.ranked(),
      routes: routes.ranked(),
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
    })),
    (g) => g.origin,
  );
  out.byReason = ranked(
    [...reasons.values()].map(({ g, origins }) => ({
      reason: g.reason,
      count: g.count,
      origins: origins.size,
      example: g.example,
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
    })),
    (g) => g.reason,
  );
  out.byRoute = ranked(
    [...routes.values()].map(({ g, origins, reasons }) => ({
      route: g.route,
      count: g.count,
      origins: origins.size,
      reasons: reasons.ranked(),
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
    })),
    (g) => g.route,
  );
  return out;
}
