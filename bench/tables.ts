// Ratio and absolute tables, rendered as aligned text (console) or Markdown (BENCHMARKS.md).

import type { Result } from "./measure.ts";
import { type Scenario, SUBJECT_LABELS, type SubjectId } from "./scenarios.ts";

export type Table = { head: string[]; rows: string[][]; align?: Array<"l" | "r"> };

export function ns(v: number | undefined): string {
  if (v === undefined) return "–";
  if (v < 1000) return `${v.toFixed(0)} ns`;
  if (v < 1e6) return `${(v / 1000).toFixed(v < 1e4 ? 2 : 1)} µs`;
  return `${(v / 1e6).toFixed(2)} ms`;
}

export function x(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return "–";
  return `${r < 10 ? r.toFixed(2) : r < 100 ? r.toFixed(1) : r.toFixed(0)}x`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function bytes(v: number | null): string {
  if (v === null) return "–";
  return Math.abs(v) < 1024 ? `${v.toFixed(0)} B` : `${(v / 1024).toFixed(1)} KB`;
}

export class Results {
  readonly #by = new Map<string, Result>();
  constructor(readonly list: Result[]) {
    for (const r of list) this.#by.set(`${r.scenario}\n${r.subject}`, r);
  }
  get(scenario: string, subject: SubjectId): Result | undefined {
    return this.#by.get(`${scenario}\n${subject}`);
  }
  avg(scenario: string, subject: SubjectId): number | undefined {
    return this.get(scenario, subject)?.avg;
  }
  /**
   * `a ÷ b` in `scenario`: the median over rounds of the ratio of the two subjects' means in the
   * same round (measured back to back), so a slow patch of the machine cancels out.
   */
  ratio(scenario: string, a: SubjectId, b: SubjectId): number | undefined {
    const ra = this.get(scenario, a)?.rounds;
    const rb = this.get(scenario, b)?.rounds;
    if (!ra || !rb) return undefined;
    const n = Math.min(ra.length, rb.length);
    const ratios: number[] = [];
    for (let i = 0; i < n; i++) if (rb[i]! > 0) ratios.push(ra[i]! / rb[i]!);
    return ratios.length ? median(ratios) : undefined;
  }
}

/** One row per scenario: ratios first, absolute second. */
export function summaryTable(scenarios: Scenario[], r: Results): Table {
  const dropin = scenarios.some((s) => s.subjects.some((t) => t.id === "hono-dropin"));
  const head = [
    "scenario",
    "core ÷ floor",
    "core ÷ floor+read",
    "hono/cors ÷ core",
    "itty cors ÷ core",
  ];
  if (dropin) head.push("drop-in ÷ core");
  head.push("core", "floor", "hono/cors", "itty cors");
  if (dropin) head.push("drop-in");
  const rows = scenarios.map((s) => {
    const a = (id: SubjectId) => r.avg(s.id, id);
    const q = (top: SubjectId, bottom: SubjectId) => x(r.ratio(s.id, top, bottom));
    const row = [
      s.label,
      q("core", "floor"),
      q("core", "floor-min"),
      q("hono-cors", "core"),
      q("itty-cors", "core"),
    ];
    if (dropin) row.push(q("hono-dropin", "core"));
    row.push(ns(a("core")), ns(a("floor")), ns(a("hono-cors")), ns(a("itty-cors")));
    if (dropin) row.push(ns(a("hono-dropin")));
    return row;
  });
  return { head, rows, align: head.map((_, i) => (i === 0 ? "l" : "r")) };
}

/**
 * What each CORS layer adds over its own host (ns): core over the floor, peers over their bare
 * app. Peers answer preflights without running the app, so their preflight rows have no
 * counterpart and read "n/a".
 */
export function overheadTable(scenarios: Scenario[], r: Results): Table {
  const head = ["scenario", "core − floor", "hono/cors − Hono", "itty cors − itty Router"];
  const d = (s: string, a: SubjectId, b: SubjectId) => {
    const va = r.avg(s, a);
    const vb = r.avg(s, b);
    return va === undefined || vb === undefined ? "–" : `${(va - vb).toFixed(0)} ns`;
  };
  const rows = scenarios.map((s) => [
    s.label,
    d(s.id, "core", "floor"),
    s.kind === "preflight" ? "n/a" : d(s.id, "hono-cors", "hono-bare"),
    s.kind === "preflight" ? "n/a" : d(s.id, "itty-cors", "itty-bare"),
  ]);
  return { head, rows, align: ["l", "r", "r", "r"] };
}

/** Every subject of one scenario. */
export function detailTable(s: Scenario, r: Results): Table {
  const head = ["subject", "answer", "× floor", "÷ core", "avg", "p50", "p99", "heap/op"];
  const rows = s.subjects.map((sub) => {
    const m = r.get(s.id, sub.id);
    return [
      SUBJECT_LABELS[sub.id],
      m?.answer ?? "–",
      x(r.ratio(s.id, sub.id, "floor")),
      x(r.ratio(s.id, sub.id, "core")),
      ns(m?.avg),
      ns(m?.p50),
      ns(m?.p99),
      bytes(m?.heap ?? null),
    ];
  });
  return { head, rows, align: ["l", "l", "r", "r", "r", "r", "r", "r"] };
}

export function renderText(t: Table): string {
  const widths = t.head.map((h, i) =>
    Math.max(h.length, ...t.rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (t.align?.[i] === "r" ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(t.head), widths.map((w) => "─".repeat(w)).join("  "), ...t.rows.map(line)].join(
    "\n",
  );
}

export function renderMarkdown(t: Table): string {
  const sep = t.head.map((_, i) => (t.align?.[i] === "r" ? "---:" : ":---"));
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(t.head), line(sep), ...t.rows.map(line)].join("\n");
}
