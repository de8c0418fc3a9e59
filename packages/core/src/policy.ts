/**
 * The edge-cors policy: one JSON-serializable object that drives the Cloudflare
 * Worker, the Deno layer, Lambda@Edge, the Hono middleware and the CLI alike.
 *
 * Every option is named after the response header it drives. Validation runs
 * once, in `createCors(policy)`; an invalid or insecure policy throws a
 * `CorsConfigError` that lists every problem.
 *
 * @example A credentialed API used by two front ends and preview deployments
 * ```json
 * {
 *   "allowOrigins": ["https://app.example.com", "https://*.preview.example.com"],
 *   "allowMethods": ["PUT", "DELETE", "PATCH"],
 *   "allowHeaders": ["Content-Type", "Authorization"],
 *   "exposeHeaders": ["ETag", "X-Request-Id"],
 *   "allowCredentials": true,
 *   "maxAge": "2h",
 *   "routes": [{ "path": "/public/*", "allowOrigins": "*", "allowCredentials": false, "maxAge": "1d" }]
 * }
 * ```
 */
export type CorsPolicy = OriginGrant & CorsOptions;

/**
 * `allowOrigins` → `Access-Control-Allow-Origin`;
 * `allowCredentials` → `Access-Control-Allow-Credentials`.
 *
 * `"*"` together with `allowCredentials: true` is a type error here and a
 * validation error at run time: browsers refuse the combination, and peers that
 * "fix" it by reflecting any Origin hand every website your users' sessions.
 */
export type OriginGrant =
  | {
      /** Every origin, without credentials: `Access-Control-Allow-Origin: *`, no `Vary: Origin`. */
      allowOrigins: "*";
      allowCredentials?: false;
    }
  | {
      /**
       * The origins allowed to read responses.
       *
       * Each entry is one of
       * - an exact serialized origin: `"https://app.example.com"`, `"http://localhost:5173"`,
       *   `"http://[::1]:8080"`. Lower-case, no path, no trailing `/`, no default port
       *   (`:443` for https, `:80` for http), Punycode for IDNs: exactly what a browser sends.
       *   Looked up in O(1);
       * - a subdomain pattern: `"https://*.example.com"` matches one or more labels
       *   (`https://a.example.com`, `https://a.b.example.com`) but never the apex
       *   `https://example.com` (list it separately). Rejected on public suffixes
       *   (`https://*.com`, `https://*.github.io`) when credentials are on;
       * - a port wildcard: `"http://localhost:*"` matches every port of that host, including
       *   the default one (`http://localhost`). Combines with a subdomain pattern:
       *   `"https://*.example.com:*"`.
       *
       * Never allowed: `"null"` (any sandboxed iframe or `data:` page sends it), `file:` origins,
       * strings a browser never sends. In code (not in JSON) it may also be a predicate; the
       * header then carries the request's own Origin when the predicate returns `true`, never
       * something the predicate computed.
       *
       * The response header is the request's own Origin (byte for byte) when it matches, and
       * every response then carries `Vary: Origin`.
       */
      allowOrigins: readonly string[] | OriginPredicate;
      /**
       * `Access-Control-Allow-Credentials: true` on allowed responses, so browsers send and
       * expose cookies / HTTP auth. Default `false`. With `true`, `http://` origins other than
       * loopback and subdomain patterns on public suffixes are refused.
       */
      allowCredentials?: boolean;
    };

/**
 * Decide whether an Origin is allowed, from code (not JSON). Return `true` to allow: the
 * response then carries the request's own Origin. Runs only on syntactically valid origins
 * (never on `null`, never on oversized values).
 *
 * @example `(origin) => origin.endsWith(".internal.example.com") && origin.startsWith("https://")`
 */
export type OriginPredicate = (origin: string, request: Request) => boolean | Promise<boolean>;

/** A list of names, or `"*"` (see each option for what `*` means with credentials). */
export type NameList = "*" | readonly string[];

export interface CorsOptions {
  /**
   * `Access-Control-Allow-Methods`: the methods a preflight may ask for, beyond the
   * CORS-safelisted `GET`, `HEAD` and `POST` (which never need a grant). Default: none.
   *
   * Browsers upper-case only `DELETE GET HEAD OPTIONS POST PUT`; every other method is sent as
   * the script wrote it and compared case-sensitively, so `"PATCH"` does not grant
   * `fetch(url, { method: "patch" })`. The six normalized methods are upper-cased here for
   * you (with a warning). `CONNECT`, `TRACE` and `TRACK` are refused.
   *
   * `"*"` (or a list containing `"*"`): any method. Without credentials the header is `*`;
   * with credentials a browser reads `*` literally, so edge-cors answers with the one
   * method the preflight asked for, after checking it is a valid token.
   *
   * @example ["PUT", "DELETE", "PATCH"]
   */
  allowMethods?: NameList;

