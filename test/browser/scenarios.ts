/**
 * The scenario table. Each row says what a page script does; the expected browser outcome is
 * NOT written here: it is computed per engine from `explain()` and the browser model
 * (predict.ts). The only hard-coded expectations are the `sanity` column (does each fetch
 * resolve, in every engine?) and, where the engines differ, the preflight counts measured in
 * each: guards against a model and a layer that agree on the wrong thing.
 */
import type { CredentialsMode, Engine, FetchCacheMode } from "@edge-cors/browser";
import type { LayerName } from "./policies.ts";
import type { RawCorsQuery } from "./raw-cors-model.ts";

/** Which page runs the script: the allowed page origin, another (unlisted) one, or `null`. */
export type From = "A" | "B" | "null";
/** What the browser talks to: an edge layer, or the hand-configured CORS server (raw-cors-model.ts). */
export type Front = LayerName | "raw";
/** Where a redirect points: a front, or the bare upstream (no CORS). */
export type Target = Front | "upstream";

export interface FetchSpec {
  /** Path on the front, default `/echo`. */
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  /** Fetch's default is `same-origin` (no cookies cross-origin). */
  credentials?: CredentialsMode;
  body?: string;
  redirect?: "follow" | "manual" | "error";
  /** Fetch's request cache mode (engines differ in which modes skip the preflight cache). */
  cache?: FetchCacheMode;
  /** The upstream answers with this status (layers). */
  status?: number;
  /** The CORS headers the raw front sends. */
  raw?: RawCorsQuery;
  /** The raw front answers the preflight with this redirect to `path` on itself. */
  preflightRedirect?: { code: number; path: string };
  /** The upstream (or the raw front) answers with a redirect to this target. */
  redirectTo?: { to: Target; path: string; code?: number; raw?: RawCorsQuery };
  /** Wait this long before sending (preflight cache expiry). */
  gapMs?: number;
}

export interface Scenario {
  id: string;
  title: string;
  front: Front;
  from: From;
  fetches: FetchSpec[];
  /** Sanity column: does each fetch resolve (true) or reject (false), in every engine? */
  sanity: boolean[];
  /** Where the engines differ: preflights reaching the fronts in each engine, as measured. */
  preflights?: Record<Engine, number>;
}

const s = (
  id: string,
  title: string,
  front: Front,
  from: From,
  fetch: FetchSpec,
  resolves: boolean,
): Scenario => ({ id, title, front, from, fetches: [fetch], sanity: [resolves] });

const times = (n: number, spec: FetchSpec, gapMs = 0): FetchSpec[] =>
  Array.from({ length: n }, (_, i) => (i === 0 || gapMs === 0 ? spec : { ...spec, gapMs }));

/** Preflight counts per engine, in ENGINES order (Chromium, Firefox, WebKit). */
const per = (chromium: number, firefox: number, webkit: number): Record<Engine, number> => ({
  chromium,
  firefox,
  webkit,
});

const PLAIN = { "Content-Type": "text/plain;charset=UTF-8" };
const JSON_CT = { "Content-Type": "application/json" };
/** A PUT with a custom header, granted by the cache layer (and by `RAW_GRANT`). */
const PUT_CUSTOM: FetchSpec = { method: "PUT", headers: { "X-Custom": "1" } };
const RAW_GRANT: RawCorsQuery = { acao: "reflect", acam: "PUT", acah: "x-custom" };

/** `cache: <mode>` for 3 PUTs, then the mode once followed by two default-mode PUTs. */
function cacheModeScenarios(
  mode: FetchCacheMode,
  thrice: Record<Engine, number>,
  thenDefault: Record<Engine, number>,
): Scenario[] {
  const spec = { ...PUT_CUSTOM, path: `/long/${mode}`, cache: mode };
  return [
    {
      id: `cache-${mode}`,
      title: `cache: "${mode}", 3 PUTs: which engines skip the preflight cache`,
      front: "cache",
      from: "A",
      fetches: times(3, spec),
      sanity: [true, true, true],
      preflights: thrice,
    },
    {
      id: `cache-${mode}-then-default`,
      title: `cache: "${mode}" once, then 2 default PUTs: is its preflight stored?`,
      front: "cache",
      from: "A",
      fetches: [spec, { ...spec, cache: "default" }, { ...spec, cache: "default" }],
      sanity: [true, true, true],
      preflights: thenDefault,
    },
  ];
}

