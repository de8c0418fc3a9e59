/**
 * H1 (red team): routes were matched on the raw path, so `/%61dmin/users` got the top level's
 * credentialed grant from an app that serves it as `/admin/users`. The property that closes
 * the whole class: for any spelling of a path, the grant edge-cors gives is never more
 * permissive than what the policy grants for the path each plausible server actually routes.
 *
 * The servers are modelled independently of the core's path code: a real Hono app's router,
 * the WHATWG URL parser, Python's `http.server` (unquote, then `posixpath.normpath`), a
 * case-insensitive server (IIS) and a Servlet container that strips `;params` (Tomcat).
 */
import { publicSuffixes } from "@edge-cors/public-suffix";
import fc from "fast-check";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type CorsPolicy, createCors } from "../src/index.ts";

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
  ],
};
const ROUTE_PATHS = ["/admin/*", "/public/*", "/internal"];

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

/** Python's urllib.parse.unquote (UTF-8, errors replaced) + posixpath.normpath. */
function pythonHttpServer(url: string): string | null {
  const raw = url.slice(BASE.length).split(/[?#]/)[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    decoded = raw.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
  const parts: string[] = [];
  for (const part of decoded.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return routeOf(`/${parts.join("/")}`);
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

type Server = (url: string) => (string | null) | Promise<string | null>;
const SERVERS: Array<[string, Server]> = [
  ["Hono's router", honoRouter],
  ["WHATWG URL", whatwg],
  ["decode-then-normalise (Python http.server)", pythonHttpServer],
  ["case-insensitive (IIS)", caseInsensitive],
  [";-stripping (Tomcat)", servlet],
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
  it("random spellings × five server models", async () => {
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
