/**
 * `report`'s human output: three tables of refused decisions (by origin, reason, route). Every
 * value from the log may come from an attacker (an Origin is whatever a client sent), so each is
 * made terminal-safe before it is printed: control, bidi and line-separator characters are
 * shown escaped, and long values are cut.
 */
import { style } from "../color.ts";
import { plural } from "../render.ts";
import type { ReportJson } from "./summarize.ts";

/** A character a terminal would act on or reorder: C0/C1 controls, DEL, zero-width, bidi, separators. */
function isUnsafe(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff
  );
}

/** The widest cell shown; the JSON output has the full (logged) value. */
export const MAX_CELL = 72;

/** `value` as it can be printed: unsafe characters escaped (`\u001b`), cut to `max`. */
export function terminalSafe(value: string, max = MAX_CELL): string {
  let escaped = "";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    escaped += isUnsafe(c) ? `\\u${c.toString(16).padStart(4, "0")}` : value[i];
  }
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}

const routeName = (route: string | null) => (route === null ? "(top level)" : route);
const originName = (origin: string | null) => (origin === null ? "(no Origin)" : origin);
/** ISO 8601 to the second, or a dash. */
const when = (t: string | null) => (t === null ? "–" : `${t.slice(0, 19)}Z`);

type Row = string[];

/** Columns padded to their widest cell; numbers (right-aligned) where `numeric[i]`. */
function table(head: Row, rows: Row[], numeric: boolean[]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: Row) =>
    `  ${cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd()}`;
  return [line(head), ...rows.map(line)];
}

interface Group {
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** A column: its heading, its cell, and whether it holds a number. */
type Column<G> = [head: string, cell: (g: G) => string, numeric?: boolean];

/** One group table: the key, REFUSED, `columns`, then FIRST SEEN and LAST SEEN. */
function groupTable<G extends Group>(key: Column<G>, columns: Column<G>[], groups: G[]): string[] {
  const all: Column<G>[] = [
    key,
    ["REFUSED", (g) => String(g.count), true],
    ...columns,
    ["FIRST SEEN", (g) => when(g.firstSeen)],
    ["LAST SEEN", (g) => when(g.lastSeen)],
  ];
  return table(
    all.map(([head]) => head),
    groups.map((g) => all.map(([, cell]) => cell(g))),
    all.map(([, , numeric]) => numeric === true),
  );
}

const list = (items: Array<string | null>, name: (x: string | null) => string = String) =>
  items.map((x) => terminalSafe(name(x), 40)).join(", ");

export function renderReport(r: ReportJson, color: boolean): string {
  const s = style(color);
  const out: string[] = [];
  const notWritten =
    r.dropped.count > 0 ? ` (${r.dropped.count} counted but not written: rate bound)` : "";
  out.push(
    `${s.bold("edge-cors report")}  ${plural(r.total, "decision")}${notWritten}, ${s.bold(`${r.refused} refused`)}, ${r.allowed} allowed  ${s.dim(`(${r.source}: ${plural(r.input.lines, "line")})`)}`,
  );
  if (r.total === 0) {
    out.push(
      "",
      "No decision lines found. Is the layer in report mode (or CORS_DECISION_LOG set)? Pipe `wrangler tail --format json`, or the layer's stdout.",
    );
    return `${out.join("\n")}\n`;
  }
  if (r.byOrigin.length > 0) {
    out.push("", s.bold("Refused by origin"));
    out.push(
      ...groupTable(
        ["ORIGIN", (g) => terminalSafe(originName(g.origin))],
        [
          ["REASONS", (g) => list(g.reasons)],
          ["ROUTES", (g) => list(g.routes, routeName)],
        ],
        r.byOrigin,
      ),
    );
    out.push("", s.bold("Refused by reason"));
    out.push(
      ...groupTable(
        ["REASON", (g) => terminalSafe(g.reason, 40)],
        [
          ["ORIGINS", (g) => String(g.origins), true],
          ["EXAMPLE", (g) => terminalSafe(g.example.reason, 60)],
        ],
        r.byReason,
      ),
    );
    out.push("", s.bold("Refused by route"));
    out.push(
      ...groupTable(
        ["ROUTE", (g) => terminalSafe(routeName(g.route), 40)],
        [
          ["ORIGINS", (g) => String(g.origins), true],
          ["REASONS", (g) => list(g.reasons)],
        ],
        r.byRoute,
      ),
    );
  }
  if (r.dropped.refused > 0) {
    out.push(
      "",
      s.dim(
        `${plural(r.dropped.refused, "refused decision")} beyond CORS_DECISION_LOG_RATE: counted above, not grouped.`,
      ),
    );
  }
  if (r.byOrigin.length > 0) {
    out.push(
      "",
      `Allow only origins you recognise (an attacker's shows up here too): ${s.cyan("edge-cors report LOG --policy policy.json --accept ORIGIN")}`,
    );
  }
  return `${out.join("\n")}\n`;
}
