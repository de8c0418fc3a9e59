/**
 * Everything the engines talk to, started once for the whole run: two page origins (with the
 * report sink), five edge-layer instances in workerd (Miniflare) and the raw CORS server, each
 * behind a counting front, the counting upstream, and the playground against a Worker run with
 * the committed wrangler.toml as-is.
 */
import { startPlayground } from "../../playground/server.ts";
import { type LayerName, policies } from "./policies.ts";
import type { WireSeen } from "./predict.ts";
import type { Front } from "./scenarios.ts";
import { type Counter, type LayerHit, startCounter } from "./servers/counter.ts";
import { bundleWorker, startLayer } from "./servers/layer.ts";
import { ReportSink, startPages } from "./servers/pages.ts";
import { startRawCors } from "./servers/raw-cors.ts";
import { startUpstream, type Upstream } from "./servers/upstream.ts";
import type { SuiteEnv } from "./suite-env.ts";

const LAYERS: LayerName[] = ["strict", "star", "creds", "cache", "default"];

export interface Stack {
  env: SuiteEnv;
  sink: ReportSink;
  upstream: Upstream;
  counters: Map<Front, Counter>;
  playgroundUrl: string;
  /** The traffic one scenario tag caused, in arrival order. */
  observedWire(tag: string): WireSeen;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const closers: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    const upstream = await startUpstream();
    closers.push(() => upstream.close());
    const sink = new ReportSink();
    const pageA = await startPages("page-a", sink);
    const pageB = await startPages("page-b");
    closers.push(
      () => pageA.close(),
      () => pageB.close(),
    );
    const bundle = bundleWorker();
    closers.push(() => bundle.dispose());

    const counters = new Map<Front, Counter>();
    const front = async (name: Front, target: string) => {
      const counter = await startCounter(target, `front-${name}`);
      closers.push(() => counter.close());
      counters.set(name, counter);
      return counter.url;
    };
    const ps = policies(pageA.url);
    const fronts = {} as Record<Front, string>;
    const bindings = {} as Record<LayerName, Record<string, string>>;
    await Promise.all(
      LAYERS.map(async (name) => {
        const policy = ps[name];
        const b: Record<string, string> = { UPSTREAM_URL: upstream.url };
        if (policy !== null) b.CORS_POLICY = JSON.stringify(policy);
        const layer = await startLayer(bundle.scriptPath, b);
        closers.push(() => layer.close());
        fronts[name] = await front(name, layer.url);
        bindings[name] = b;
      }),
    );
    const raw = await startRawCors();
    closers.push(() => raw.close());
    fronts.raw = await front("raw", raw.url);

    // The playground: no bindings at all, exactly what `pnpm start` serves.
    const playgroundLayer = await startLayer(bundle.scriptPath, {});
    closers.push(() => playgroundLayer.close());
    const playground = await startPlayground({ layerUrl: playgroundLayer.url, port: 0 });
    closers.push(() => playground.close());

    const atFronts = (pick: (c: Counter) => LayerHit[]) =>
      [...counters.values()].flatMap(pick).sort((a, b) => a.seq - b.seq);
    return {
      env: { pages: { A: pageA.url, B: pageB.url }, fronts, upstream: upstream.url, bindings },
      sink,
      upstream,
      counters,
      playgroundUrl: playground.url,
      observedWire: (tag) => ({
        preflights: atFronts((c) => c.preflightsFor(tag)).map((h) => ({
          path: h.path,
          origin: h.origin,
          acrm: h.acrm,
          acrh: h.acrh,
        })),
        actuals: atFronts((c) => c.actualsFor(tag)).map((h) => ({
          method: h.method,
          path: h.path,
          origin: h.origin,
          cookie: h.cookie,
        })),
        upstream: upstream.hitsFor(tag).map((h) => ({ method: h.method, path: h.path })),
      }),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
