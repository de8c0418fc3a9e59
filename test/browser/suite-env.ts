/** Where everything listens during a run, and how a scenario's fetch becomes a URL. */
import type { Engine } from "@edge-cors/browser";
import type { LayerName } from "./policies.ts";
import type { RawCorsQuery } from "./raw-cors-model.ts";
import type { FetchSpec, Front, Scenario } from "./scenarios.ts";

export interface SuiteEnv {
  /** Page origins: A is listed by the policies, B is not. */
  pages: { A: string; B: string };
  /** What the browser talks to for each front: its counting proxy. */
  fronts: Record<Front, string>;
  upstream: string;
  /** Each layer's Worker vars (CORS_POLICY JSON, UPSTREAM_URL). */
  bindings: Record<LayerName, Record<string, string>>;
}

/** The serialized origin the page script runs in (`null` for the sandboxed iframe). */
export function originOf(env: SuiteEnv, scenario: Scenario): string {
  return scenario.from === "null" ? "null" : env.pages[scenario.from];
}

/** Tags every request of one scenario in one engine (`?s=`), for counting and a fresh cache key. */
export const scenarioTag = (engine: Engine, scenario: Scenario) => `${engine}.${scenario.id}`;

function setRaw(url: URL, raw: RawCorsQuery | undefined): void {
  for (const [k, v] of Object.entries(raw ?? {})) url.searchParams.set(k, v);
}

export function fetchUrl(env: SuiteEnv, scenario: Scenario, spec: FetchSpec, tag: string): string {
  const url = new URL(spec.path ?? "/echo", env.fronts[scenario.front]);
  url.searchParams.set("s", tag);
  if (spec.status !== undefined) url.searchParams.set("status", String(spec.status));
  setRaw(url, spec.raw);
  if (spec.preflightRedirect !== undefined) {
    const moved = new URL(spec.preflightRedirect.path, env.fronts[scenario.front]);
    moved.searchParams.set("s", tag);
    url.searchParams.set("preflight", String(spec.preflightRedirect.code));
    url.searchParams.set("location", moved.href);
  }
  if (spec.redirectTo !== undefined) {
    const { to, path, code, raw } = spec.redirectTo;
    const target = new URL(path, to === "upstream" ? env.upstream : env.fronts[to]);
    target.searchParams.set("s", tag);
    setRaw(target, raw);
    url.searchParams.set("redirect", target.href);
    if (code !== undefined) url.searchParams.set("code", String(code));
  }
  return url.href;
}

/** The response headers each scenario probes with `response.headers.get(name)`. */
export const PROBED_HEADERS = [
  "content-type",
  "cache-control",
  "etag",
  "x-request-id",
  "x-secret",
  "x-cookie-seen",
  "set-cookie",
  "location",
  "vary",
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-expose-headers",
] as const;
