/**
 * Where Chromium, Firefox and WebKit depart from the Fetch standard in what they send and
 * accept, one profile each, next to the standard's own. Every entry is measured by the
 * real-browser suite (test/browser, docs/browser.md) except the Max-Age caps, which come from
 * the engines' sources (a wait of hours cannot be measured in a test).
 */
import type { Engine } from "@edge-cors/core/spec";
import {
  chromiumMaxAgeSeconds,
  firefoxMaxAgeSeconds,
  standardMaxAgeSeconds,
  webkitMaxAgeSeconds,
} from "./max-age.ts";

export type { Engine };

/** The engines, in the order the CLI and the suite show them. */
export const ENGINES: readonly Engine[] = ["chromium", "firefox", "webkit"];

/** Whose rules the model applies: one engine's defaults, or the Fetch standard's. */
export type Ruleset = Engine | "standard";

export const RULESETS: readonly Ruleset[] = ["standard", ...ENGINES];

/** Fetch §request cache mode, as `fetch(url, { cache })` takes it. */
export const FETCH_CACHE_MODES = [
  "default",
  "no-store",
  "reload",
  "no-cache",
  "force-cache",
  "only-if-cached",
] as const;

export type FetchCacheMode = (typeof FETCH_CACHE_MODES)[number];

/** The cache modes a cross-origin fetch can use (`only-if-cached` makes `fetch()` throw). */
export type PreflightCacheMode = Exclude<FetchCacheMode, "only-if-cached">;

/** How a request in one cache mode uses the preflight cache. */
export interface PreflightCacheUse {
  /** It skips the preflight when a cached grant covers it. */
  reuse: boolean;
  /** Its own successful preflight is stored for later requests. */
  store: boolean;
}

export interface EngineProfile {
  ruleset: Ruleset;
  label: string;
  /** Where the profile comes from: the standard's revision, or the engine build the suite measured. */
  source: string;
  /**
   * `Access-Control-Allow-Headers: *` (without credentials) also grants `Authorization`.
   * Fetch: never, it is the CORS non-wildcard request-header name.
   */
  wildcardCoversAuthorization: boolean;
  /** The switch that makes the engine follow the standard there, when one is known. */
  standardAuthorizationSwitch: string | null;
  /** How each cache mode uses the preflight cache. Fetch: the cache mode plays no part. */
  preflightCache: Record<PreflightCacheMode, PreflightCacheUse>;
  /**
   * A new preflight result for an origin and URL already cached: added to the cached grants
   * (Fetch: one entry per method and header name) or replacing them (one result per URL).
   */
  cacheUpdate: "merge" | "replace";
  /** A grant cached for a credentialed request also serves uncredentialed ones (Fetch: yes). */
  credentialedGrantServesUncredentialed: boolean;
  /**
   * The Origin a preflight carries after a cross-origin redirect, which its CORS check also
   * compares against: "null" (Fetch: the preflight clones the tainted URL list) or the page's.
   */
  redirectedPreflightOrigin: "null" | "page";
  /**
   * Cookie policy, not CORS: a credentialed fetch from an opaque-origin document (sandboxed
   * iframe) to a same-site URL carries SameSite=Lax cookies. RFC 6265bis: no, the request is
   * cross-site.
   */
  laxCookiesFromOpaqueOrigin: boolean;
  /** Seconds a preflight result is kept for the raw Access-Control-Max-Age (0: not cached). */
  maxAgeSeconds(raw: string | null): number;
}

const ALWAYS: PreflightCacheUse = { reuse: true, store: true };
const BYPASS_AND_STORE: PreflightCacheUse = { reuse: false, store: true };
const BYPASS_NO_STORE: PreflightCacheUse = { reuse: false, store: false };

const uniform = (use: PreflightCacheUse): Record<PreflightCacheMode, PreflightCacheUse> => ({
  default: use,
  "no-store": use,
  reload: use,
  "no-cache": use,
  "force-cache": use,
});

export const ENGINE_PROFILES: Readonly<Record<Ruleset, EngineProfile>> = {
  standard: {
    ruleset: "standard",
    label: "Fetch standard",
    source: "WHATWG Fetch (whatwg/fetch 586cd2a)",
    wildcardCoversAuthorization: false,
    standardAuthorizationSwitch: null,
    preflightCache: uniform(ALWAYS),
    cacheUpdate: "merge",
    credentialedGrantServesUncredentialed: true,
    redirectedPreflightOrigin: "null",
    laxCookiesFromOpaqueOrigin: false,
    maxAgeSeconds: standardMaxAgeSeconds,
  },
  chromium: {
    ruleset: "chromium",
    label: "Chromium",
    source: "Chromium 156 (Debian chromium), measured",
    wildcardCoversAuthorization: true,
    standardAuthorizationSwitch: "--enable-features=CorsNonWildcardRequestHeadersSupport",
    preflightCache: {
      default: ALWAYS,
      "force-cache": ALWAYS,
      "no-store": BYPASS_NO_STORE,
      reload: BYPASS_AND_STORE,
      "no-cache": BYPASS_AND_STORE,
    },
    cacheUpdate: "replace",
    credentialedGrantServesUncredentialed: true,
    redirectedPreflightOrigin: "null",
    laxCookiesFromOpaqueOrigin: false,
    maxAgeSeconds: chromiumMaxAgeSeconds,
  },
  firefox: {
    ruleset: "firefox",
    label: "Firefox",
    source: "Firefox 153 ESR (Debian firefox-esr), measured",
    wildcardCoversAuthorization: true,
    standardAuthorizationSwitch:
      "the pref network.cors_preflight.authorization_covered_by_wildcard=false",
    preflightCache: {
      default: ALWAYS,
      "force-cache": ALWAYS,
      "no-cache": ALWAYS,
      "no-store": BYPASS_AND_STORE,
      reload: BYPASS_AND_STORE,
    },
    cacheUpdate: "merge",
    credentialedGrantServesUncredentialed: false,
    redirectedPreflightOrigin: "page",
    laxCookiesFromOpaqueOrigin: false,
    maxAgeSeconds: firefoxMaxAgeSeconds,
  },
  webkit: {
    ruleset: "webkit",
    label: "WebKit",
    source: "WebKitGTK 2.50 (Debian MiniBrowser), measured",
    wildcardCoversAuthorization: true,
    standardAuthorizationSwitch: null, // none found
    preflightCache: uniform(ALWAYS),
    cacheUpdate: "replace",
    credentialedGrantServesUncredentialed: true,
    redirectedPreflightOrigin: "null",
    laxCookiesFromOpaqueOrigin: true,
    maxAgeSeconds: webkitMaxAgeSeconds,
  },
};

/** The profile for `ruleset` (the Fetch standard when omitted). */
export function engineProfile(ruleset: Ruleset = "standard"): EngineProfile {
  return ENGINE_PROFILES[ruleset];
}

export function isEngine(value: string): value is Engine {
  return (ENGINES as readonly string[]).includes(value);
}

export function isFetchCacheMode(value: string): value is FetchCacheMode {
  return (FETCH_CACHE_MODES as readonly string[]).includes(value);
}
