/**
 * The prediction for a scenario in one engine, computed, never written by hand: the browser
 * model (`simulate` under that engine's ruleset, with a preflight cache of its own: what the
 * engine puts on the wire and how it judges each response) runs against a model of each front:
 * an edge layer is `createCors(policy).explain()` (the layer's answer to a preflight, and the
 * headers it adds to the upstream's response) over `upstreamReply`; the raw front is
 * `rawCorsReply`. A layer's policy is read by the edge module's `readEdgeConfig`, from the same
 * bindings the Worker gets, so an unset CORS_POLICY means the embedded default here too.
 */

import {
  type BrowserRequest,
  engineProfile,
  PreflightCache,
  type ResponseLike,
  type Ruleset,
  simulate,
  type WireRequest,
} from "@edge-cors/browser";
import type { Cors, Decision } from "@edge-cors/core";
import { readEdgeConfig } from "@edge-cors/edge";
import type { LayerName } from "./policies.ts";
import { rawCorsReply } from "./raw-cors-model.ts";
import type { FetchSpec, Scenario } from "./scenarios.ts";
import { fetchUrl, originOf, PROBED_HEADERS, type SuiteEnv } from "./suite-env.ts";
import { SESSION_COOKIE, upstreamReply } from "./upstream-model.ts";

/** Traffic, in order: what reached the fronts (layers and raw server), and what reached the upstream. */
export interface WireSeen {
  /** Preflights at the fronts, exactly as the engine sent them. */
  preflights: Array<{
    path: string;
    origin: string | null;
    acrm: string | null;
    acrh: string | null;
  }>;
  /** Other requests at the fronts, exactly as sent (method case kept). */
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
  /** explain() for every request that reached a layer. */
  decisions: Decision[];
}

export interface Prediction {
  fetches: FetchPrediction[];
  wire: WireSeen;
}

/** The model of each front, keyed by the origin the browser talks to. */
export function frontModels(env: SuiteEnv): Map<string, Cors | "raw"> {
  const map = new Map<string, Cors | "raw">();
  for (const [name, b] of Object.entries(env.bindings) as Array<
    [LayerName, Record<string, string>]
  >) {
    map.set(new URL(env.fronts[name]).origin, readEdgeConfig(b).cors);
  }
  map.set(new URL(env.fronts.raw).origin, "raw");
  return map;
}

/** The bound browser request for one fetch of a scenario. */
export function browserRequest(
  env: SuiteEnv,
  scenario: Scenario,
  spec: FetchSpec,
  tag: string,
): BrowserRequest {
  const req: BrowserRequest = {
    url: fetchUrl(env, scenario, spec, tag),
    origin: originOf(env, scenario),
    method: spec.method ?? "GET",
    credentials: spec.credentials ?? "same-origin",
  };
  if (spec.headers !== undefined) req.headers = spec.headers;
  if (spec.redirect !== undefined) req.redirect = spec.redirect;
  if (spec.cache !== undefined) req.cache = spec.cache;
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

function toRequest(wire: WireRequest): Request {
  return new Request(wire.url, { method: wire.method, headers: wire.headers });
}

/** What a front answers for `wire`: the raw server's reply, or explain() over the upstream's. */
async function frontAnswer(
  front: Cors | "raw" | null,
  wire: WireRequest & { kind: "preflight" | "actual" },
  decisions: Decision[],
): Promise<ResponseLike> {
  const url = new URL(wire.url);
  const origin = wire.headers.origin ?? null;
  const cookie = wire.credentials ? SESSION_COOKIE : null;
  if (front === "raw") {
    const reply = rawCorsReply({ method: wire.method, url, headers: wire.headers });
    return { status: reply.status, headers: reply.headers };
  }
  if (front === null) {
    // The bare upstream: no layer, no CORS headers.
    const reply = upstreamReply({ method: wire.method, url, cookie, origin });
    return { status: reply.status, headers: reply.headers };
  }
  const d = await front.explain(toRequest(wire));
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

export async function predict(
  env: SuiteEnv,
  scenario: Scenario,
  ruleset: Ruleset,
  tag: string,
): Promise<Prediction> {
  const fronts = frontModels(env);
  const profile = engineProfile(ruleset);
  const upstreamOrigin = new URL(env.upstream).origin;
  const wire: WireSeen = { preflights: [], actuals: [], upstream: [] };
  // The engine's preflight cache, on a virtual clock that advances by each fetch's gap.
  let now = 0;
  const cache = new PreflightCache(ruleset, () => now);
  const fetches: FetchPrediction[] = [];

  for (const spec of scenario.fetches) {
    now += spec.gapMs ?? 0;
    const req = browserRequest(env, scenario, spec, tag);
    const decisions: Decision[] = [];
    const report = await simulate(
      req,
      async (w) => {
        const url = new URL(w.url);
        const front = fronts.get(url.origin) ?? null;
        if (front === null && url.origin !== upstreamOrigin)
          throw new Error(`no server at ${w.url}`);
        if (w.kind === "preflight") {
          wire.preflights.push({
            path: url.pathname,
            origin: w.headers.origin ?? null,
            acrm: w.headers["access-control-request-method"] ?? null,
            acrh: w.headers["access-control-request-headers"] ?? null,
          });
          return frontAnswer(front, w, decisions);
        }
        if (front !== null) {
          wire.actuals.push({
            method: w.method,
            path: url.pathname,
            origin: w.headers.origin ?? null,
            // SameSite (not CORS): the cookie is SameSite=Lax, and a request from an opaque
            // origin (the sandboxed iframe) is cross-site, so most engines withhold it.
            cookie: w.credentials && (req.origin !== "null" || profile.laxCookiesFromOpaqueOrigin),
          });
        }
        if (front !== null && front !== "raw" && !WORKERD_METHODS.has(w.method)) {
          return NOT_IMPLEMENTED;
        }
        if (front !== "raw")
          wire.upstream.push({ method: w.method.toUpperCase(), path: url.pathname });
        return frontAnswer(front, w, decisions);
      },
      { ruleset, preflightCache: cache },
    );
    const exposed = new Set(report.exposure?.exposed ?? []);
    fetches.push({
      resolves: report.status !== null,
      status: report.status,
      visible: PROBED_HEADERS.filter((n) => exposed.has(n)),
      problems: report.problems.map((p) => p.code),
      decisions,
    });
  }
  return { fetches, wire };
}
