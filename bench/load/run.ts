/**
 * `pnpm bench:load`: the edge layer under load in workerd, against a fixed-response floor
 * Worker and a hono/cors Worker, plus proxied GETs against a local upstream and a 60 s memory
 * run. Everything listens on 127.0.0.1; the load comes from a separate process (client.ts);
 * every run is bounded in time and request count; every server is stopped at the end.
 *
 * Flags: --quick (short runs, for checking the harness), --no-write (print only).
 * Writes bench/results/load.json and bench/results/load.md.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bundles, buildAll, ROOT } from "./build.ts";
import { runLoad } from "./load.ts";
import { GET_HEADERS, ORIGIN, PATH, POLICY, PREFLIGHT_HEADERS, UPSTREAM_BODY } from "./policy.ts";
import { type LoadReport, machine, renderMarkdown, renderSummary, summarise } from "./report.ts";
import { linearFit } from "./stats.ts";
import type { LoadResult, LoadSpec } from "./types.ts";
import { startUpstream, type Upstream } from "./upstream.ts";
import { rssKiB, type Subject, startSubject } from "./workerd.ts";
import { type DirectWorker, startDirect } from "./workerd-direct.ts";

const QUICK = process.argv.includes("--quick");
const WRITE = !process.argv.includes("--no-write");

export const PLAN = {
  connections: 10,
  warmupSec: QUICK ? 1 : 2,
  runSec: QUICK ? 2 : 5,
  preflightRounds: QUICK ? 1 : 3,
  getRounds: QUICK ? 1 : 2,
  memorySec: QUICK ? 10 : 60,
  /** Same mix, unsampled, first: workerd's V8 young generation grows to its working size. */
  memoryWarmupSec: QUICK ? 5 : 25,
  /** Count bound per run, far above what 2 cores serve in runSec. */
  maxRequests: 3_000_000,
};

function compatibilityDate(): string {
  const m = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(
    readFileSync(join(ROOT, "wrangler.toml"), "utf8"),
  );
  if (!m?.[1]) throw new Error("no compatibility_date in wrangler.toml");
  return m[1];
}

const preflightReq: LoadSpec["requests"][number] = {
  method: "OPTIONS",
  path: PATH,
  headers: PREFLIGHT_HEADERS,
  expect: { status: 204, headers: { "access-control-allow-origin": ORIGIN } },
};
const getReq = (cors: boolean): LoadSpec["requests"][number] => ({
  method: "GET",
  path: PATH,
  headers: GET_HEADERS,
  expect: { status: 200, headers: cors ? { "access-control-allow-origin": ORIGIN } : {} },
});

function spec(url: string, requests: LoadSpec["requests"], durationSec: number, check = false) {
  return {
    url,
    connections: PLAN.connections,
    durationSec,
    maxRequests: PLAN.maxRequests,
    requests,
    check,
  } satisfies LoadSpec;
}

/** The CORS-relevant headers of a response, sorted, for comparing Workers. */
function corsHeaders(res: Response): [string, string][] {
  return [...res.headers]
    .filter(([k]) => k.startsWith("access-control-") || k === "vary")
    .sort(([a], [b]) => a.localeCompare(b));
}

/** One request of each kind, checked, before any load: a wrong answer fails the benchmark. */
async function sanity(s: { name: string; url: string }, cors: boolean, corsGet = cors) {
  const pre = await fetch(s.url + PATH, { method: "OPTIONS", headers: PREFLIGHT_HEADERS });
  await pre.arrayBuffer();
  const get = await fetch(s.url + PATH, { headers: GET_HEADERS });
  const body = await get.text();
  const problems: string[] = [];
  if (cors) {
    if (pre.status !== 204) problems.push(`preflight status ${pre.status}`);
    if (pre.headers.get("access-control-allow-origin") !== ORIGIN)
      problems.push("preflight without Access-Control-Allow-Origin");
  }
  if (corsGet && get.headers.get("access-control-allow-origin") !== ORIGIN)
    problems.push("GET without Access-Control-Allow-Origin");
  if (get.status !== 200 || body !== UPSTREAM_BODY) problems.push(`GET ${get.status} ${body}`);
  if (problems.length > 0) throw new Error(`${s.name}: ${problems.join("; ")}`);
  return { preflight: corsHeaders(pre), get: corsHeaders(get) };
}

/** Rounds of `runSec` per target, order rotated each round; a warm-up run first. */
async function rounds(
  targets: Array<{ name: string; url: string }>,
  requests: LoadSpec["requests"],
  n: number,
  log: string,
): Promise<Record<string, LoadResult[]>> {
  const out: Record<string, LoadResult[]> = {};
  for (const t of targets) {
    await runLoad(spec(t.url, requests, PLAN.warmupSec));
    out[t.name] = [];
  }
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + r) % targets.length] as { name: string; url: string };
      const res = await runLoad(spec(t.url, requests, PLAN.runSec));
      out[t.name]?.push(res);
      console.error(
        `  ${log} round ${r + 1}/${n} ${t.name.padEnd(10)} ${res.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${(res.latencyUs.p50 / 1000).toFixed(2)} ms  p99 ${(res.latencyUs.p99 / 1000).toFixed(2)} ms`,
      );
    }
  }
  return out;
}

