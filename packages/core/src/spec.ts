/**
 * Constants from the WHATWG Fetch standard and from browser engines' sources,
 * shared by the server side (policy validation, explain) and the browser model.
 */

/** Fetch §CORS-safelisted method. */
export const SAFELISTED_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "POST"]);

/** Fetch §normalize a method: only these are upper-cased by browsers; every other method is sent as written. */
export const NORMALIZED_METHODS: ReadonlySet<string> = new Set([
  "DELETE",
  "GET",
  "HEAD",
  "OPTIONS",
  "POST",
  "PUT",
]);

/** Fetch §forbidden method (compared case-insensitively). */
export const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(["CONNECT", "TRACE", "TRACK"]);

/** Fetch §forbidden response-header name: never exposed to scripts. */
export const FORBIDDEN_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  "set-cookie",
  "set-cookie2",
]);

/** Fetch §CORS-safelisted response-header name (lower-case). */
export const SAFELISTED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  "cache-control",
  "content-language",
  "content-length",
  "content-type",
  "expires",
  "last-modified",
  "pragma",
]);

/** Fetch §forbidden request-header (lower-case); any `proxy-` or `sec-` prefix is forbidden too. */
export const FORBIDDEN_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  "accept-charset",
  "accept-encoding",
  "access-control-request-headers",
  "access-control-request-method",
  "connection",
  "content-length",
  "cookie",
  "cookie2",
  "date",
  "dnt",
  "expect",
  "host",
  "keep-alive",
  "origin",
  "referer",
  "set-cookie",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "via",
]);

/** True when a browser never lets a script set this request header (so it never appears in a preflight). */
export function isForbiddenRequestHeader(lowerName: string): boolean {
  return (
    FORBIDDEN_REQUEST_HEADERS.has(lowerName) ||
    lowerName.startsWith("proxy-") ||
    lowerName.startsWith("sec-")
  );
}

/** Fetch §CORS non-wildcard request-header name: never covered by `*`. */
export const NON_WILDCARD_REQUEST_HEADERS: ReadonlySet<string> = new Set(["authorization"]);

/** Names of the request headers whose values can be CORS-safelisted (lower-case). */
export const SAFELISTABLE_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  "accept",
  "accept-language",
  "content-language",
  "content-type",
  "range",
]);

/** Fetch §CORS-preflight cache: browsers use 5 s when Access-Control-Max-Age is absent or invalid. */
export const DEFAULT_PREFLIGHT_CACHE_SECONDS = 5;

/**
 * The longest time each engine keeps a preflight result, in seconds.
 * Chromium: services/network/cors/preflight_result.cc kMaxTimeout = 2 h.
 * Firefox: nsCORSListenerProxy.cpp std::min(age, 86400U).
 * WebKit: CrossOriginPreflightResultCache.cpp maxPreflightCacheTimeout = 600 s.
 */
export const ENGINE_MAX_AGE_CAPS = { chromium: 7200, firefox: 86400, webkit: 600 } as const;

export type Engine = keyof typeof ENGINE_MAX_AGE_CAPS;

/** Per-engine preflight cache time for a given Access-Control-Max-Age (undefined = header absent). */
export function effectiveCacheSeconds(maxAge: number | undefined): Record<Engine, number> {
  if (maxAge === undefined) {
    return {
      chromium: DEFAULT_PREFLIGHT_CACHE_SECONDS,
      firefox: DEFAULT_PREFLIGHT_CACHE_SECONDS,
      webkit: DEFAULT_PREFLIGHT_CACHE_SECONDS,
    };
  }
  return {
    chromium: Math.min(maxAge, ENGINE_MAX_AGE_CAPS.chromium),
    firefox: Math.min(maxAge, ENGINE_MAX_AGE_CAPS.firefox),
    webkit: Math.min(maxAge, ENGINE_MAX_AGE_CAPS.webkit),
  };
}

/** RFC 9110 tchar, as a 128-entry lookup table (no regex over request input). */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  TCHAR[c.charCodeAt(0)] = 1;
}

/** True if `s` is a non-empty RFC 9110 token (method or header name). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

/** True if the char code at index `i` of `s` is a tchar. */
export function isTokenChar(code: number): boolean {
  return code < 128 && TCHAR[code] === 1;
}

/** Fetch §CORS-safelisted request-header: a longer value is never safelisted (bytes). */
export const SAFELISTED_REQUEST_HEADER_MAX_BYTES = 128;

/** Fetch §CORS-unsafe request-header names: when safelisted values total more than this, all become unsafe. */
export const SAFELISTED_REQUEST_HEADERS_TOTAL_MAX_BYTES = 1024;

/** Fetch §CORS-safelisted request-header: the Content-Type essences that keep a request simple. */
export const SAFELISTED_CONTENT_TYPES: ReadonlySet<string> = new Set([
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "text/plain",
]);

/** Fetch §forbidden request-header: forbidden when their value lists a forbidden method (lower-case). */
export const METHOD_OVERRIDE_HEADERS: ReadonlySet<string> = new Set([
  "x-http-method",
  "x-http-method-override",
  "x-method-override",
]);

/** Fetch §request-body-header name: removed when a redirect turns the request into a GET. */
export const REQUEST_BODY_HEADERS: ReadonlySet<string> = new Set([
  "content-encoding",
  "content-language",
  "content-location",
  "content-type",
]);

/** Fetch §HTTP-redirect fetch: the 21st redirect is a network error. */
export const MAX_REDIRECTS = 20;