/** Two PUTs against the raw front sending this Access-Control-Max-Age. */
function maxAgeScenario(id: string, acma: string, preflights: Record<Engine, number>): Scenario {
  return {
    id,
    title: `Access-Control-Max-Age ${JSON.stringify(acma)}: 2 PUTs, is the first grant cached?`,
    front: "raw",
    from: "A",
    fetches: times(2, { ...PUT_CUSTOM, raw: { ...RAW_GRANT, acma } }),
    sanity: [true, true],
    preflights,
  };
}

export const SCENARIOS: Scenario[] = [
  // --- simple vs preflighted (strict policy: one origin, PUT/DELETE/PATCH, two headers) ---
  s("get-simple", "simple GET: no preflight", "strict", "A", {}, true),
  s("head-simple", "simple HEAD", "strict", "A", { method: "HEAD" }, true),
  s(
    "post-text",
    "POST text/plain is simple",
    "strict",
    "A",
    { method: "POST", headers: PLAIN, body: "hi" },
    true,
  ),
  s(
    "post-form",
    "POST form-urlencoded is simple",
    "strict",
    "A",
    {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "a=1",
    },
    true,
  ),
  s(
    "post-json",
    "POST application/json preflights (Content-Type listed)",
    "strict",
    "A",
    { method: "POST", headers: JSON_CT, body: "{}" },
    true,
  ),
  s(
    "accept-language",
    "safelisted Accept-Language: no preflight",
    "strict",
    "A",
    { headers: { "Accept-Language": "en-US,en;q=0.5" } },
    true,
  ),
  s(
    "range-suffix",
    "Range bytes=-5 is not safelisted: preflight, refused",
    "strict",
    "A",
    { headers: { Range: "bytes=-5" } },
    false,
  ),
  s(
    "put",
    "PUT preflights and passes",
    "strict",
    "A",
    { method: "PUT", headers: PLAIN, body: "x" },
    true,
  ),
  s("delete", "DELETE preflights and passes", "strict", "A", { method: "DELETE" }, true),
  s("delete-lower", "`delete` is normalized to DELETE", "strict", "A", { method: "delete" }, true),
  s(
    "patch-upper",
    "PATCH passes",
    "strict",
    "A",
    { method: "PATCH", headers: JSON_CT, body: "{}" },
    true,
  ),
  s(
    "patch-lower",
    "`patch` is sent as written and refused (ACAM is case-sensitive)",
    "strict",
    "A",
    { method: "patch", headers: JSON_CT, body: "{}" },
    false,
  ),
  s("options-method", "OPTIONS is not granted", "strict", "A", { method: "OPTIONS" }, false),
  s(
    "custom-allowed",
    "listed custom header",
    "strict",
    "A",
    { headers: { "X-Request-Id": "abc" } },
    true,
  ),
  s(
    "custom-case",
    "header names are case-insensitive",
    "strict",
    "A",
    { headers: { "X-REQUEST-ID": "abc" } },
    true,
  ),
  s(
    "custom-denied",
    "unlisted custom header: refused, never reaches the upstream",
    "strict",
    "A",
    { headers: { "X-Other": "1" } },
    false,
  ),
  s(
    "custom-mixed",
    "one listed + one unlisted header",
    "strict",
    "A",
    { method: "PUT", headers: { "X-Request-Id": "1", "X-Other": "2" } },
    false,
  ),
  s(
    "auth-unlisted",
    "Authorization not listed: refused",
    "strict",
    "A",
    { headers: { Authorization: "Bearer t" } },
    false,
  ),
  // --- disallowed and null origins ---
  s(
    "origin-b-get",
    "unlisted origin, simple GET: reaches the upstream, script blocked",
    "strict",
    "B",
    {},
    false,
  ),
  s(
    "origin-b-put",
    "unlisted origin, PUT: preflight refused",
    "strict",
    "B",
    { method: "PUT" },
    false,
  ),
  s("null-get", "sandboxed iframe (Origin: null), GET", "strict", "null", {}, false),
  s("null-put", "sandboxed iframe (Origin: null), PUT", "strict", "null", { method: "PUT" }, false),
  // --- upstream error statuses ---
  s("status-404", "upstream 404 is readable", "strict", "A", { status: 404 }, true),
  s("status-500", "upstream 500 is readable", "strict", "A", { status: 500 }, true),
  s("status-502", "upstream 502 is readable", "strict", "A", { status: 502 }, true),
  s(
    "status-500-put",
    "upstream 500 after a preflight",
    "strict",
    "A",
    { method: "PUT", status: 500 },
    true,
  ),
  s(
    "status-404-b",
    "upstream 404, unlisted origin: blocked",
    "strict",
    "B",
    { status: 404 },
    false,
  ),
  // --- redirects ---
  s(
    "redirect-same",
    "302 to the same layer",
    "strict",
    "A",
    { redirectTo: { to: "strict", path: "/echo" } },
    true,
  ),
  s(
    "redirect-307-put",
    "307 after a preflighted PUT, same layer",
    "strict",
    "A",
    { method: "PUT", redirectTo: { to: "strict", path: "/echo", code: 307 } },
    true,
  ),
  s(
    "redirect-303-post",
    "303 turns POST into GET",
    "strict",
    "A",
    {
      method: "POST",
      headers: PLAIN,
      body: "x",
      redirectTo: { to: "strict", path: "/echo", code: 303 },
    },
    true,
  ),
  s(
    "redirect-to-star",
    "cross-origin redirect taints Origin to null; `*` layer accepts it",
    "strict",
    "A",
    { redirectTo: { to: "star", path: "/echo" } },
    true,
  ),
  s(
    "redirect-star-to-strict",
    "tainted null origin refused by the strict layer",
    "star",
    "A",
    { redirectTo: { to: "strict", path: "/echo" } },
    false,
  ),
  s(
    "redirect-to-upstream",
    "redirect to the bare upstream (no CORS headers)",
    "strict",
    "A",
    { redirectTo: { to: "upstream", path: "/echo" } },
    false,
  ),
  s(
    "redirect-manual",
    "redirect: manual gives an opaque redirect",
    "strict",
    "A",
    { redirect: "manual", redirectTo: { to: "strict", path: "/echo" } },
    true,
  ),
  s(
    "redirect-error",
    "redirect: error rejects",
    "strict",
    "A",
    { redirect: "error", redirectTo: { to: "strict", path: "/echo" } },
    false,
  ),
  // --- `*` policy ---
  s("star-get", "ACAO * and ACEH *: every header readable but Set-Cookie", "star", "A", {}, true),
  s("star-origin-b", "any origin under *", "star", "B", {}, true),
  s(
    "star-custom",
    "ACAH * covers custom headers",
    "star",
    "A",
    { method: "PUT", headers: { "X-Anything": "1", "X-More": "2" } },
    true,
  ),
  s(
    "star-patch-lower",
    "ACAM * grants `patch`, but workerd answers the `patch` request line with 501 before the Worker",
    "star",
    "A",
    { method: "patch" },
    false,
  ),
  s(
    "star-auth",
    "`*` never covers Authorization",
    "star",
    "A",
    { headers: { Authorization: "Bearer t" } },
    false,
  ),
  s(
    "star-auth-route",
    "route listing Authorization explicitly",
    "star",
    "A",
    { path: "/auth/echo", headers: { Authorization: "Bearer t" } },
    true,
  ),
  s("star-null", "Origin null under *", "star", "null", {}, true),
  s(
    "star-null-put",
    "Origin null preflight under *",
    "star",
    "null",
    { method: "PUT", headers: { "X-Anything": "1" } },
    true,
  ),
  s(
    "star-include",
    "credentials: include against ACAO *: blocked (request still reached the upstream)",
    "star",
    "A",
    { credentials: "include" },
    false,
  ),
  s(
    "star-include-put",
    "credentialed preflight against *: refused",
    "star",
    "A",
    { method: "PUT", credentials: "include" },
    false,
  ),
  // --- credentials (cookie set by the layer's origin, see docs/browser.md) ---
  s(
    "creds-get",
    "credentialed GET carries the cookie, exact ACAO + ACAC",
    "creds",
    "A",
    { credentials: "include" },
    true,
  ),
  s("creds-omit", "credentials: omit sends no cookie", "creds", "A", { credentials: "omit" }, true),
  s(
    "creds-same-origin",
    "fetch default (same-origin) sends no cookie cross-origin",
    "creds",
    "A",
    {},
    true,
  ),
  s(
    "creds-put",
    "credentialed PUT: the preflight carries no cookie, the PUT does",
    "creds",
    "A",
    { method: "PUT", credentials: "include", headers: JSON_CT, body: "{}" },
    true,
  ),
  s(
    "creds-headers",
    "credentialed custom headers: ACAH echoes the asked names",
    "creds",
    "A",
    { credentials: "include", headers: { "X-Anything": "1", "X-Second": "2" } },
    true,
  ),
  s(
    "creds-auth",
    "credentialed Authorization: `*` never covers it",
    "creds",
    "A",
    { credentials: "include", headers: { Authorization: "Bearer t" } },
    false,
  ),
  s(
    "creds-patch-lower",
    "credentialed `patch`: ACAM echoes it, then workerd answers 501",
    "creds",
    "A",
    { method: "patch", credentials: "include" },
    false,
  ),
  s(
    "creds-propfind",
    "credentialed PROPFIND: ACAM echoes the asked method",
    "creds",
    "A",
    { method: "PROPFIND", credentials: "include" },
    true,
  ),
  s(
    "creds-origin-b",
    "credentialed, unlisted origin",
    "creds",
    "B",
    { credentials: "include" },
    false,
  ),
  s("creds-null", "credentialed, Origin null", "creds", "null", { credentials: "include" }, false),
  s(
    "strict-include",
    "credentials on a policy without allowCredentials: blocked after reaching the upstream",
    "strict",
    "A",
    { credentials: "include" },
    false,
  ),
  // --- preflight cache (count the preflights reaching the layer) ---
  {
    id: "cache-default",
    title: "no Max-Age: every engine caches 5 s, 3 PUTs = 1 preflight",
    front: "cache",
    from: "A",
    fetches: times(3, { method: "PUT" }),
    sanity: [true, true, true],
  },
  {
    id: "cache-long",
    title: "Max-Age 7200: 3 PUTs = 1 preflight",
    front: "cache",
    from: "A",
    fetches: times(3, { path: "/long/x", method: "PUT" }),
    sanity: [true, true, true],
  },
  {
    id: "cache-zero",
    title: "maxAge: 0: every PUT preflights",
    front: "cache",
    from: "A",
    fetches: times(3, { path: "/nocache/x", method: "PUT" }),
    sanity: [true, true, true],
  },
  {
    id: "cache-expiry",
    title: "Max-Age 1: a PUT 1.5 s later preflights again",
    front: "cache",
    from: "A",
    fetches: times(2, { path: "/short/x", method: "PUT" }, 1500),
    sanity: [true, true],
  },
  {
    id: "cache-covers-header",
    title: "a cached grant covers a header listed in the earlier ACAH",
    front: "cache",
    from: "A",
    fetches: [
      { path: "/long/h", method: "PUT" },
      { path: "/long/h", method: "PUT", headers: { "X-Custom": "1" } },
    ],
    sanity: [true, true],
  },
  {
    id: "cache-refused",
    title: "refused preflights are not cached",
    front: "cache",
    from: "A",
    fetches: times(2, { path: "/long/r", method: "DELETE" }),
    sanity: [false, false],
  },
  // --- the embedded default policy (no CORS_POLICY) ---
  s("default-get", "default policy: 127.0.0.1 on any port", "default", "A", {}, true),
  s(
    "default-origin-b",
    "default policy: another 127.0.0.1 port",
    "default",
    "B",
    { method: "DELETE" },
    true,
  ),
  s(
    "default-auth",
    "default policy lists Authorization",
    "default",
    "A",
    { method: "PATCH", headers: { Authorization: "Bearer t", "Content-Type": "application/json" } },
    true,
  ),
  s(
    "default-null",
    "default policy: Origin null refused",
    "default",
    "null",
    { method: "PUT" },
    false,
  ),
  // --- a preflight answered with a redirect fails; redirects after a preflight ---
  ...[301, 307].map(
    (code): Scenario => ({
      id: `preflight-redirect-${code}`,
      title: `a preflight answered with ${code}: never followed, the request fails`,
      front: "raw",
      from: "A",
      fetches: [{ ...PUT_CUSTOM, raw: RAW_GRANT, preflightRedirect: { code, path: "/moved" } }],
      sanity: [false],
    }),
  ),
  s(
    "redirect-put-cross-star",
    "a preflighted PUT 307-redirected across origins: preflight again, PUT with Origin: null",
    "strict",
    "A",
    { method: "PUT", redirectTo: { to: "star", path: "/echo", code: 307 } },
    true,
  ),
  s(
    "redirect-put-cross-strict",
    "the same into a policy that allows only the page: blocked (Firefox only at the PUT)",
    "star",
    "A",
    { method: "PUT", redirectTo: { to: "strict", path: "/echo", code: 307 } },
    false,
  ),
  s(
    "creds-redirect-cross",
    "credentialed GET redirected across origins: Origin: null with the cookie, `*` refused",
    "creds",
    "A",
    { credentials: "include", redirectTo: { to: "star", path: "/echo" } },
    false,
  ),
  s(
    "creds-redirect-null-trusted",
    "credentialed GET redirected to a server trusting `null` with credentials: allowed",
    "creds",
    "A",
    {
      credentials: "include",
      redirectTo: { to: "raw", path: "/echo", raw: { acao: "null", acac: "true" } },
    },
    true,
  ),
  // --- what the engines accept that the Fetch standard forbids ---
  s(
    "raw-star-authorization",
    "ACAH `*` with Authorization: the standard forbids it, every engine accepts it",
    "raw",
    "A",
    {
      headers: { Authorization: "Bearer t" },
      raw: { acao: "*", acam: "*", acah: "*", acma: "600" },
    },
    true,
  ),
  s(
    "raw-star-authorization-include",
    "ACAH `*` with Authorization and credentials: `*` is literal, blocked everywhere",
    "raw",
    "A",
    {
      credentials: "include",
      headers: { Authorization: "Bearer t" },
      raw: { acao: "reflect", acac: "true", acam: "*", acah: "*" },
    },
    false,
  ),
  // --- the preflight cache per engine ---
  ...cacheModeScenarios("no-store", per(3, 3, 1), per(2, 1, 1)),
  ...cacheModeScenarios("reload", per(3, 3, 1), per(1, 1, 1)),
  ...cacheModeScenarios("no-cache", per(3, 1, 1), per(1, 1, 1)),
  ...cacheModeScenarios("force-cache", per(1, 1, 1), per(1, 1, 1)),
  s(
    "cache-only-if-cached",
    'cache: "only-if-cached" on a CORS request: fetch() throws, nothing is sent',
    "cache",
    "A",
    { ...PUT_CUSTOM, path: "/long/only-if-cached", cache: "only-if-cached" },
    false,
  ),
  {
    id: "cache-merge",
    title: "PUTs with X-A, X-B, X-A: does a new grant merge with the cached one or replace it?",
    front: "creds",
    from: "A",
    fetches: ["X-A", "X-B", "X-A"].map((h) => ({
      method: "PUT",
      credentials: "include" as const,
      headers: { [h]: "1" },
    })),
    sanity: [true, true, true],
    preflights: per(3, 2, 3),
  },
  {
    id: "cache-credentials",
    title: "a grant cached for a credentialed PUT serves an uncredentialed one (not in Firefox)",
    front: "creds",
    from: "A",
    fetches: [
      { ...PUT_CUSTOM, credentials: "include" },
      { ...PUT_CUSTOM, credentials: "omit" },
    ],
    sanity: [true, true],
    preflights: per(1, 2, 1),
  },
  maxAgeScenario("max-age-invalid", "abc", per(1, 2, 1)),
  maxAgeScenario("max-age-negative", "-1", per(2, 2, 2)),
  maxAgeScenario("max-age-plus", "+5", per(1, 2, 1)),
  maxAgeScenario("max-age-fraction", "1.5", per(1, 2, 1)),
];
