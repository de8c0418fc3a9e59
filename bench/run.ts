// `pnpm bench`: edge-cors core against hono/cors, itty-router's cors and the floors, in one
// process, on the same Request objects. `--report` (pnpm bench:report) also writes BENCHMARKS.md.
//
//   node --expose-gc --import tsx bench/run.ts [--rounds N] [--min-ms MS] [--filter REGEX] [--report]

import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { measureCompile } from "./compile.ts";
import { decisionLogTable } from "./decision-log.ts";
import { measureHostilePath } from "./hostile-path.ts";
import { measureAll } from "./measure.ts";
import { machine, machineLine, markdown, sizeTable, targetsTable } from "./report.ts";
import { buildScenarios } from "./scenarios.ts";
import {
  detailTable,
  overheadTable,
  Results,
  renderText,
  summaryTable,
  type Table,
} from "./tables.ts";
import { checkTargets, type SizeEntry } from "./targets.ts";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "7" },
    "min-ms": { type: "string", default: "80" },
    filter: { type: "string" },
    clock: { type: "string", default: "cpu" },
    report: { type: "boolean", default: false },
  },
});
const rounds = Math.max(1, Number(values.rounds));
const minMs = Math.max(10, Number(values["min-ms"]));
const filter = values.filter ? new RegExp(values.filter) : null;
const clock = values.clock === "wall" ? "wall" : "cpu";

if (typeof (globalThis as { gc?: unknown }).gc !== "function") {
  console.warn("warning: run with node --expose-gc for GC between subjects and heap/op figures");
}

function sizes(): SizeEntry[] {
  const url = new URL("../scripts/size.mjs", import.meta.url);
  const r = spawnSync(process.execPath, [url.pathname, "--json"], { encoding: "utf8" });
  if (r.status !== 0) {
    console.warn(`scripts/size.mjs failed: ${r.stderr}`);
    return [];
  }
  return (JSON.parse(r.stdout) as { entries: SizeEntry[] }).entries;
}

const print = (title: string, t: Table) => console.log(`\n${title}\n${renderText(t)}`);

const m = machine();
console.log(`edge-cors bench — ${machineLine(m)}`);
const started = performance.now();
let scenarios = await buildScenarios();
if (filter) scenarios = scenarios.filter((s) => filter.test(s.id) || filter.test(s.label));
const results = new Results(
  await measureAll(scenarios, {
    rounds,
    minMs,
    clock,
    onProgress: (line) => process.stderr.write(`  ${line}\n`),
  }),
);
const seconds = (performance.now() - started) / 1000;

for (const s of scenarios) print(`${s.label}  (floor: ${s.floor})`, detailTable(s, results));
print("CORS cost over its own host", overheadTable(scenarios, results));
print(
  "Decision log (CORS_DECISION_LOG=refused): handle() with the log on vs off",
  decisionLogTable(scenarios, results),
);
print(
  "Summary: ratios first, absolute second (x ÷ core > 1: core is faster)",
  summaryTable(scenarios, results),
);
const sz = sizes();
print("Bundle sizes", sizeTable(sz));
const compile = measureCompile();
const hostile = await measureHostilePath();
const targets = checkTargets(results, sz, compile, hostile);
print("Targets", targetsTable(targets));
console.log(`\n${scenarios.length} scenarios in ${seconds.toFixed(0)} s`);

if (values.report) {
  if (filter) {
    console.error("--report with --filter would write a partial BENCHMARKS.md; not written");
    process.exit(1);
  }
  const out = new URL("../BENCHMARKS.md", import.meta.url);
  writeFileSync(
    out,
    markdown(m, scenarios, results, targets, sz, { rounds, minMs, seconds, clock }),
  );
  console.log(`wrote ${out.pathname}`);
}
