/**
 * The prediction for a scenario, computed, never written by hand: the core's browser model
 * (`simulate`: what Chromium puts on the wire and how it judges each response) runs against a
 * model of the edge layer made of `createCors(policy).explain()` (the layer's answer to a
 * preflight, and the headers it adds to the upstream's response) and `upstreamReply` (what the
 * upstream answers). The policy is read by the edge module's `readEdgeConfig`, from the same
 * bindings the Worker gets, so an unset CORS_POLICY means the embedded default here too.
 */

import {
  type BrowserRequest,
  checkPreflight,
  type ResponseLike,
  simulate,
  type WireRequest,
} from "@edge-cors/browser";
import type { Cors, Decision } from "@edge-cors/core";
import { readEdgeConfig } from "@edge-cors/edge";
import type { LayerName } from "./policies.ts";
import type { FetchSpec, Scenario } from "./scenarios.ts";
import { fetchUrl, originOf, PROBED_HEADERS, type SuiteEnv } from "./suite-env.ts";
import { SESSION_COOKIE, upstreamReply } from "./upstream-model.ts";

/** Traffic, in order: what reached the layers' front doors, and what reached the upstream. */
export interface WireSeen {
  /** Preflights at the layers, exactly as Chromium sent them. */
  preflights: Array<{
    path: string;
    origin: string | null;
    acrm: string | null;
    acrh: string | null;
  }>;
  /** Other requests at the layers, exactly as sent (method case kept). */
  actuals: Array<{ method: string; path: string; origin: string | null; cookie: boolean }>;
  /**
   * Requests at the upstream (through a layer, or directly after a redirect). workerd parses
   * the method case-insensitively and forwards it upper-cased (`patch` → `PATCH`), so the
   * method is compared upper-cased here; its exact case is checked at the layer above.
   */
  upstream: Array<{ method: string; path: string }>;
}

export interface FetchPrediction {
  resolves: boolean;
  /** What `response.status` reads (0 for an opaque redirect), null when fetch rejects. */
  status: number | null;
  /** Which of PROBED_HEADERS the script can read. */
  visible: string[];
  /** The model's problem codes (why it is blocked), for failure messages. */
  problems: string[];
  /** explain() for every request that reached the layer. */
  decisions: Decision[];
}

export interface Prediction {
  fetches: FetchPrediction[];
  wire: WireSeen;
}

/** One compiled Cors per layer, keyed by the origin the browser talks to. */
export function layerModels(env: SuiteEnv): Map<string, Cors> {
  const map = new Map<string, Cors>();
  for (const [name, url] of Object.entries(env.layers) as Array<[LayerName, string]>) {
    const config = readEdgeConfig(env.bindings[name]!);
    map.set(new URL(url).origin, config.cors);
  }
  return map;
}

/** The bound browser request for one fetch of a scenario. */
export function browserRequest(env: SuiteEnv, scenario: Scenario, spec: FetchSpec): BrowserRequest {
  const req: BrowserRequest = {
    url: fetchUrl(env, scenario, spec),
    origin: originOf(env, scenario),
    method: spec.method ?? "GET",
    credentials: spec.credentials ?? "same-origin",
  };
  if (spec.headers !== undefined) req.headers = spec.headers;
  if (spec.redirect !== undefined) req.redirect = spec.redirect;
  return req;
}

/**
 * workerd's HTTP server (kj-http) knows these methods, upper-case only; any other request
 * line (`patch`, `Patch`, `FOO`) gets `501 Not Implemented` from the runtime before the Worker
 * runs, so without CORS headers. Verified against Miniflare by this suite (`star-patch-lower`).
 */
const WORKERD_METHODS = new Set(
  "GET HEAD POST PUT DELETE PATCH PURGE OPTIONS TRACE COPY LOCK MKCOL MOVE PROPFIND PROPPATCH SEARCH UNLOCK ACL REPORT MKACTIVITY CHECKOUT MERGE MSEARCH NOTIFY SUBSCRIBE UNSUBSCRIBE".split(
    " ",
  ),
);

/** The runtime's own answer to a method it cannot parse. */
const NOT_IMPLEMENTED: ResponseLike = { status: 501, headers: [["content-type", "text/plain"]] };

interface CacheEntry {
  expiresAt: number;
  response: ResponseLike;
}

