/**
 * Fetch §CORS-preflight cache, with each engine's departures (engines.ts): how a request in a
 * given cache mode reuses and stores grants, whether a new result merges or replaces, and which
 * credentials modes a grant serves. One instance is one browser session's cache.
 */
import { NON_WILDCARD_REQUEST_HEADERS } from "@edge-cors/core/spec";
import { asciiLower } from "./bytes.ts";
import { engineProfile, type PreflightCacheMode, type Ruleset } from "./engines.ts";
import { isSafelistedMethod } from "./safelist.ts";

/** What a request looks like to the cache. */
export interface PreflightCacheQuery {
  /** The byte-serialized origin the preflight carries. */
  origin: string;
  /** The request's current URL, without fragment. */
  url: string;
  include: boolean;
  method: string;
  /** CORS-unsafe request-header names (lower-case). */
  unsafeNames: string[];
  forcePreflight: boolean;
  cache: PreflightCacheMode;
}

/** What a successful preflight granted. */
export interface PreflightGrant {
  /** Access-Control-Allow-Methods items (case kept). */
  methods: string[];
  /** Access-Control-Allow-Headers items (lower-case). */
  headers: string[];
  /** How long the ruleset keeps it (its own reading of Access-Control-Max-Age). */
  seconds: number;
}

interface Entry {
  origin: string;
  url: string;
  credentials: boolean;
  method: string | null;
  header: string | null;
  expiresAt: number;
}

export class PreflightCache {
  readonly ruleset: Ruleset;
  readonly #now: () => number;
  #entries: Entry[] = [];

  /** `now` returns milliseconds; pass a virtual clock to model waits without waiting. */
  constructor(ruleset: Ruleset = "standard", now: () => number = Date.now) {
    this.ruleset = ruleset;
    this.#now = now;
  }

  /** Live entries (one per method or header name granted). */
  get size(): number {
    this.#expire();
    return this.#entries.length;
  }

  #expire(): void {
    const now = this.#now();
    this.#entries = this.#entries.filter((e) => now < e.expiresAt);
  }

  /** Fetch §cache entry match (origin, URL, credentials), as this ruleset keys it. */
  #matches(e: Entry, q: PreflightCacheQuery): boolean {
    if (e.origin !== q.origin || e.url !== q.url) return false;
    const profile = engineProfile(this.ruleset);
    if (profile.credentialedGrantServesUncredentialed) return e.credentials || !q.include;
    return e.credentials === q.include;
  }

  /**
   * True when cached grants make the preflight unnecessary (Fetch §HTTP fetch step 4.1.1), and
   * this request's cache mode lets the ruleset look. A `*` grant never serves a credentialed
   * request: engines check that, the standard's cache-match text omits it.
   */
  covers(q: PreflightCacheQuery): boolean {
    const profile = engineProfile(this.ruleset);
    if (!profile.preflightCache[q.cache].reuse) return false;
    this.#expire();
    const live = this.#entries.filter((e) => this.#matches(e, q));
    const methodOk =
      (isSafelistedMethod(q.method) && !q.forcePreflight) ||
      live.some((e) => e.method === q.method || (e.method === "*" && !q.include));
    if (!methodOk) return false;
    return q.unsafeNames.every((name) =>
      live.some(
        (e) =>
          e.header === name ||
          (e.header === "*" &&
            !q.include &&
            (!NON_WILDCARD_REQUEST_HEADERS.has(name) || profile.wildcardCoversAuthorization)),
      ),
    );
  }

  /** Stores a successful preflight's grant, if this request's cache mode stores at all. */
  store(q: PreflightCacheQuery, grant: PreflightGrant): void {
    const profile = engineProfile(this.ruleset);
    if (!profile.preflightCache[q.cache].store) return;
    this.#expire();
    const expiresAt = this.#now() + grant.seconds * 1000;
    if (profile.cacheUpdate === "replace") this.clear(q.origin, q.url);
    const add = (method: string | null, header: string | null) => {
      const same = this.#entries.find(
        (e) =>
          this.#matches(e, q) &&
          e.credentials === q.include &&
          e.method === method &&
          e.header === header,
      );
      if (same !== undefined) same.expiresAt = expiresAt;
      else {
        this.#entries.push({
          origin: q.origin,
          url: q.url,
          credentials: q.include,
          method,
          header,
          expiresAt,
        });
      }
    };
    for (const m of grant.methods) add(m, null);
    for (const h of grant.headers) add(null, asciiLower(h));
  }

  /** Fetch §clear cache entries: after a failed CORS request, and before a replacing store. */
  clear(origin: string, url: string): void {
    this.#entries = this.#entries.filter((e) => e.origin !== origin || e.url !== url);
  }
}
