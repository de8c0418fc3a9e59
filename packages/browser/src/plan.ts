/** What the browser puts on the wire for a cross-origin `fetch()`: preflight and actual request. */
import { isToken } from "@edge-cors/core/spec";
import {
  buildRequestHeaderList,
  combineEntries,
  type RequestHeaderList,
  type UnsafeNamesResult,
  unsafeNamesOf,
} from "./request-headers.ts";
import { isForbiddenMethod, isSafelistedMethod, normalizeMethod } from "./safelist.ts";
import type {
  BrowserRequest,
  CredentialsMode,
  Problem,
  Verdict,
  Warning,
  WireRequest,
} from "./types.ts";

export interface PlannedPreflight extends WireRequest {
  method: "OPTIONS";
  credentials: false;
  /** Why a preflight is needed, in plain words. */
  reasons: string[];
}

export interface RequestPlan extends Verdict {
  /** False for same-origin requests: no CORS at all. */
  crossOrigin: boolean;
  /** The method as sent (after Fetch normalization). */
  method: string;
  /** CORS-unsafe request-header names (the ACRH content), with reasons. */
  unsafe: UnsafeNamesResult;
  /** Headers the browser silently drops because scripts may not set them. */
  ignoredForbiddenHeaders: string[];
  preflight: PlannedPreflight | null;
  actual: WireRequest;
}

/** One hop of a fetch: the state `simulate` carries across redirects. */
export interface Hop {
  url: URL;
  /** Byte-serialized request origin: "null" when opaque or tainted by a redirect. */
  origin: string;
  /** The page's origin; differs from `origin` only when tainted. */
  pageOrigin: string;
  method: string;
  /** Combined author headers plus the default Accept (lower-case names). */
  headers: Array<[string, string]>;
  credentials: CredentialsMode;
  forcePreflight: boolean;
  /** Response tainting "cors": sticky once any hop was cross-origin. */
  cors: boolean;
}

export interface HopPlan {
  unsafe: UnsafeNamesResult;
  preflight: PlannedPreflight | null;
  actual: WireRequest;
}

/** The URL a request is sent to: the fragment is never sent. */
export function wireUrl(url: URL): string {
  const u = new URL(url.href);
  u.hash = "";
  return u.href;
}

export function isSameOrigin(url: URL, origin: string): boolean {
  return origin !== "null" && url.origin !== "null" && url.origin === origin;
}

/**
 * What the browser sends for `hop`. `preflightOrigin` is the Origin its preflight carries
 * (default `hop.origin`; Firefox keeps the page's origin after a cross-origin redirect).
 */
export function planHop(hop: Hop, preflightOrigin: string = hop.origin): HopPlan {
  const unsafe = unsafeNamesOf(hop.headers);
  const reasons: string[] = [];
  if (hop.cors) {
    if (hop.forcePreflight) {
      reasons.push("the request forces a preflight (upload listeners or a streaming body)");
    }
    if (!isSafelistedMethod(hop.method)) {
      reasons.push(`method ${hop.method} is not CORS-safelisted (only GET, HEAD and POST are)`);
    }
    for (const name of unsafe.names) reasons.push(unsafe.reasons[name] ?? name);
  }
  const url = wireUrl(hop.url);
  const sendsCookies =
    hop.credentials === "include" ||
    (hop.credentials === "same-origin" && isSameOrigin(hop.url, hop.origin));
  const actualHeaders: Record<string, string> = Object.fromEntries(hop.headers);
  if (hop.cors || (hop.method !== "GET" && hop.method !== "HEAD"))
    actualHeaders.origin = hop.origin;
  const actual: WireRequest = {
    method: hop.method,
    url,
    headers: actualHeaders,
    credentials: sendsCookies,
  };
  if (reasons.length === 0) return { unsafe, preflight: null, actual };
  const headers: Record<string, string> = {
    accept: "*/*",
    "access-control-request-method": hop.method,
  };
  if (unsafe.names.length > 0) headers["access-control-request-headers"] = unsafe.names.join(",");
  headers.origin = preflightOrigin;
  return {
    unsafe,
    preflight: { method: "OPTIONS", url, headers, credentials: false, reasons },
    actual,
  };
}

/** True if `origin` is a serialized origin (as browsers send it) or "null". */
export function isSerializedOrigin(origin: string): boolean {
  if (origin === "null") return true;
  try {
    const o = new URL(origin).origin;
    return o !== "null" && o === origin;
  } catch {
    return false;
  }
}

