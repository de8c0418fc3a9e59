// The targets, checked against the measured figures.

import { readFileSync } from "node:fs";
import type { Results } from "./tables.ts";
import { ns } from "./tables.ts";

export interface SizeEntry {
  name: string;
  path: string;
  bytes: number;
  gzip: number | null;
  limit?: number;
}

export interface TargetCheck {
  target: string;
  figure: string;
  /** null: not measured by this harness. */
  met: boolean | null;
}

const r2 = (v: number) => `${v.toFixed(2)}x`;

/** The compile-time measurement (bench/compile.ts). */
export interface CompileFigure {
  medianMs: number;
  firstMs: number;
  runs: number;
}

/** The hostile-path measurement (bench/hostile-path.ts). */
export interface HostilePathFigure {
  hostileUs: number;
  plainUs: number;
  routes: number;
  rounds: number;
}

export function checkTargets(
  r: Results,
  sizes: SizeEntry[],
  compile?: CompileFigure,
  hostilePath?: HostilePathFigure,
): TargetCheck[] {
  const out: TargetCheck[] = [];
  const ratio = (s: string, a: Parameters<Results["avg"]>[1], b: Parameters<Results["avg"]>[1]) =>
    r.ratio(s, a, b);
  const pf = [
    ["pf-3", "3 origins"],
    ["pf-10k", "10 000 origins"],
    ["pf-1kp", "1 000 patterns"],
  ] as const;
  for (const [id, label] of pf) {
    const min = ratio(id, "core", "floor-min");
    out.push({
      target: `preflight within 1.1x of floor + reading the request, ${label}`,
      figure:
        min === undefined
          ? "–"
          : `${r2(min)} (${ns(r.avg(id, "core"))} vs ${ns(r.avg(id, "floor-min"))})`,
      met: min === undefined ? null : min <= 1.1,
    });
  }
  for (const [id, label] of pf) {
    const v = ratio(id, "core", "floor");
    const min = ratio(id, "core", "floor-min");
    out.push({
      target: `preflight within 1.3x of the floor, ${label}`,
      figure:
        v === undefined
          ? "–"
          : `${r2(v)} (${ns(r.avg(id, "core"))} vs ${ns(r.avg(id, "floor"))}); ${min === undefined ? "–" : r2(min)} of floor + reading the request`,
      met: v === undefined ? null : v <= 1.3,
    });
  }
  for (const [id, label] of [
    ["act-3", "allowed, 3 origins"],
    ["act-10k", "allowed, 10 000 origins"],
    ["act-refused", "refused"],
    ["no-origin", "no Origin"],
  ] as const) {
    const v = ratio(id, "core", "floor");
    out.push({
      target: `actual request within 1.15x of the bare app, ${label}`,
      figure:
        v === undefined ? "–" : `${r2(v)} (${ns(r.avg(id, "core"))} vs ${ns(r.avg(id, "floor"))})`,
      met: v === undefined ? null : v <= 1.15,
    });
  }
  for (const [id, label, want] of [
    ["pf-3", "3-origin preflight", 5],
    ["pf-10k", "10 000-origin preflight", 100],
  ] as const) {
    const v = ratio(id, "hono-cors", "core");
    const bound = ratio(id, "hono-cors", "floor-min");
    const floor = ratio(id, "hono-cors", "floor");
    out.push({
      target: `≥ ${want}x faster than hono/cors (in a Hono app), ${label}`,
      figure:
        v === undefined
          ? "–"
          : `${r2(v)} (${ns(r.avg(id, "hono-cors"))} vs ${ns(r.avg(id, "core"))}); hono/cors ÷ floor + reading the request: ${bound === undefined ? "–" : r2(bound)}, ÷ floor: ${floor === undefined ? "–" : r2(floor)}`,
      met: v === undefined ? null : v >= want,
    });
  }
  for (const [id, label] of [
    ["hostile-names", "3 000 names"],
    ["hostile-commas", "50 000 commas"],
    ["hostile-spaces", "1 MB of spaces"],
  ] as const) {
    const v = r.avg(id, "core");
    out.push({
      target: `hostile Access-Control-Request-Headers under 50 µs, ${label}`,
      figure: ns(v),
      met: v === undefined ? null : v < 50_000,
    });
  }
  const alone = sizes.find((s) => s.name === "createCors alone");
  out.push({
    target: "createCors bundled alone ≤ 6 KB min+gzip",
    figure: alone?.gzip ? `${alone.gzip} B (${(alone.gzip / 1024).toFixed(2)} KB)` : "–",
    met: alone?.gzip ? alone.gzip <= (alone.limit ?? 6144) : null,
  });
  if (compile !== undefined) {
    out.push({
      target: "10 000 origins + 50 routes compile in under 100 ms",
      figure: `${compile.medianMs.toFixed(1)} ms median of ${compile.runs} (first: ${compile.firstMs.toFixed(1)} ms)`,
      met: compile.medianMs < 100,
    });
  }
  if (hostilePath !== undefined) {
    out.push({
      target: `a hostile 2 KiB path against ${hostilePath.routes} routes under 2 ms (every reading matched)`,
      figure: `${hostilePath.hostileUs.toFixed(0)} µs median of ${hostilePath.rounds} (a plain path: ${hostilePath.plainUs.toFixed(1)} µs, ${(hostilePath.hostileUs / hostilePath.plainUs).toFixed(0)}x)`,
      met: hostilePath.hostileUs < 2000,
    });
  }
  out.push(workerdTarget());
  return out;
}

/** The workerd target, from the last `pnpm bench:load` run (bench/results/load.json). */
function workerdTarget(): TargetCheck {
  const target = "edge layer preflight req/s in workerd within 1.1x of a fixed-response Worker";
  try {
    const url = new URL("./results/load.json", import.meta.url);
    const load = JSON.parse(readFileSync(url, "utf8")) as {
      generatedAt: string;
      target: { ratio: number; limit: number; met: boolean };
    };
    return {
      target,
      figure: `${r2(load.target.ratio)} (pnpm bench:load, ${load.generatedAt.slice(0, 10)})`,
      met: load.target.met,
    };
  } catch {
    return { target, figure: "not measured: run `pnpm bench:load`", met: null };
  }
}