async function memoryRun(edge: { url: string; pid: number }) {
  const mix = [preflightReq, getReq(true)];
  const beforeWarmupKiB = rssKiB(edge.pid);
  await runLoad(spec(edge.url, mix, PLAN.memoryWarmupSec));
  const samples: Array<{ t: number; rssKiB: number }> = [];
  const t0 = Date.now();
  const sample = () => samples.push({ t: (Date.now() - t0) / 1000, rssKiB: rssKiB(edge.pid) });
  sample();
  const timer = setInterval(sample, 1000);
  let load: LoadResult;
  try {
    load = await runLoad(spec(edge.url, mix, PLAN.memorySec, /* check */ true));
  } finally {
    clearInterval(timer);
  }
  sample();
  const fit = linearFit(
    samples.map((s) => s.t),
    samples.map((s) => s.rssKiB),
  );
  const mean = samples.reduce((a, s) => a + s.rssKiB, 0) / samples.length;
  const growthKiB = fit.slope * (samples.at(-1)?.t ?? 0);
  return {
    load,
    beforeWarmupKiB,
    samples,
    slopeKiBPerSec: fit.slope,
    r2: fit.r2,
    meanKiB: mean,
    minKiB: Math.min(...samples.map((s) => s.rssKiB)),
    maxKiB: Math.max(...samples.map((s) => s.rssKiB)),
    trendGrowthKiB: growthKiB,
    // Flat: the fitted trend over the whole run moves RSS by less than 2 % of its mean.
    flat: Math.abs(growthKiB) < 0.02 * mean,
  };
}

async function main() {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "edge-cors-load-"));
  const subjects: Subject[] = [];
  let upstream: Upstream | undefined;
  let direct: DirectWorker | undefined;
  try {
    console.error("bench:load: building the Workers…");
    const bundles: Bundles = await buildAll(dir);
    upstream = await startUpstream();
    const date = compatibilityDate();
    const env = { UPSTREAM_URL: upstream.url };
    const policy = JSON.stringify(POLICY);
    const floor = await startSubject("floor", bundles.floor, date, env);
    subjects.push(floor);
    const hono = await startSubject("hono", bundles.hono, date, env);
    subjects.push(hono);
    const edge = await startSubject("edge", bundles.edge, date, { ...env, CORS_POLICY: policy });
    subjects.push(edge);
    // The same layer with hot reload on: the policy lives in KV (re-read every 15 s).
    const edgeKv = await startSubject("edge+kv", bundles.edge, date, env, ["CORS_KV"]);
    subjects.push(edgeKv);
    await (await edgeKv.mf.getKVNamespace("CORS_KV")).put("cors-policy", policy);
    // Profiling aid: the core's preflight() alone, without the layer around it.
    const core = await startSubject("core", bundles.core, date, {});
    subjects.push(core);

    const checks: Record<string, Awaited<ReturnType<typeof sanity>>> = {};
    // The floor passes GETs through untouched: no CORS headers on them.
    for (const s of subjects) if (s !== core) checks[s.name] = await sanity(s, true, s !== floor);
    checks.upstream = await sanity({ name: "upstream", url: upstream.url }, false);
    const same = JSON.stringify(checks.floor?.preflight) === JSON.stringify(checks.edge?.preflight);
    if (!same)
      throw new Error(
        `floor and edge preflight headers differ:\n${JSON.stringify(checks.floor?.preflight)}\n${JSON.stringify(checks.edge?.preflight)}`,
      );

    console.error("bench:load: preflights (direct workerd sockets)…");
    const pre = await rounds(
      [floor, edge, edgeKv, core, hono],
      [preflightReq],
      PLAN.preflightRounds,
      "preflight",
    );
    console.error("bench:load: proxied GETs…");
    const get = await rounds(
      [{ name: "upstream", url: upstream.url }, floor, edge, hono],
      [getReq(false)],
      PLAN.getRounds,
      "GET",
    );
    console.error("bench:load: preflights through Miniflare's entry worker…");
    const viaEntry = await rounds(
      [
        { name: "floor", url: floor.entryUrl },
        { name: "edge", url: edge.entryUrl },
      ],
      [preflightReq],
      1,
      "entry",
    );
    // The memory run uses bare workerd: under Miniflare, workerd's RSS also climbs in steps
    // with the floor Worker (see report.ts), which would hide the layer's own behaviour.
    await Promise.all(subjects.splice(0).map((s) => s.mf.dispose()));
    direct = await startDirect(bundles.edge, date, { ...env, CORS_POLICY: policy });
    checks["edge (bare workerd)"] = await sanity(
      { name: "edge (bare workerd)", url: direct.url },
      true,
    );
    console.error(
      `bench:load: memory, ${PLAN.memoryWarmupSec} s warm-up + ${PLAN.memorySec} s of preflight+GET on the edge layer (bare workerd)…`,
    );
    const memory = await memoryRun(direct);

    const report: LoadReport = summarise({
      plan: PLAN,
      quick: QUICK,
      machine: machine(),
      bundles,
      checks,
      preflight: pre,
      get,
      viaEntry,
      memory,
      upstreamServed: upstream.served(),
      wallSec: (Date.now() - started) / 1000,
    });
    console.log(renderSummary(report));
    if (WRITE) {
      const out = join(ROOT, "bench/results");
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, "load.json"), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(join(out, "load.md"), renderMarkdown(report));
      console.error("bench:load: wrote bench/results/load.json and bench/results/load.md");
    }
    if (!report.clean) process.exitCode = 1;
  } finally {
    await Promise.allSettled(subjects.map((s) => s.mf.dispose()));
    await direct?.stop();
    await upstream?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
