// Runs every subject of every scenario through mitata's `measure`, in rounds. Each subject keeps
// its best round as its absolute figure (interference from other processes only ever adds time)
// and every round's mean, so ratios can be taken round by round between subjects measured back
// to back (see Results.ratio): on a noisy machine a paired ratio is far steadier than the ratio
// of two best rounds taken seconds apart.

import { getHeapStatistics } from "node:v8";
import { measure } from "mitata";
import { describe, type Scenario, type SubjectId } from "./scenarios.ts";

export interface Result {
  scenario: string;
  subject: SubjectId;
  /** Mean ns per call (mitata `avg`), best round. */
  avg: number;
  /** Mean ns per call of every round, in round order. */
  rounds: number[];
  p50: number;
  p99: number;
  /** Mean heap growth per call in bytes (V8 used heap + malloced), or null without --expose-gc. */
  heap: number | null;
  /** Status and whether Access-Control-Allow-Origin was set. */
  answer: string;
}

export interface MeasureOptions {
  rounds: number;
  /**
   * `cpu`: this process's CPU time (user + system, all threads, GC included), what edge
   * platforms bill, and blind to time the process spends descheduled on a busy machine.
   * `wall`: mitata's default monotonic clock.
   */
  clock: "cpu" | "wall";
  /** Minimum CPU time per subject per round, in ms. */
  minMs: number;
  onProgress?: (line: string) => void;
}

/** Process CPU time in ns (µs resolution; mitata batches thousands of calls per sample). */
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

const heap = () => {
  const m = getHeapStatistics();
  return m.used_heap_size + m.malloced_memory;
};

export async function measureAll(scenarios: Scenario[], o: MeasureOptions): Promise<Result[]> {
  const best = new Map<string, Result>();
  const hasGc = typeof (globalThis as { gc?: unknown }).gc === "function";
  for (let round = 0; round < o.rounds; round++) {
    for (const sc of scenarios) {
      // Alternate the order between rounds, so no subject always runs right after another.
      const subjects = round % 2 === 0 ? sc.subjects : [...sc.subjects].reverse();
      for (const sub of subjects) {
        const req = sc.request;
        const run = sub.run;
        const answer = describe(await run(req));
        const stats = await measure(async () => await run(req), {
          min_cpu_time: o.minMs * 1e6,
          ...(o.clock === "cpu" ? { now: cpuNow } : {}),
          ...(hasGc ? { heap } : {}),
        });
        const key = `${sc.id}\n${sub.id}`;
        const prev = best.get(key);
        const rounds = [...(prev?.rounds ?? []), stats.avg];
        if (prev && stats.avg >= prev.avg) prev.rounds = rounds;
        else {
          best.set(key, {
            scenario: sc.id,
            subject: sub.id,
            avg: stats.avg,
            rounds,
            p50: stats.p50,
            p99: stats.p99,
            heap: stats.heap ? stats.heap.avg : null,
            answer,
          });
        }
      }
      o.onProgress?.(`round ${round + 1}/${o.rounds}: ${sc.label}`);
    }
  }
  return [...best.values()];
}
