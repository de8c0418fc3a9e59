/**
 * The edge-cors policy: one JSON-serializable object that drives the Cloudflare Worker, the
 * Deno layer, Lambda@Edge, the CloudFront Function, the Hono middleware and the CLI alike.
 *
 * Every option is named after the response header it drives. Validation runs once, when the
 * policy is compiled (`createCors`, `loadCors`); an invalid or insecure policy fails with a
 * `CorsConfigError` that lists every problem, each with a stable `code`
 * (docs/policy-issues.md).
 *
 * The protocol this implements is the CORS protocol of the WHATWG Fetch standard,
 * https://fetch.spec.whatwg.org/#http-cors-protocol.
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
 * `allowOrigins` → `Access-Control-Allow-Origin`
 * (https://fetch.spec.whatwg.org/#http-access-control-allow-origin);
 * `allowCredentials` → `Access-Control-Allow-Credentials`
 * (https://fetch.spec.whatwg.org/#http-access-control-allow-credentials).
 *
 * `"*"` together with `allowCredentials: true` is a type error here and a validation error at
 * run time: browsers refuse the combination (https://fetch.spec.whatwg.org/#cors-check), and
 * peers that "fix" it by reflecting any Origin hand every website your users' sessions.
 */
export type OriginGrant =
  | {
      /**
       * Every origin, without credentials: `Access-Control-Allow-Origin: *` on every response,
       * without `Vary: Origin` (the response does not depend on Origin,
       * https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches).
       */
      allowOrigins: "*";
      allowCredentials?: false;
    }
  | {
      /**
       * The origins allowed to read responses.
       *
       * Each entry is one of
       * - an exact serialized origin (https://html.spec.whatwg.org/#ascii-serialisation-of-an-origin):
       *   `"https://app.example.com"`, `"http://localhost:5173"`, `"http://[::1]:8080"`.
       *   Lower-case, no path, no trailing `/`, no default port (`:443` for https, `:80` for
       *   http), Punycode for IDNs: exactly what a browser sends in `Origin`
       *   (https://fetch.spec.whatwg.org/#origin-header). Looked up in O(1);
       * - a subdomain pattern: `"https://*.example.com"` matches one or more labels
       *   (`https://a.example.com`, `https://a.b.example.com`) but never the apex
       *   `https://example.com` (list it separately). A pattern that covers a public suffix
       *   (`https://*.com.mx`, `https://*.github.io`, `https://*.s3.us-east-1.amazonaws.com`,
       *   `https://*.amazonaws.com`, checked against the Public Suffix List,
       *   https://publicsuffix.org) is refused with credentials and warned about without;
       * - a port wildcard: `"http://localhost:*"` matches every port of that host, including
       *   the default one (`http://localhost`) but never port 0. Combines with a subdomain
       *   pattern: `"https://*.example.com:*"`.
       *
       * Never allowed: `"null"` (any sandboxed iframe, `data:` page or cross-origin redirect
       * sends it), `file:` origins, strings a browser never sends. In code (not in JSON) it may
       * also be a predicate; the header then carries the request's own Origin when the
       * predicate returns `true`, never something the predicate computed.
       *
       * The response header is the request's own Origin (byte for byte) when it matches, and
       * every response then carries `Vary: Origin`, allowed or not.
       */
      allowOrigins: readonly string[] | OriginPredicate;
      /**
       * `Access-Control-Allow-Credentials: true` on allowed responses, so browsers send and
       * expose cookies and HTTP authentication (https://fetch.spec.whatwg.org/#cors-protocol-and-credentials).
       * Default `false`. With `true`, `http://` origins other than loopback, and subdomain
       * patterns on public suffixes, are refused.
       */
      allowCredentials?: boolean;
    };

/**
 * Decide whether an Origin is allowed, from code (not JSON). Return `true` to allow: the
 * response then carries the request's own Origin. Runs only on syntactically valid origins
 * (never on `null`, never on oversized values). `context` is what the adapter passes along
 * with the request (Hono: the Context `c`; elsewhere `undefined`).
 *
 * @example `(origin) => origin.endsWith(".internal.example.com") && origin.startsWith("https://")`
 */
export type OriginPredicate = (
  origin: string,
  request: Request,
  context: unknown,
) => boolean | Promise<boolean>;

/** A list of names, or `"*"` (see each option for what `*` means with credentials). */
export type NameList = "*" | readonly string[];

