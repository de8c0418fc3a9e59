/**
 * Browser truth: every scenario runs in a real Chromium against the Cloudflare edge layer in
 * workerd (Miniflare, the bundle `wrangler deploy` ships), in front of a counting upstream.
 * What Chromium does must equal what explain() + the browser model predicted.
 */
import type { Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Chromium, launchChromium } from "./chromium.ts";
import { type LayerName, policies } from "./policies.ts";
import { type Prediction, predict, type WireSeen } from "./predict.ts";
import { type FetchOutcome, fetchIn } from "./run.ts";
import { type From, SCENARIOS, type Scenario } from "./scenarios.ts";
import { type Counter, type LayerHit, startCounter } from "./servers/counter.ts";
import { type Bundle, bundleWorker, type Layer, startLayer } from "./servers/layer.ts";
import type { Listening } from "./servers/listen.ts";
import { startPages } from "./servers/pages.ts";
import { startUpstream, type Upstream } from "./servers/upstream.ts";
import { fetchUrl, type SuiteEnv } from "./suite-env.ts";
import { SESSION_COOKIE } from "./upstream-model.ts";

const LAYERS: LayerName[] = ["strict", "star", "creds", "cache", "default"];

let env: SuiteEnv;
let upstream: Upstream;
let bundle: Bundle | undefined;
const closers: Array<() => Promise<void> | void> = [];
const counters: Counter[] = [];
let browser: Chromium | undefined;
const frames = {} as Record<From, Frame>;
const rows: string[] = [];

beforeAll(async () => {
  upstream = await startUpstream();
  closers.push(() => upstream.close());
  const pageA: Listening = await startPages("page-a");
  const pageB: Listening = await startPages("page-b");
  closers.push(
    () => pageA.close(),
    () => pageB.close(),
  );

  bundle = bundleWorker();
  const ps = policies(pageA.url);
  const layers = {} as Record<LayerName, string>;
  const bindings = {} as Record<LayerName, Record<string, string>>;
  await Promise.all(
    LAYERS.map(async (name) => {
      const policy = ps[name];
      const b: Record<string, string> = { UPSTREAM_URL: upstream.url };
      if (policy !== null) b.CORS_POLICY = JSON.stringify(policy);
      const layer: Layer = await startLayer(bundle!.scriptPath, b);
      closers.push(() => layer.close());
      const counter = await startCounter(layer.url, `layer-${name}`);
      closers.push(() => counter.close());
      counters.push(counter);
      layers[name] = counter.url;
      bindings[name] = b;
    }),
  );
  env = { pages: { A: pageA.url, B: pageB.url }, layers, upstream: upstream.url, bindings };

  browser = await launchChromium();
  const page = (url: string): Promise<Page> =>
    browser!.context.newPage().then(async (p) => {
      await p.goto(url);
      return p;
    });
  // The session cookie is set by the layer's origin (host 127.0.0.1, any port), SameSite=Lax:
  // page and layer are same-site (same host, other port), so `include` sends it.
  const setter = await page(`${layers.creds}/cookie/set`);
  await setter.close();
  const cookies = await browser.context.cookies(layers.creds);
  expect(cookies.map((c) => `${c.name}=${c.value}`)).toContain(SESSION_COOKIE);

  frames.A = (await page(`${pageA.url}/`)).mainFrame();
  frames.B = (await page(`${pageB.url}/`)).mainFrame();
  const host = await page(`${pageA.url}/sandbox.html`);
  const sandboxed = host.frame({ name: "sandboxed" });
  if (sandboxed === null) throw new Error("sandboxed iframe missing");
  await sandboxed.waitForLoadState();
  expect(await sandboxed.evaluate(() => self.origin)).toBe("null");
  frames.null = sandboxed;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const close of closers.reverse()) await close();
  bundle?.dispose();
  if (rows.length > 0) console.log(`Chromium ${browser?.version}\n${rows.join("\n")}`);
});

/** Hits at every layer's front door, in arrival order. */
function atLayers(pick: (c: Counter) => LayerHit[]): LayerHit[] {
  return counters.flatMap(pick).sort((a, b) => a.seq - b.seq);
}

function observedWire(id: string): WireSeen {
  return {
    preflights: atLayers((c) => c.preflightsFor(id)).map((h) => ({
      path: h.path,
      origin: h.origin,
      acrm: h.acrm,
      acrh: h.acrh,
    })),
    actuals: atLayers((c) => c.actualsFor(id)).map((h) => ({
      method: h.method,
      path: h.path,
      origin: h.origin,
      cookie: h.cookie,
    })),
    upstream: upstream.hitsFor(id).map((h) => ({ method: h.method, path: h.path })),
  };
}

function summary(p: Prediction): Array<Pick<FetchOutcome, "resolves" | "status" | "visible">> {
  return p.fetches.map(({ resolves, status, visible }) => ({ resolves, status, visible }));
}

describe("Chromium agrees with explain() + the browser model", () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as [string, Scenario]))("%s", async (_id, scenario) => {
    const prediction = await predict(env, scenario);
    const outcomes: FetchOutcome[] = [];
    for (const spec of scenario.fetches) {
      if (spec.gapMs) await new Promise((r) => setTimeout(r, spec.gapMs));
      outcomes.push(await fetchIn(frames[scenario.from], fetchUrl(env, scenario, spec), spec));
    }
    const wire = observedWire(scenario.id);
    const real = outcomes.map(({ resolves, status, visible }) => ({ resolves, status, visible }));
    rows.push(
      `${scenario.id.padEnd(24)} ${real
        .map((o) => (o.resolves ? `ok ${o.status}` : "blocked"))
        .join(",")
        .padEnd(18)} preflights ${wire.preflights.length}  upstream ${wire.upstream.length}`,
    );
    const context = JSON.stringify(
      {
        problems: prediction.fetches.map((f) => f.problems),
        outcomes,
        wire,
        predicted: prediction.wire,
      },
      null,
      1,
    );
    expect(real, `fetch outcome differs from the prediction\n${context}`).toEqual(
      summary(prediction),
    );
    expect(wire, `traffic differs from the prediction\n${context}`).toEqual(prediction.wire);
    expect(
      prediction.fetches.map((f) => f.resolves),
      "sanity column",
    ).toEqual(scenario.sanity);
    // Preflights are answered at the edge: none ever reaches the upstream.
    expect(upstream.hits.filter((h) => h.acrm !== null)).toEqual([]);
  });
});
