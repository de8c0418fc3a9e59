/** Where everything listens during a run, and how a scenario's fetch becomes a URL. */
import type { LayerName } from "./policies.ts";
import type { FetchSpec, Scenario } from "./scenarios.ts";

export interface SuiteEnv {
  /** Page origins: A is listed by the policies, B is not. */
  pages: { A: string; B: string };
  /** What the browser talks to for each layer: the counting front of its Miniflare. */
  layers: Record<LayerName, string>;
  upstream: string;
  /** Each layer's Worker vars (CORS_POLICY JSON, UPSTREAM_URL). */
  bindings: Record<LayerName, Record<string, string>>;
}

/** The serialized origin the page script runs in (`null` for the sandboxed iframe). */
export function originOf(env: SuiteEnv, scenario: Scenario): string {
  return scenario.from === "null" ? "null" : env.pages[scenario.from];
}

export function fetchUrl(env: SuiteEnv, scenario: Scenario, spec: FetchSpec): string {
  const url = new URL(spec.path ?? "/echo", env.layers[scenario.layer]);
  url.searchParams.set("s", scenario.id);
  if (spec.status !== undefined) url.searchParams.set("status", String(spec.status));
  if (spec.redirectTo !== undefined) {
    const { to, path, code } = spec.redirectTo;
    const target = new URL(path, to === "upstream" ? env.upstream : env.layers[to]);
    target.searchParams.set("s", scenario.id);
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