export interface CorsOptions {
  /**
   * `Access-Control-Allow-Methods` (https://fetch.spec.whatwg.org/#http-access-control-allow-methods):
   * the methods a preflight may ask for, beyond the CORS-safelisted `GET`, `HEAD` and `POST`
   * (https://fetch.spec.whatwg.org/#cors-safelisted-method), which never need a grant.
   * Default: none.
   *
   * Browsers upper-case only `DELETE GET HEAD OPTIONS POST PUT`
   * (https://fetch.spec.whatwg.org/#concept-method-normalize); every other method is sent as
   * the script wrote it and compared case-sensitively, so `"PATCH"` does not grant
   * `fetch(url, { method: "patch" })`. The six normalized methods are upper-cased here for
   * you (with a warning). `CONNECT`, `TRACE` and `TRACK` are refused
   * (https://fetch.spec.whatwg.org/#forbidden-method).
   *
   * `"*"` (or a list containing `"*"`): any method. Without credentials the header is `*`;
   * with credentials a browser reads `*` literally, so edge-cors answers with the one
   * method the preflight asked for, after checking it is a valid token.
   *
   * @example ["PUT", "DELETE", "PATCH"]
   */
  allowMethods?: NameList;

  /**
   * `Access-Control-Allow-Headers` (https://fetch.spec.whatwg.org/#http-access-control-allow-headers):
   * the request headers a preflight may ask for, case-insensitive. Default: none
   * (CORS-safelisted headers with safelisted values need no grant,
   * https://fetch.spec.whatwg.org/#cors-safelisted-request-header).
   *
   * `"*"`, or a list containing `"*"`: any header **except `Authorization`**, which Fetch
   * never covers by `*` (https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name)
   * — list it explicitly (`["*", "Authorization"]`). Without credentials the header is `*`
   * (plus `authorization` when listed); with credentials a browser reads `*` literally, so
   * edge-cors answers with the validated names the preflight asked for.
   *
   * `Access-Control-*` names are refused: they are the protocol's own headers, which a
   * script never sets.
   *
   * @example ["Content-Type", "Authorization", "X-Request-Id"]
   */
  allowHeaders?: NameList;

  /**
   * `Access-Control-Expose-Headers` (https://fetch.spec.whatwg.org/#http-access-control-expose-headers):
   * response headers a script may read beyond the safelisted `Cache-Control,
   * Content-Language, Content-Length, Content-Type, Expires, Last-Modified, Pragma`
   * (https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name). Default: none.
   * `Set-Cookie` is refused (https://fetch.spec.whatwg.org/#forbidden-response-header-name),
   * and so are `Access-Control-*` names. `"*"` exposes every header, and is refused with
   * credentials (browsers would read it as a header literally named `*`).
   *
   * @example ["ETag", "X-Request-Id"]
   */
  exposeHeaders?: NameList;

  /**
   * `Access-Control-Allow-Private-Network: true` on preflights that carry
   * `Access-Control-Request-Private-Network: true` (the legacy Private Network Access draft,
   * https://wicg.github.io/private-network-access/, superseded by Local Network Access, which
   * needs no server opt-in). Default `false`.
   */
  allowPrivateNetwork?: boolean;

  /**
   * `Access-Control-Max-Age` (https://fetch.spec.whatwg.org/#http-access-control-max-age):
   * how long a browser may cache the preflight result
   * (https://fetch.spec.whatwg.org/#cors-preflight-cache). Seconds (`600`) or a duration
   * (`"30s"`, `"10m"`, `"2h"`, `"1d"`), 0 to 86400.
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
   * `/public`, `/public/` and everything below), or `*`. Paths are written as servers read
   * them: no `%`-escapes, `;`, `\`, dot segments or `//`.
   *
   * Routes are matched on every plausible reading of the request path — as sent, after WHATWG
   * URL parsing, percent-decoded once or twice, with `;params` stripped, case-folded (see
   * `pathCase`) — because the app behind edge-cors may read it any of these ways. When the
   * readings select different routes (`/%61dmin/users`, `//admin/users`, `/admin;x/users`
   * next to a route `/admin/*`) the request is ambiguous and refused: a refused preflight,
   * no grant on the response. The edge layer forwards the canonical path it matched.
   *
   * @example [{ "path": "/public/*", "allowOrigins": "*", "allowCredentials": false, "maxAge": "1d" }]
   */
  routes?: readonly RoutePolicy[];

