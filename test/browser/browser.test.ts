/**
 * Browser truth in Chromium, Firefox and WebKit: every scenario runs in each real engine
 * against the Cloudflare edge layer in workerd (Miniflare, the bundle `wrangler deploy` ships)
 * or the raw CORS server, in front of a counting upstream; then the playground is checked in
 * the same engine. Each engine is launched once, engines run one after another. What each
 * engine does must equal what explain() + the browser model predicted for that engine.
 */
import { ENGINES, type Engine, engineProfile } from "@edge-cors/browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBinaries } from "./engines/binaries.ts";
import { type EngineSession, launchEngine } from "./engines/session.ts";
import { playgroundChecks } from "./playground-checks.ts";
import { type Prediction, predict } from "./predict.ts";
import { observe, SuiteReport } from "./report.ts";
import { jobFetch, runJob, runScenario } from "./run.ts";
import { SCENARIOS, type Scenario } from "./scenarios.ts";
import { type Stack, startStack } from "./stack.ts";
import { originOf, scenarioTag } from "./suite-env.ts";

/** BROWSER_ENGINES=firefox,webkit runs a subset while developing; CI runs all three. */
function selectedEngines(): Engine[] {
  const list = process.env.BROWSER_ENGINES?.split(",").map((e) => e.trim()) ?? [...ENGINES];
  const unknown = list.filter((e) => !(ENGINES as readonly string[]).includes(e));
  if (unknown.length > 0) throw new Error(`BROWSER_ENGINES: unknown engine ${unknown.join(", ")}`);
  return list as Engine[];
}
const engines = selectedEngines();
let stack: Stack;
const report = new SuiteReport();

beforeAll(async () => {
  for (const engine of engines) checkBinaries(engine);
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await stack?.close();
  report.publish(engines);
});

/**
 * Firefox's preflight cache misses the first would-be hits after start-up (measured: two).
 * Run 3 identical PUTs on fresh URLs until they cost one preflight, at most 5 pages.
 */
async function warmUp(session: EngineSession): Promise<number> {
  for (let page = 1; page <= 5; page++) {
    const tag = `${session.engine}.warmup-${page}`;
    const url = `${stack.env.fronts.cache}/long/warmup?s=${tag}`;
    const put = jobFetch(url, { method: "PUT", headers: { "X-Custom": "1" } });
    const r = await runJob(session, stack.sink, stack.env.pages.A, false, [put, put, put]);
    expect(r.outcomes.map((o) => o.resolves)).toEqual([true, true, true]);
    if (stack.observedWire(tag).preflights.length === 1) return page;
  }
  throw new Error(`${session.version}: the preflight cache never settled after 5 warm-up pages`);
}

function summary(p: Prediction) {
  return p.fetches.map(({ resolves, status, visible }) => ({ resolves, status, visible }));
}

for (const engine of engines) {
  const label = engineProfile(engine).label;
  describe(label, () => {
    let session: EngineSession | undefined;
    let started = 0;

    beforeAll(async () => {
      started = performance.now();
      session = await launchEngine(engine);
      const warmups = await warmUp(session);
      // The session cookie is set by the creds layer's origin (host 127.0.0.1, any port),
      // SameSite=Lax: page and fronts are same-site (same host, other port), see docs/browser.md.
      await session.goto(`${stack.env.fronts.creds}/cookie/set`);
      report.timings.push({ engine, version: session.version, seconds: 0, warmups });
    }, 180_000);

    afterAll(async () => {
      await session?.close();
      const t = report.timings.find((x) => x.engine === engine);
      if (t !== undefined) t.seconds = (performance.now() - started) / 1000;
    });

    describe("scenarios: the engine agrees with explain() + its browser model", () => {
      it.each(SCENARIOS.map((s) => [s.id, s] as [string, Scenario]))(
        "%s",
        async (_id, scenario) => {
          const tag = scenarioTag(engine, scenario);
          const prediction = await predict(stack.env, scenario, engine, tag);
          const run = await runScenario(session!, stack.sink, stack.env, scenario, tag);
          const wire = stack.observedWire(tag);
          const real = run.outcomes.map(({ resolves, status, visible }) => ({
            resolves,
            status,
            visible,
          }));
          const standard = await predict(stack.env, scenario, "standard", tag);
          report.record(
            engine,
            scenario.id,
            scenario.title,
            observe(real, wire, stack.env.pages),
            observe(prediction.fetches, prediction.wire, stack.env.pages),
          );
          report.record(
            "standard",
            scenario.id,
            scenario.title,
            observe(standard.fetches, standard.wire, stack.env.pages),
            observe(standard.fetches, standard.wire, stack.env.pages),
          );
          const context = JSON.stringify(
            {
              problems: prediction.fetches.map((f) => f.problems),
              run,
              wire,
              predicted: prediction.wire,
            },
            null,
            1,
          );
          expect(run.origin, "the page ran in the scenario's origin").toBe(
            originOf(stack.env, scenario),
          );
          expect(real, `fetch outcome differs from the prediction\n${context}`).toEqual(
            summary(prediction),
          );
          expect(wire, `traffic differs from the prediction\n${context}`).toEqual(prediction.wire);
          // Every engine rejects with a TypeError; only the messages differ.
          for (const o of run.outcomes) if (!o.resolves) expect(o.errorName).toBe("TypeError");
          expect(
            prediction.fetches.map((f) => f.resolves),
            "sanity column",
          ).toEqual(scenario.sanity);
          if (scenario.preflights !== undefined) {
            expect(wire.preflights.length, "measured preflight count").toBe(
              scenario.preflights[engine],
            );
          }
          // Preflights are answered at the edge: none ever reaches the upstream.
          expect(stack.upstream.hits.filter((h) => h.acrm !== null)).toEqual([]);
        },
      );
    });

    describe("playground", () => {
      playgroundChecks(
        () => session!,
        () => stack.playgroundUrl,
      );
    });
  });
}