function toRequest(wire: WireRequest): Request {
  return new Request(wire.url, { method: wire.method, headers: wire.headers });
}

/** What the edge layer answers for `wire`, modelled by explain() over the upstream's reply. */
async function layerAnswer(
  cors: Cors | null,
  wire: WireRequest & { kind: "preflight" | "actual" },
  decisions: Decision[],
): Promise<ResponseLike> {
  const url = new URL(wire.url);
  const origin = wire.headers.origin ?? null;
  const cookie = wire.credentials ? SESSION_COOKIE : null;
  if (cors === null) {
    // The bare upstream: no layer, no CORS headers.
    const reply = upstreamReply({ method: wire.method, url, cookie, origin });
    return { status: reply.status, headers: reply.headers };
  }
  const d = await cors.explain(toRequest(wire));
  decisions.push(d);
  if (wire.kind === "preflight" && d.kind === "preflight") {
    return { status: d.status ?? 0, headers: Object.entries(d.headers) };
  }
  const reply = upstreamReply({ method: wire.method, url, cookie, origin });
  // CORS_UPSTREAM_HEADERS "replace" (the default): the upstream's Access-Control-* are dropped.
  const headers = reply.headers.filter(([n]) => !n.startsWith("access-control-"));
  for (const [name, value] of Object.entries(d.headers)) {
    const i = headers.findIndex(([n]) => n === name);
    if (i >= 0) headers.splice(i, 1);
    headers.push([name, value]);
  }
  return { status: reply.status, headers };
}

export async function predict(env: SuiteEnv, scenario: Scenario): Promise<Prediction> {
  const models = layerModels(env);
  const upstreamOrigin = new URL(env.upstream).origin;
  const wire: WireSeen = { preflights: [], actuals: [], upstream: [] };
  const cache = new Map<string, CacheEntry>();
  const fetches: FetchPrediction[] = [];
  let now = 0;

  for (const spec of scenario.fetches) {
    now += spec.gapMs ?? 0;
    const req = browserRequest(env, scenario, spec);
    const include = req.credentials === "include";
    const cacheKey = `${req.origin} ${req.url} ${include}`;
    const decisions: Decision[] = [];
    const report = await simulate(req, async (w) => {
      const url = new URL(w.url);
      const cors = models.get(url.origin) ?? null;
      if (cors === null && url.origin !== upstreamOrigin) throw new Error(`no server at ${w.url}`);
      if (w.kind === "preflight") {
        // Chromium's preflight cache, keyed by origin, URL and credentials mode; a hit sends
        // nothing and reuses the cached grant if it covers this request.
        const hit = w.url === req.url ? cache.get(cacheKey) : undefined;
        if (hit !== undefined && now < hit.expiresAt && checkPreflight(req, hit.response).ok) {
          return hit.response;
        }
        wire.preflights.push({
          path: url.pathname,
          origin: w.headers.origin ?? null,
          acrm: w.headers["access-control-request-method"] ?? null,
          acrh: w.headers["access-control-request-headers"] ?? null,
        });
        const response = await layerAnswer(cors, w, decisions);
        const check = checkPreflight(req, response);
        if (w.url === req.url && check.ok && check.maxAge.seconds.chromium > 0) {
          cache.set(cacheKey, { expiresAt: now + check.maxAge.seconds.chromium * 1000, response });
        }
        return response;
      }
      if (cors !== null) {
        wire.actuals.push({
          method: w.method,
          path: url.pathname,
          origin: w.headers.origin ?? null,
          // SameSite (not CORS): the cookie is SameSite=Lax, and a request from an opaque
          // origin (the sandboxed iframe) is cross-site, so Chromium withholds it.
          cookie: w.credentials && req.origin !== "null",
        });
      }
      if (cors !== null && !WORKERD_METHODS.has(w.method)) return NOT_IMPLEMENTED;
      wire.upstream.push({ method: w.method.toUpperCase(), path: url.pathname });
      return layerAnswer(cors, w, decisions);
    });
    const resolves = report.status !== null;
    const exposed = new Set(report.exposure?.exposed ?? []);
    fetches.push({
      resolves,
      status: report.status,
      visible: PROBED_HEADERS.filter((n) => exposed.has(n)),
      problems: report.problems.map((p) => p.code),
      decisions,
    });
  }
  return { fetches, wire };
}
