/**
 * H1 (red team): routes were matched on the raw path, so `/%61dmin/users` got the top level's
 * credentialed grant from an app that serves it as `/admin/users`. The property that closes
 * the whole class: for any spelling of a path, the grant edge-cors gives is never more
 * permissive than what the policy grants for the path each plausible server actually routes.
 *
 * The servers are modelled independently of the core's path code: a real Hono app's router,
 * the WHATWG URL parser, Python's `http.server` (unquote, then `posixpath.normpath`), a
 * case-insensitive server (IIS), a Servlet container that strips `;params` (Tomcat), a decoding
 * proxy in front of a decoding app (decoded twice), a C-string server that ends the path at a
 * decoded NUL, a Windows server for which a decoded `\` separates segments, and servers that
 * drop a trailing slash (Express) or a format suffix (Rails `(.:format)`, Spring's `.*`), and a
 * server that strips `;params` after decoding (`%3b` too). Removing any reading the core takes
 * fails this test, except readings another one implies for these routes (a mutation run:
 * `decodeURI`'s and WHATWG's forms are implied by the decoded ones, a kept `\` by the raw path).
 */
import { publicSuffixes } from "@edge-cors/public-suffix";
import fc from "fast-check";
import FindMyWay from "find-my-way";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { springTrimTokens as trimmedByJava } from "../../edge/test/support/path-readings.ts";
import { type CorsPolicy, createCors } from "../src/index.ts";
import { newSink } from "../src/issues.ts";
import type { PathCase } from "../src/paths.ts";
import { compilePathPattern, patternsFold, routeByReadings, selectRoute } from "../src/routes.ts";

const APP = "https://app.example.com";
const PARTNER = "https://partner.example.net";
const BASE = "https://api.example.com";

/** Routes where the grant shrinks, grows and changes: the policy's meaning depends on the route. */
const POLICY: CorsPolicy = {
  allowOrigins: [APP, PARTNER],
  allowCredentials: true,
  allowMethods: ["PUT", "DELETE"],
  routes: [
    { path: "/admin/*", allowOrigins: [APP] },
    { path: "/public/*", allowOrigins: "*", allowCredentials: false },
    { path: "/internal", allowOrigins: [APP], allowMethods: [] },
    { path: "/keys/*", allowOrigins: [APP] },
  ],
};
const ROUTE_PATHS = ["/admin/*", "/public/*", "/internal", "/keys/*"];

/** What each route grants, decided on a clean path by a policy without routes. */
const grantOfRoute = new Map<string | null, ReturnType<typeof createCors>>();
grantOfRoute.set(null, createCors({ ...POLICY, routes: [] } as CorsPolicy, { publicSuffixes }));
for (const route of POLICY.routes!) {
  const { path: _path, ...overrides } = route;
  grantOfRoute.set(
    route.path,
    createCors({ ...POLICY, ...overrides, routes: [] } as CorsPolicy, { publicSuffixes }),
  );
}

/** Our matcher's meaning of a route pattern, on a path a server settled on. */
function routeOf(path: string): string | null {
  for (const pattern of ROUTE_PATHS) {
    if (pattern.endsWith("/*")) {
      const prefix = pattern.slice(0, -2);
      if (path === prefix || path.startsWith(`${prefix}/`)) return pattern;
    } else if (path === pattern) return pattern;
  }
  return null;
}