/** Validates the request like `new Request()` / `fetch()` would, and builds the first hop. */
export function firstHop(req: BrowserRequest): {
  hop: Hop | null;
  built: RequestHeaderList;
  problems: Problem[];
  warnings: Warning[];
} {
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const stage = "request" as const;
  let url: URL | null = null;
  try {
    url = new URL(req.url);
  } catch {
    problems.push({
      code: "request-invalid-url",
      message: `"${req.url}" is not an absolute URL`,
      fix: "pass an absolute http(s) URL",
      stage,
    });
  }
  if (url !== null && (url.username !== "" || url.password !== "")) {
    problems.push({
      code: "request-url-credentials",
      message: "fetch() rejects URLs that contain a user name or password",
      fix: "remove user:password@ from the URL and send an Authorization header instead",
      stage,
    });
  }
  if (url !== null && url.protocol !== "http:" && url.protocol !== "https:") {
    problems.push({
      code: "request-scheme",
      message: `${url.protocol} URLs cannot be fetched with CORS; only http: and https: can`,
      fix: "use an http: or https: URL",
      stage,
    });
  }
  if (!isSerializedOrigin(req.origin)) {
    let suggestion = "";
    try {
      const o = new URL(req.origin).origin;
      if (o !== "null") suggestion = ` such as ${o}`;
    } catch {
      // no suggestion
    }
    problems.push({
      code: "request-invalid-origin",
      header: "Origin",
      message: `"${req.origin}" is not an origin a browser would send (lower-case scheme://host[:port], no path, or "null")`,
      fix: `use a serialized origin${suggestion}`,
      stage,
    });
  }
  if (!isToken(req.method)) {
    problems.push({
      code: "request-invalid-method",
      message: `"${req.method}" is not a valid HTTP method token; fetch() throws`,
      fix: "use a method made of token characters, e.g. PUT",
      stage,
    });
  } else if (isForbiddenMethod(req.method)) {
    problems.push({
      code: "request-forbidden-method",
      message: `${req.method} is a forbidden method; fetch() throws`,
      fix: "use another method; browsers never send CONNECT, TRACE or TRACK",
      stage,
    });
  }
  if (req.cache === "only-if-cached") {
    problems.push({
      code: "request-only-if-cached",
      message:
        'cache: "only-if-cached" works only with mode: "same-origin"; fetch() throws for a CORS request',
      fix: 'use another cache mode (e.g. "force-cache") or drop the cache option',
      stage,
    });
  }
  const built = buildRequestHeaderList(req.headers);
  for (const issue of built.invalidHeaders) {
    problems.push({
      code: "request-invalid-header",
      header: issue.name,
      message: `${issue.reason}; fetch() throws`,
      fix: `remove ${issue.name} or give it a valid name and a value without CR, LF or NUL`,
      stage,
    });
  }
  for (const name of built.ignoredForbiddenHeaders) {
    warnings.push({
      code: "forbidden-header-ignored",
      header: name,
      message: `${name} is a forbidden request header; the browser silently drops it`,
      fix: `do not set ${name} from script; the browser controls it`,
      stage,
    });
  }
  if (problems.length > 0 || url === null) return { hop: null, built, problems, warnings };
  const headers = combineEntries(built.entries);
  if (!headers.some(([n]) => n === "accept")) headers.push(["accept", "*/*"]);
  const hop: Hop = {
    url,
    origin: req.origin,
    pageOrigin: req.origin,
    method: normalizeMethod(req.method),
    headers,
    credentials: req.credentials ?? "same-origin",
    forcePreflight: req.forcePreflight === true,
    cors: !isSameOrigin(url, req.origin),
  };
  return { hop, built, problems, warnings };
}

/**
 * Plans `fetch(req.url, { method, headers, credentials })` from `req.origin`: whether a preflight
 * is sent (and with which headers), and what the actual request carries.
 */
export function planRequest(req: BrowserRequest): RequestPlan {
  const { hop, built, problems, warnings } = firstHop(req);
  if (hop === null) {
    const method = isToken(req.method) ? normalizeMethod(req.method) : req.method;
    return {
      ok: false,
      problems,
      warnings,
      crossOrigin: true,
      method,
      unsafe: unsafeNamesOf(combineEntries(built.entries)),
      ignoredForbiddenHeaders: built.ignoredForbiddenHeaders,
      preflight: null,
      actual: {
        method,
        url: req.url,
        headers: Object.fromEntries(combineEntries(built.entries)),
        credentials: false,
      },
    };
  }
  const planned = planHop(hop);
  return {
    ok: true,
    problems,
    warnings,
    crossOrigin: hop.cors,
    method: hop.method,
    unsafe: planned.unsafe,
    ignoredForbiddenHeaders: built.ignoredForbiddenHeaders,
    preflight: planned.preflight,
    actual: planned.actual,
  };
}