  /**
   * How the app behind edge-cors compares paths when it routes: `"sensitive"` (most
   * frameworks) or `"insensitive"` (IIS, some Windows and .NET servers). Unset (default): not
   * known, so a path whose case-folded reading selects a different route than its own
   * (`/ADMIN/users` next to a route `/admin/*`) is refused as ambiguous. With `"insensitive"`
   * routes are matched on the case-folded path only.
   */
  pathCase?: "sensitive" | "insensitive";

  /**
   * Browsers send `Origin` on WebSocket handshakes, but no CORS check protects a WebSocket:
   * any page can open one to your API with the user's cookies (cross-site WebSocket
   * hijacking, https://datatracker.ietf.org/doc/html/rfc6455#section-10.2). With this on
   * (default), a real handshake (GET with `Connection: upgrade`, `Upgrade: websocket`,
   * `Sec-WebSocket-Key`, `Sec-WebSocket-Version`) whose Origin `allowOrigins` does not allow
   * is refused with 403 before it reaches the app; allowed ones and handshakes without Origin
   * (non-browser clients) pass untouched. `false` passes every handshake on.
   */
  checkWebSocketOrigin?: boolean;

  /**
   * `"enforce"` (default) answers preflights and sets headers. `"report"` computes the same
   * decision, hands it to `onDecision` (and the edge layers' decision log), and leaves
   * requests and responses untouched (preflights go to the app/upstream): for rolling
   * edge-cors out in front of a live API.
   */
  mode?: "enforce" | "report";

  /** Called with every decision (both modes). Code only; must not throw. */
  onDecision?: (decision: Decision) => void;

  /**
   * `X-Cors-Decision: <kind>; <allowed|refused>; <reason>` on every response edge-cors answers
   * or decorates (with `Vary: Origin`, since the reason names the origin). Off by default: it
   * tells an attacker which origins you trust.
   */
  decisionHeader?: boolean;
}

/** A per-path override: any top-level option except `routes`, `mode`, `onDecision`, `pathCase`. */
export type RoutePolicy = {
  /** `/exact`, `/prefix/*` or `*`. */
  path: string;
  allowOrigins?: "*" | readonly string[] | OriginPredicate;
  allowCredentials?: boolean;
} & Omit<CorsOptions, "routes" | "mode" | "onDecision" | "pathCase">;

/** What kind of request the Fetch standard says this is. */
export type RequestKind =
  /** `OPTIONS` with `Origin` and `Access-Control-Request-Method`: answered by edge-cors. */
  | "preflight"
  /** Any other request with an `Origin` header: passed on, then decorated. */
  | "actual"
  /** A WebSocket handshake with `Origin`: refused (403) or passed on untouched. */
  | "websocket"
  /**
   * `OPTIONS` without `Access-Control-Request-Method` (WebDAV, API discovery, or a script's own
   * OPTIONS after its preflight): passed on, and decorated like an actual request.
   */
  | "plain-options"
  /** No `Origin` header: passed on, gets `Vary: Origin` where the policy depends on it. */
  | "not-cors";

/** Why a request got no grant (stable codes; `explain` puts them into words). */
export type RefusalCode =
  | "origin-not-allowed"
  | "origin-null"
  | "origin-too-long"
  | "method-not-allowed"
  | "header-not-allowed"
  | "authorization-not-covered"
  | "headers-malformed"
  | "path-ambiguous";

/** A decision, as data: what `explain()` returns and `onDecision` receives. */
export interface Decision {
  kind: RequestKind;
  /** Whether the CORS grant was given (for `not-cors` and `plain-options`: always `false`). */
  allowed: boolean;
  /** The request's Origin header, or `null`. */
  origin: string | null;
  /** The request method; for a preflight, the method it asks for (`Access-Control-Request-Method`). */
  method: string;
  /** The path the routes were matched on (as sent, without the query). */
  path: string;
  /** The `routes[].path` that matched, or `null` for the top-level policy. */
  route: string | null;
  /** Why nothing was granted, with the method or header name that caused it; `null` otherwise. */
  refusal: { code: RefusalCode; name: string | null } | null;
  /** The decision in one sentence. */
  reason: string;
  /** What to change in the policy (or the request) to get the grant; `null` when nothing would. */
  fix: string | null;
  /** `reason`, then the details: what happens to the request, what browsers cache. */
  reasons: string[];
  /** Headers edge-cors sets on the response (lower-case names). */
  headers: Record<string, string>;
  /** For preflights and refused handshakes: the status edge-cors answers with (204, 403). */
  status?: number;
  /** For allowed preflights: how long each engine caches the result, in seconds. */
  preflightCache?: { maxAge: number | null; chromium: number; firefox: number; webkit: number };
  mode: "enforce" | "report";
}