/** The path of a URL the test built, before any decoding. */
function rawPath(url: string): string {
  return url.slice(BASE.length).split(/[?#]/)[0]!;
}

/** urllib.parse.unquote: UTF-8, and byte by byte where that fails. */
function unquote(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
}

/** posixpath.normpath: empty and `.` segments dropped, `..` pops, no trailing slash. */
function normpath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** Python's urllib.parse.unquote (UTF-8, errors replaced) + posixpath.normpath. */
function pythonHttpServer(url: string): string | null {
  return routeOf(normpath(unquote(rawPath(url))));
}

/** A proxy that decodes the path before an app that decodes it again (`%2561` → `a`). */
function decodedTwice(url: string): string | null {
  return routeOf(normpath(unquote(unquote(rawPath(url)))));
}

/** A C-string server: a decoded NUL ends the path. */
function nulTerminated(url: string): string | null {
  const decoded = unquote(rawPath(url));
  const nul = decoded.indexOf("\0");
  return routeOf(normpath(nul < 0 ? decoded : decoded.slice(0, nul)));
}

/** A Windows server: a decoded `\` separates segments like `/`. */
function backslashSeparates(url: string): string | null {
  return routeOf(normpath(unquote(rawPath(url)).replaceAll("\\", "/")));
}

/** Express without strict routing: `/admin/` is `/admin` (dot segments resolved by WHATWG URL). */
function trailingSlashDropped(url: string): string | null {
  const path = new URL(url).pathname;
  return routeOf(path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path);
}

/**
 * Rails' `(.:format)` after `normalize_path` drops trailing slashes (and Django REST
 * framework's `\.(?P<format>…)/?$`): `/internal.json` and `/internal.json/` are `/internal`.
 */
function formatSuffixDropped(url: string): string | null {
  const path = new URL(url).pathname.replace(/(.)\/+$/, "$1");
  const dot = path.lastIndexOf(".");
  return routeOf(dot > path.lastIndexOf("/") + 1 ? path.slice(0, dot) : path);
}

/** Spring MVC's suffix pattern matching: `/internal` also serves `/internal.*`. */
function suffixPatternMatched(url: string): string | null {
  const path = new URL(url).pathname;
  const dot = path.indexOf(".", path.lastIndexOf("/") + 2);
  return routeOf(dot < 0 ? path : path.slice(0, dot));
}

/** A server that decodes first, then strips `;params` from each segment. */
function decodedThenStripped(url: string): string | null {
  const decoded = unquote(rawPath(url));
  return routeOf(
    normpath(
      decoded
        .split("/")
        .map((segment) => segment.split(";")[0]!)
        .join("/"),
    ),
  );
}

function whatwg(url: string): string | null {
  return routeOf(new URL(url).pathname);
}

function caseInsensitive(url: string): string | null {
  return routeOf(new URL(url).pathname.toLowerCase());
}

/** Tomcat: `;params` stripped from each segment, then dot segments resolved. */
function servlet(url: string): string | null {
  const stripped = new URL(url).pathname
    .split("/")
    .map((segment) => segment.split(";")[0]!)
    .join("/");
  return routeOf(new URL(`${BASE}${stripped}`).pathname);
}

/** A real Hono app with the same routes, each answering with its name. */
const hono = new Hono();
for (const pattern of ROUTE_PATHS) hono.all(pattern, (c) => c.text(pattern));
hono.all("*", (c) => c.text("top"));
async function honoRouter(url: string): Promise<string | null> {
  const served = await (await hono.request(url)).text();
  return served === "top" ? null : served;
}

/**
 * Fastify's router (find-my-way), once with `caseSensitive: false` (it decodes the path as UTF-8,
 * then lower-cases it: `\u212A` is `k`) and once with `useSemicolonDelimiter: true` (everything
 * from the first `;` on is the query: `/internal;/x` is `/internal`). `undefined` when it serves
 * nothing (a malformed path is its 400).
 */
function findMyWay(
  // find-my-way reads useSemicolonDelimiter (index.js), its Config type does not list it.
  options: FindMyWay.Config<FindMyWay.HTTPVersion.V1> & { useSemicolonDelimiter?: boolean },
): Server {
  const router = FindMyWay(options);
  for (const pattern of ROUTE_PATHS) {
    const store = { route: pattern };
    if (pattern.endsWith("/*")) router.on("GET", pattern.slice(0, -2), () => {}, store);
    router.on("GET", pattern, () => {}, store);
  }
  router.on("GET", "*", () => {}, { route: null });
  return (url) => {
    try {
      const found = router.find("GET", rawPath(url));
      return found === null ? undefined : (found.store as { route: string | null }).route;
    } catch {
      return undefined;
    }
  };
}

/**
 * Java's `equalsIgnoreCase` (and Spring's case-insensitive matching): each character compared
 * through Java's simple case mappings, under which `\u0130` (İ) lower-cases to `i` (JavaScript's
 * full mapping makes it `i\u0307`).
 */
function javaIgnoreCase(url: string): string | null {
  const path = normpath(unquote(rawPath(url)));
  return routeOf(
    [...path].map((char) => (char === "\u0130" ? "i" : char.toUpperCase().toLowerCase())).join(""),
  );
}

/** Spring's AntPathMatcher with `trimTokens` (the default before 4.3): Java's trim() per segment. */
function springTrimTokens(url: string): string | null {
  return routeOf(trimmedByJava(rawPath(url)));
}

/**
 * Windows (IIS on NTFS): decoded, `\\` separates, trailing dots and spaces of a segment dropped
 * (`/admin./x` and `/admin%20/x` are `/admin/x`), compared case-insensitively.
 */
function windows(url: string): string | null {
  const segments = unquote(rawPath(url))
    .replaceAll("\\", "/")
    .split("/")
    .map((segment) => {
      const trimmed = segment.replace(/ +$/, "");
      if (/^\.+$/.test(trimmed)) return trimmed.length <= 2 ? trimmed : ".";
      return trimmed.replace(/[. ]+$/, "");
    });
  return routeOf(normpath(segments.join("/")).toLowerCase());
}

/**
 * Tomcat, then Spring's AntPathMatcher with `trimTokens`: `;params` stripped from the raw
 * segments, decoded, then each segment trimmed (`/;/admin%20;/x` is `/admin/x`).
 */
function tomcatThenTrim(url: string): string | null {
  const stripped = rawPath(url)
    .split("/")
    .map((segment) => segment.split(";")[0]!)
    .join("/");
  return routeOf(trimmedByJava(stripped));
}

/**
 * A Node app that parses `req.url` with `new URL(req.url, base)`: a path starting with `//`
 * (or `/\\`) is scheme-relative, so `//internal/admin/x` has the host `internal` and the path
 * `/admin/x`.
 */
function nodeUrlWithBase(url: string): string | null | undefined {
  try {
    return routeOf(new URL(rawPath(url), "http://base.invalid").pathname);
  } catch {
    return undefined;
  }
}

/** A decoding proxy before a server that ends the path at `?` or `#` (`%3F` → `?`). */
function decodedThenDelimited(url: string): string | null {
  const decoded = unquote(rawPath(url));
  const end = decoded.search(/[?#]/);
  return routeOf(normpath(end < 0 ? decoded : decoded.slice(0, end)));
}

/** A server's route for a URL; `undefined` when it serves nothing there. */
type Server = (url: string) => (string | null | undefined) | Promise<string | null | undefined>;
const SERVERS: Array<[string, Server]> = [
  ["Hono's router", honoRouter],
  ["WHATWG URL", whatwg],
  ["decode-then-normalise (Python http.server)", pythonHttpServer],
  ["case-insensitive (IIS)", caseInsensitive],
  [";-stripping (Tomcat)", servlet],
  ["decoded twice (a decoding proxy, then the app)", decodedTwice],
  ["NUL-terminated (C strings)", nulTerminated],
  ["decoded \\ separates (Windows)", backslashSeparates],
  ["trailing slash dropped (Express)", trailingSlashDropped],
  ["format suffix dropped (Rails)", formatSuffixDropped],
  ["suffix pattern matched (Spring MVC)", suffixPatternMatched],
  ["decoded, then ;-stripped", decodedThenStripped],
  ["Fastify's router, case-insensitive", findMyWay({ caseSensitive: false })],
  ["Fastify's router, ; ends the path", findMyWay({ useSemicolonDelimiter: true })],
  ["Java equalsIgnoreCase", javaIgnoreCase],
  ["decoded, then ? or # ends the path", decodedThenDelimited],
  ["Windows (IIS): trailing dots and spaces dropped", windows],
  ["Spring trimTokens: segments trimmed", springTrimTokens],
  ["Tomcat, then Spring trimTokens", tomcatThenTrim],
  ["Node: new URL(req.url, base)", nodeUrlWithBase],
];

const PIECES = [
  "/",
  "//",
  "admin",
  "Admin",
  "ADMIN",
  "%61dmin",
  "%41dmin",
  "%2561dmin",
  "public",
  "%70ublic",
  "internal",
  "users",
  ".",
  "..",
  "%2e",
  "%2e%2e",
  "%2f",
  "%2F",
  "%5c",
  "\\",
  ";",
  ";x=1",
  "%3b",
  "%00",
  "a",
  "-",
  ".json",
  ".a",
  "keys",
  "%E2%84%AAeys",
  "\u212Aeys",
  "key%C5%BF",
  "adm%C4%B1n",
  "%E2%84%AA",
  "%C5%BF",
  "%3F",
  "%23",
  ";/",
  "admin.",
  "adm%C4%B0n",
  "%C4%B0nternal",
  ".json/",
  "/admin",
  "/internal",
  "%20;",
  "%09",
  "%0D",
  "admin%20",
  "%20",
  ". ",
  "%255c",
  "%252f",
];
const pathArb = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 })
  .map((pieces) => `/${pieces.join("")}`);
const originArb = fc.constantFrom(APP, PARTNER, "https://evil.example");
const requestArb = fc.record({
  path: pathArb,
  origin: originArb,
  preflight: fc.boolean(),
  method: fc.constantFrom("PUT", "DELETE", "GET"),
});

/** Is `given` (a decision's headers) more permissive than `allowed` (the route's)? */
function morePermissive(given: Headers, allowed: Record<string, string>): string | null {
  const acao = given.get("access-control-allow-origin");
  if (acao !== null && allowed["access-control-allow-origin"] === undefined)
    return `granted ${acao}, the route grants nothing`;
  if (
    given.get("access-control-allow-credentials") === "true" &&
    allowed["access-control-allow-credentials"] !== "true"
  )
    return "granted credentials the route does not";
  const methods = given.get("access-control-allow-methods");
  if (methods !== null && methods !== allowed["access-control-allow-methods"])
    return `granted methods ${methods}, the route ${allowed["access-control-allow-methods"]}`;
  return null;
}

const cors = createCors(POLICY, { publicSuffixes });

describe("routes: no spelling of a path gets more than the route its server serves (H1)", () => {
  it("random spellings × twenty server models", async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async ({ path, origin, preflight, method }) => {
        const headers: Record<string, string> = { origin };
        if (preflight) headers["access-control-request-method"] = method;
        const url = `${BASE}${path}`;
        let request: Request;
        try {
          request = new Request(url, { method: preflight ? "OPTIONS" : "GET", headers });
        } catch {
          return; // a URL no client can send
        }
        const response = await cors.handle(request, () => new Response("app"));
        for (const [name, server] of SERVERS) {
          const route = await server(request.url);
          if (route === undefined) continue;
          const truth = await grantOfRoute
            .get(route)!
            .explain(new Request(`${BASE}/`, { method: request.method, headers }));
          const problem = morePermissive(response.headers, truth.headers);
          if (problem !== null)
            throw new Error(`${path} (as ${request.url}) to ${name} (route ${route}): ${problem}`);
        }
      }),
      { numRuns: process.env.CI ? 20_000 : 3_000 },
    );
  }, 120_000);

  it.each([
    ["/%61dmin/users", PARTNER],
    ["//admin/users", PARTNER],
    ["/admin%2fusers", PARTNER],
    ["/ADMIN/users", PARTNER],
    ["/admin;x=1/users", PARTNER],
    ["/%2561dmin/users", PARTNER],
  ])("the red team's %s from %s gets no grant", async (path, origin) => {
    const response = await cors.handle(
      new Request(`${BASE}${path}`, { headers: { origin } }),
      () => new Response("admin data"),
    );
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

describe("format suffixes on raw and decoded readings (found by the differential test)", () => {
  it.each([
    // Rails cuts at the last literal dot: `/internal` + `.%2e%2eusers` before decoding.
    "/internal.%2e%2eusers",
    // Spring's `/internal.*` serves anything after the first dot of the segment.
    "/internal.a.b",
  ])("a PUT preflight for %s gets no method the /internal route refuses", async (path) => {
    const response = await cors.handle(
      new Request(`${BASE}${path}`, {
        method: "OPTIONS",
        headers: { origin: APP, "access-control-request-method": "PUT" },
      }),
      () => new Response("app"),
    );
    expect(response.headers.get("access-control-allow-methods")).toBeNull();
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("red team pass 3: Unicode case folding and a ; that ends the path", () => {
  const grantOn = async (path: string, options?: { path: string }) => {
    const response = await cors.handle(
      new Request(`${BASE}${path}`, { headers: { origin: PARTNER } }),
      () => new Response("secret"),
      options,
    );
    return response.headers.get("access-control-allow-origin");
  };
  it.each([
    // Fastify (find-my-way, caseSensitive: false) decodes UTF-8, then lower-cases: K (Kelvin) is k.
    "/%E2%84%AAeys/list",
    // Java's equalsIgnoreCase: dotless ı upper-cases to I; long ſ to S.
    "/adm%C4%B1n/users",
    "/key%C5%BF/list",
    // find-my-way's useSemicolonDelimiter: everything from the first ; on is the query.
    "/internal;/x",
    "/keys;x=1/y",
    // A decoding proxy, then a server that ends the path at ?.
    "/internal%3F/x",
    // Windows (IIS) drops a segment's trailing dots and spaces.
    "/admin./users",
    "/admin%20/users",
    "/keys.%20./list",
    // Red team pass 4: Java lower-cases İ to i; Rails drops the slash, then the format.
    "/adm%C4%B0n/users",
    "/%C4%B0nternal",
    "/internal.json/",
    "/internal.json//",
    // Spring's trimTokens trims every segment (Java's trim(): anything up to a space).
    "/admin%09/x",
    "/%20admin/x",
    "/internal%0A",
    // Red team pass 5: ;params stripped before the trim; a scheme-relative req.url.
    "/;/admin%20;/z",
    "/;x/internal%09;",
    "//internal/admin/x",
    "/\\internal/admin/x",
  ])("%s gets no grant for https://partner.example.net", async (path) => {
    expect(await grantOn(path)).toBeNull();
  });

  it("a literal non-ASCII platform path is never taken as plain (the fast path skipped folding)", async () => {
    expect(await grantOn("/x", { path: "/\u212Aeys/list" })).toBeNull();
    expect(await grantOn("/x", { path: "/keys/list" })).toBeNull();
    expect(await grantOn("/x", { path: "/caf\u00e9" })).toBe(PARTNER);
    // API Gateway HTTP APIs hand over the path decoded: `/admin%20/x` arrives as `/admin /x`.
    for (const path of ["/admin /x", "/admin\t/x", "/internal ", "/\tadmin/x", "/internal\u000b"])
      expect(await grantOn("/x", { path }), JSON.stringify(path)).toBeNull();
  });
});

/**
 * Red team pass 6: the fast path (a plain path is its only reading) took a decoded platform
 * path holding `?` for plain, so `/internal?x` skipped the reading that ends it at `?`. The
 * class: the fast path must give the slow path's answer for every path it accepts.
 */
describe("the fast path for plain paths answers as every reading does", () => {
  const PLATFORM_PIECES = [...PIECES, "?", "#", " ", "\t", "\u212A", "é", ":", "@", "!", "$"];
  const platformPath = fc
    .array(fc.constantFrom(...PLATFORM_PIECES), { minLength: 1, maxLength: 8 })
    .map((pieces) => `/${pieces.join("")}`);
  const patternSets: Array<[string, string[], PathCase]> = [
    ["lower-case patterns", ["/admin/*", "/internal", "/keys/*"], undefined],
    ["upper-case patterns, pathCase sensitive", ["/Admin/*", "/Internal"], "sensitive"],
    ["pathCase insensitive", ["/admin/*", "/internal"], "insensitive"],
  ];
  it.each(patternSets)("%s", (_name, paths, pathCase) => {
    const sink = newSink();
    const patterns = paths.map((path) => compilePathPattern(path, "p", pathCase, sink)!);
    const fold = patternsFold(patterns, pathCase);
    fc.assert(
      fc.property(platformPath, (path) => {
        expect(selectRoute(patterns, path, pathCase, fold), path).toBe(
          routeByReadings(patterns, path, pathCase, fold),
        );
      }),
      { numRuns: process.env.CI ? 20_000 : 3_000 },
    );
  });

  it.each(["/internal?x", "/internal#x", "/admin?/x", "/admin#/x"])(
    "the platform path %s gets no grant for https://partner.example.net",
    async (path) => {
      const response = await cors.handle(
        new Request(`${BASE}/x`, { headers: { origin: PARTNER } }),
        () => new Response("secret"),
        { path },
      );
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    },
  );
});