  /**
   * `Access-Control-Allow-Headers`: the request headers a preflight may ask for,
   * case-insensitive. Default: none (CORS-safelisted headers with safelisted values need
   * no grant).
   *
   * `"*"`, or a list containing `"*"`: any header **except `Authorization`**, which Fetch
   * never covers by `*` — list it explicitly (`["*", "Authorization"]`). Without credentials
   * the header is `*` (plus `authorization` when listed); with credentials a browser reads
   * `*` literally, so edge-cors answers with the validated names the preflight asked for.
   *
   * @example ["Content-Type", "Authorization", "X-Request-Id"]
   */
  allowHeaders?: NameList;

  /**
   * `Access-Control-Expose-Headers`: response headers a script may read beyond the
   * safelisted `Cache-Control, Content-Language, Content-Length, Content-Type, Expires,
   * Last-Modified, Pragma`. Default: none. `Set-Cookie` is refused (browsers never expose
   * it). `"*"` exposes every header, and is refused with credentials (browsers would read it
   * as a header literally named `*`).
   *
   * @example ["ETag", "X-Request-Id"]
   */
  exposeHeaders?: NameList;

  /**
   * `Access-Control-Allow-Private-Network: true` on preflights that carry
   * `Access-Control-Request-Private-Network: true` (the legacy Private Network Access
   * draft, superseded by Local Network Access which needs no server opt-in). Default `false`.
   */
  allowPrivateNetwork?: boolean;

  /**
   * `Access-Control-Max-Age`: how long a browser may cache the preflight result.
   * Seconds (`600`) or a duration (`"30s"`, `"10m"`, `"2h"`, `"1d"`), 0 to 86400.
   *
   * - absent: no header, browsers cache for 5 s;
   * - `0`: `Access-Control-Max-Age: 0`, no caching (every request preflights);
   * - above an engine's cap it is accepted with a warning: Chromium caps at 7200 s,
   *   Firefox at 86400 s, WebKit at 600 s. `explain()` reports what each engine caches.
   *
   * @example "2h"
   */
  maxAge?: number | string;

  /**
   * Per-path overrides, first match wins; unmatched paths use the top-level policy.
   * A route inherits every top-level option it does not set, and is validated as a whole.
   * `path` is an exact path (`/health`), a prefix ending in `/*` (`/public/*` matches
   * `/public`, `/public/` and everything below), or `*`.
   *
   * @example [{ "path": "/public/*", "allowOrigins": "*", "allowCredentials": false, "maxAge": "1d" }]
   */
  routes?: readonly RoutePolicy[];

  /**
   * `"enforce"` (default) answers preflights and sets headers. `"report"` computes the same
   * decision, hands it to `onDecision`, and leaves requests and responses untouched
   * (preflights go to the app/upstream): for rolling edge-cors out in front of a live API.
   */
  mode?: "enforce" | "report";

  /** Called with every decision (both modes). Code only; must not throw. */
  onDecision?: (decision: Decision) => void;

  /**
   * Adds `X-Cors-Decision: <kind>; <allowed|denied>; <reason>` to every response it
   * decorates. Off by default: it tells an attacker which origins you trust.
   */
  debug?: boolean;
}

/** A per-path override: any top-level option except `routes` and `mode`. */
export type RoutePolicy = {
  /** `/exact`, `/prefix/*` or `*`. */
  path: string;
  allowOrigins?: "*" | readonly string[] | OriginPredicate;
  allowCredentials?: boolean;
} & Omit<CorsOptions, "routes" | "mode" | "onDecision">;

/** What kind of request the Fetch standard says this is. */
export type RequestKind =
  /** `OPTIONS` with `Origin` and `Access-Control-Request-Method`: answered by edge-cors. */
  | "preflight"
  /** Any request with an `Origin` header that is not a preflight: passed on, then decorated. */
  | "actual"
  /** `OPTIONS` without `Access-Control-Request-Method` (e.g. WebDAV, API discovery): passed on. */
  | "plain-options"
  /** No `Origin` header: passed on, gets `Vary: Origin` where the policy depends on it. */
  | "not-cors";

/** A decision, as data: what `explain()` returns and `onDecision` receives. */
export interface Decision {
  kind: RequestKind;
  /** Whether the CORS grant was given (for `not-cors` and `plain-options`: always `false`). */
  allowed: boolean;
  /** The request's Origin header, or `null`. */
  origin: string | null;
  /** The `routes[].path` that matched, or `null` for the top-level policy. */
  route: string | null;
  /** Plain-word reasons, naming the header or policy entry to change. */
  reasons: string[];
  /** Headers edge-cors sets on the response (lower-case names). */
  headers: Record<string, string>;
  /** For preflights: the status edge-cors answers with (204 allowed, 403 refused). */
  status?: number;
  /** For allowed preflights: how long each engine caches the result, in seconds. */
  preflightCache?: { maxAge: number | null; chromium: number; firefox: number; webkit: number };
  mode: "enforce" | "report";
}
