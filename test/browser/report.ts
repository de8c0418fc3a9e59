/**
 * The suite's closing table: every scenario × engine, the real outcome beside the model's
 * prediction, the Fetch standard's answer, and the scenarios where the engines differ. Printed
 * after the run; `BROWSER_SUITE_REPORT=<file>` also writes it as Markdown.
 */
import { writeFileSync } from "node:fs";
import { type Engine, engineProfile, type Ruleset } from "@edge-cors/browser";
import type { WireSeen } from "./predict.ts";

export interface Observed {
  /** Per fetch: "ok 200", "ok 0" (opaque redirect) or "blocked". */
  outcomes: string[];
  preflights: number;
  upstream: number;
  /** Each preflight's Origin: "page", "B" or "null". */
  preflightOrigins: string[];
  /** Requests at the fronts that carried the session cookie. */
  cookies: number;
}

export interface Row {
  id: string;
  title: string;
  standard: Observed;
  real: Partial<Record<Engine, Observed>>;
  predicted: Partial<Record<Engine, Observed>>;
}

export const outcomeText = (o: { resolves: boolean; status: number | null }) =>
  o.resolves ? `ok ${o.status}` : "blocked";

/** The comparable summary of one run (real or predicted); `pages` names the page origins. */
export function observe(
  outcomes: Array<{ resolves: boolean; status: number | null }>,
  wire: WireSeen,
  pages: { A: string; B: string },
): Observed {
  const name = (o: string | null) => (o === pages.A ? "page" : o === pages.B ? "B" : String(o));
  return {
    outcomes: outcomes.map(outcomeText),
    preflights: wire.preflights.length,
    upstream: wire.upstream.length,
    preflightOrigins: wire.preflights.map((p) => name(p.origin)),
    cookies: wire.actuals.filter((a) => a.cookie).length,
  };
}

/** "ok 200 · 1 pf · 1 up", plus the cookie count when one was sent. */
function cell(o: Observed | undefined): string {
  if (o === undefined) return "–";
  const cookies = o.cookies > 0 ? ` · ${o.cookies} cookie` : "";
  return `${o.outcomes.join(", ")} · ${o.preflights} pf · ${o.upstream} up${cookies}`;
}

/** The cell plus each preflight's Origin, for the list of differences. */
const detail = (o: Observed) =>
  o.preflights === 0 ? cell(o) : `${cell(o)} (preflight Origin ${o.preflightOrigins.join(", ")})`;

const same = (a: Observed | undefined, b: Observed | undefined) =>
  JSON.stringify(a) === JSON.stringify(b);

export class SuiteReport {
  readonly rows = new Map<string, Row>();
  readonly timings: Array<{ engine: Engine; version: string; seconds: number; warmups: number }> =
    [];

  /** Records an engine's real outcome and prediction, or (ruleset "standard") the standard's. */
  record(ruleset: Ruleset, id: string, title: string, real: Observed, predicted: Observed): void {
    const row = this.rows.get(id) ?? { id, title, standard: predicted, real: {}, predicted: {} };
    if (ruleset === "standard") row.standard = predicted;
    else {
      row.real[ruleset] = real;
      row.predicted[ruleset] = predicted;
    }
    this.rows.set(id, row);
  }

  /** Scenarios where engines differ from each other, or from the standard, in outcome or traffic. */
  differences(engines: readonly Engine[]): Array<{ row: Row; note: string }> {
    const out: Array<{ row: Row; note: string }> = [];
    for (const row of this.rows.values()) {
      const seen = engines.filter((e) => row.real[e] !== undefined);
      if (seen.length === 0) continue;
      const first = row.real[seen[0]!];
      const engineSplit = seen.some((e) => !same(row.real[e], first));
      const fromStandard = seen.filter((e) => !same(row.real[e], row.standard));
      if (!engineSplit && fromStandard.length === 0) continue;
      const notes: string[] = [];
      if (engineSplit) {
        notes.push(
          seen.map((e) => `${engineProfile(e).label}: ${detail(row.real[e]!)}`).join("; "),
        );
      }
      if (fromStandard.length > 0) {
        const who = fromStandard.map((e) => engineProfile(e).label).join(", ");
        notes.push(`standard: ${detail(row.standard)} (${who} differ)`);
      }
      out.push({ row, note: notes.join(" — ") });
    }
    return out;
  }

  markdown(engines: readonly Engine[]): string {
    const labels = engines.map((e) => engineProfile(e).label);
    const lines = [
      `| scenario | Fetch standard (model) | ${labels.flatMap((l) => [`${l} real`, `${l} model`]).join(" | ")} |`,
      `| --- | --- | ${labels.flatMap(() => ["---", "---"]).join(" | ")} |`,
    ];
    for (const row of this.rows.values()) {
      const cells = engines.flatMap((e) => {
        const real = row.real[e];
        const mark = real === undefined || same(real, row.predicted[e]) ? "" : " ✗";
        return [cell(real) + mark, cell(row.predicted[e])];
      });
      lines.push(`| \`${row.id}\` ${row.title} | ${cell(row.standard)} | ${cells.join(" | ")} |`);
    }
    lines.push("", "Engine differences found:", "");
    for (const { row, note } of this.differences(engines)) lines.push(`- \`${row.id}\`: ${note}`);
    lines.push(
      "",
      "| engine | version | suite time | warm-up pages |",
      "| --- | --- | --- | --- |",
    );
    for (const t of this.timings) {
      const label = engineProfile(t.engine).label;
      lines.push(`| ${label} | ${t.version} | ${t.seconds.toFixed(1)} s | ${t.warmups} |`);
    }
    return `${lines.join("\n")}\n`;
  }

  /** Prints the table, and writes it where BROWSER_SUITE_REPORT says. */
  publish(engines: readonly Engine[]): void {
    if (this.rows.size === 0) return;
    const text = this.markdown(engines);
    console.log(text);
    const file = process.env.BROWSER_SUITE_REPORT;
    if (file) writeFileSync(file, text);
  }
}
