// Profiling aid: runs one subject of one scenario in a loop, to be run under --cpu-prof, then
// prints the top self-time functions of the profile it wrote.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile.ts pf-1kp core [seconds]
//   node --import tsx bench/profile.ts --summarize /tmp/prof/<file>.cpuprofile

import { readFileSync } from "node:fs";
import { buildScenarios, type SubjectId } from "./scenarios.ts";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

function summarize(file: string, top = 30): void {
  const prof = JSON.parse(readFileSync(file, "utf8")) as { nodes: Node[] };
  const self = new Map<string, number>();
  let total = 0;
  for (const n of prof.nodes) {
    const f = n.callFrame;
    const where = f.url
      ? `${f.url.replace(/^.*\/(node_modules|packages)\//, "$1/")}:${f.lineNumber + 1}`
      : "";
    const key = `${f.functionName || "(anonymous)"} ${where}`;
    self.set(key, (self.get(key) ?? 0) + n.hitCount);
    total += n.hitCount;
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [k, v] of rows) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}

const args = process.argv.slice(2);
if (args[0] === "--summarize") {
  summarize(args[1]!, Number(args[2] ?? 30));
} else {
  const [scenarioId = "pf-3", subjectId = "core", seconds = "5"] = args;
  const sc = (await buildScenarios()).find((s) => s.id === scenarioId);
  const sub = sc?.subjects.find((s) => s.id === (subjectId as SubjectId));
  if (!sc || !sub) throw new Error(`no subject ${subjectId} in scenario ${scenarioId}`);
  const end = performance.now() + Number(seconds) * 1000;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) await sub.run(sc.request);
    n += 1000;
  }
  console.log(
    `${scenarioId}/${subjectId}: ${n} calls, ${((Number(seconds) * 1e9) / n).toFixed(0)} ns/call`,
  );
}
