/**
 * The scenario table. Each row says what a page script does; the expected browser outcome is
 * NOT written here: it is computed from `explain()` and the browser model (predict.ts). The
 * only hard-coded expectation is the `sanity` column (does each fetch resolve?), a guard
 * against a model and a layer that agree on the wrong thing.
 */
import type { CredentialsMode } from "@edge-cors/browser";
import type { LayerName } from "./policies.ts";

/** Which page runs the script: the allowed page origin, another (unlisted) one, or `null`. */
export type From = "A" | "B" | "null";
/** Where a redirect points: another edge-layer instance, or the bare upstream (no CORS). */
export type Target = LayerName | "upstream";

export interface FetchSpec {
  /** Path on the layer, default `/echo`. */
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  /** Fetch's default is `same-origin` (no cookies cross-origin). */
  credentials?: CredentialsMode;
  body?: string;
  redirect?: "follow" | "manual" | "error";
  /** The upstream answers with this status. */
  status?: number;
  /** The upstream answers with a redirect to this target. */
  redirectTo?: { to: Target; path: string; code?: number };
  /** Wait this long before sending (preflight cache expiry). */
  gapMs?: number;
}

export interface Scenario {
  id: string;
  title: string;
  layer: LayerName;
  from: From;
  fetches: FetchSpec[];
  /** Sanity column: does each fetch resolve (true) or reject (false)? */
  sanity: boolean[];
}

const s = (
  id: string,
  title: string,
  layer: LayerName,
  from: From,
  fetch: FetchSpec,
  resolves: boolean,
): Scenario => ({ id, title, layer, from, fetches: [fetch], sanity: [resolves] });

const times = (n: number, spec: FetchSpec, gapMs = 0): FetchSpec[] =>
  Array.from({ length: n }, (_, i) => (i === 0 || gapMs === 0 ? spec : { ...spec, gapMs }));

const PLAIN = { "Content-Type": "text/plain;charset=UTF-8" };
const JSON_CT = { "Content-Type": "application/json" };

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
    title: "no Max-Age: Chromium caches 5 s, 3 PUTs = 1 preflight",
    layer: "cache",
    from: "A",
    fetches: times(3, { method: "PUT" }),
    sanity: [true, true, true],
  },
  {
    id: "cache-long",
    title: "Max-Age 7200: 3 PUTs = 1 preflight",
    layer: "cache",
    from: "A",
    fetches: times(3, { path: "/long/x", method: "PUT" }),
    sanity: [true, true, true],
  },
  {
    id: "cache-zero",
    title: "maxAge: 0: every PUT preflights",
    layer: "cache",
    from: "A",
    fetches: times(3, { path: "/nocache/x", method: "PUT" }),
    sanity: [true, true, true],
  },
  {
    id: "cache-expiry",
    title: "Max-Age 1: a PUT 1.5 s later preflights again",
    layer: "cache",
    from: "A",
    fetches: times(2, { path: "/short/x", method: "PUT" }, 1500),
    sanity: [true, true],
  },
  {
    id: "cache-covers-header",
    title: "a cached grant covers a header listed in the earlier ACAH",
    layer: "cache",
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
    layer: "cache",
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
];
