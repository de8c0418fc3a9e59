// The decision log's cost: `handle()` of the core with the edge layers' decision log on
// (compiled with its observer, as readEdgeConfig does) against the same policy without it.
// Lines go to an in-memory sink, so the figure is the log's own work (describing the decision,
// formatting, the rate bound), not the runtime's stdout.

import { loadCors } from "@edge-cors/core";
import { DecisionLog, type DecisionLogLevel, MAX_DECISION_LOG_RATE } from "@edge-cors/edge";
import { publicSuffixes } from "@edge-cors/public-suffix";
import { corePolicy, type PolicySize } from "./fixtures.ts";
import type { Scenario, Subject } from "./scenarios.ts";
import { appNext, type Handler } from "./subjects.ts";
import { ns, type Results, type Table, x } from "./tables.ts";

/** The scenarios the log subjects join: one allowed and one refused of each kind. */
export const LOGGED_SCENARIOS = new Set(["pf-3", "pf-refused", "act-3", "act-refused"]);

/** The last line written, so that no engine can drop the formatting as dead code. */
export let lastLine = "";
const sink = (line: string) => {
  lastLine = line;
};

function withLog(size: PolicySize, level: DecisionLogLevel, rate: number): Handler {
  const log = new DecisionLog({ level, rate, write: sink });
  const loaded = loadCors(corePolicy(size), {
    publicSuffixes,
    observe: log.observerFor("enforce"),
  });
  if (!loaded.ok) throw new Error("bench policy refused");
  const cors = loaded.cors;
  return (request) => cors.handle(request, appNext);
}

/** The two log subjects for a scenario's policy size. */
export function decisionLogSubjects(size: PolicySize): Subject[] {
  return [
    // Every refused decision written: what a quiet deployment pays per refused request.
    { id: "core-log", run: withLog(size, "refused", MAX_DECISION_LOG_RATE) },
    // The default bound (100 lines/s): in a tight loop almost every decision is only counted,
    // which is what a flood of refused requests costs once the bound is reached.
    { id: "core-log-bounded", run: withLog(size, "refused", 100) },
  ];
}

/** One row per scenario with the log subjects: the log's cost as a ratio and in ns. */
export function decisionLogTable(scenarios: Scenario[], r: Results): Table {
  const head = [
    "scenario",
    "log on ÷ off",
    "bounded ÷ off",
    "log off (core)",
    "log on",
    "log on, bounded",
    "log on − off",
  ];
  const rows = scenarios
    .filter((s) => s.subjects.some((t) => t.id === "core-log"))
    .map((s) => {
      const off = r.avg(s.id, "core");
      const on = r.avg(s.id, "core-log");
      const bounded = r.avg(s.id, "core-log-bounded");
      return [
        s.label,
        x(r.ratio(s.id, "core-log", "core")),
        x(r.ratio(s.id, "core-log-bounded", "core")),
        ns(off),
        ns(on),
        ns(bounded),
        on === undefined || off === undefined ? "–" : `${(on - off).toFixed(0)} ns`,
      ];
    });
  return { head, rows, align: head.map((_, i) => (i === 0 ? "l" : "r")) };
}
