// A/B aid for hot-path work: measures `createCors(policy).handle` from several copies of the
// core's src (e.g. snapshots taken before and after a change) on the bench's scenarios,
// interleaved over rounds in one process, CPU clock, best round kept.
//
//   node --expose-gc --import tsx bench/ab.ts [--rounds N] [--min-ms MS] [--filter REGEX] DIR...
//   (each DIR holds a copy of packages/core/src; "current" means packages/core/src itself)
//
// Position matters: the copy loaded second runs 10–25 % slower than the first on preflights
// (V8's inline caches in shared built-ins see two copies' shapes), and "current" differs from
// a copy outside the repository. Compare copies taken the same way (both `git archive`d to a
// directory), each in the same position across two runs (A B, then B A).

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { createCors as CreateCors } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import { measure } from "mitata";
import { corePolicy, SIZES } from "./fixtures.ts";
import { buildScenarios } from "./scenarios.ts";
import { appNext } from "./subjects.ts";
import { ns } from "./tables.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: "string", default: "5" },
    "min-ms": { type: "string", default: "150" },
    filter: { type: "string" },
  },
});
const filter = values.filter ? new RegExp(values.filter) : null;
const dirs = positionals.length ? positionals : ["current"];
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

const cores: Array<{ name: string; createCors: typeof CreateCors }> = [];
for (const d of dirs) {
  const path =
    d === "current"
      ? new URL("../packages/core/src/index.ts", import.meta.url).pathname
      : resolve(d, "index.ts");
  cores.push({
    name: d,
    createCors: ((await import(path)) as { createCors: typeof CreateCors }).createCors,
  });
}
const scenarios = (await buildScenarios()).filter((s) => !filter || filter.test(s.id));
const best = new Map<string, number>();
for (let round = 0; round < Number(values.rounds); round++) {
  for (const sc of scenarios) {
    const size = SIZES.find((s) => s.id === sc.size)!;
    const order = round % 2 ? [...cores].reverse() : cores;
    for (const c of order) {
      const cors = c.createCors(corePolicy(size), { publicSuffixes });
      const req = sc.request;
      const stats = await measure(async () => await cors.handle(req, appNext), {
        min_cpu_time: Number(values["min-ms"]) * 1e6,
        now: cpuNow,
      });
      const key = `${sc.id}\n${c.name}`;
      best.set(key, Math.min(best.get(key) ?? Infinity, stats.avg));
    }
  }
  process.stderr.write(`  round ${round + 1}\n`);
}
const w = Math.max(...scenarios.map((s) => s.id.length));
console.log(
  `${"scenario".padEnd(w)}  ${cores.map((c) => c.name.slice(-14).padStart(14)).join("  ")}  last ÷ first`,
);
for (const sc of scenarios) {
  const v = cores.map((c) => best.get(`${sc.id}\n${c.name}`)!);
  console.log(
    `${sc.id.padEnd(w)}  ${v.map((x) => ns(x).padStart(14)).join("  ")}  ${(v[v.length - 1]! / v[0]!).toFixed(2)}x`,
  );
}
