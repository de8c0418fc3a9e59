/**
 * Red team (pass 2): route PATTERNS that defeat the path-reading defence.
 *
 * The first pass closed request-path spellings: every plausible server reading of the
 * *request* path is matched, and disagreement refuses. But only the request side is read
 * several ways; the policy's own route patterns are compared as written. Three pattern
 * spellings that validation accepts are therefore matched differently from how the server
 * behind edge-cors routes them, and the route's stricter rules are bypassed with the most
 * ordinary spelling of the path:
 *
 * 1. an upper-case pattern (`/Admin/*`, common with ASP.NET/IIS) under the default
 *    `pathCase` ("not known"): the request `/admin/users` is a "plain" path, matched on its
 *    raw bytes only, so it never meets `/Admin`; a case-insensitive server routes it there;
 * 2. an exact pattern with a trailing slash (`/admin/`): the request `/admin` gets the top
 *    level, while a router without strict routing (Hono `strict: false`, Express's default)
 *    serves the `/admin/` handler;
 * 3. `/admin//*` passes `route-path-not-canonical` (canonicalPath keeps a trailing slash, so
 *    `"/admin/"` is "canonical") although it holds `//`: it matches only `/admin/` and
 *    `/admin//…`, never `/admin/users`, so the route silently protects nothing.
 *
 * Each test FAILS on the code at the time of writing.
 * Run: npx vitest run --project core packages/core/test/redteam-route-patterns.test.ts
 */
import { publicSuffixes } from "@edge-cors/public-suffix";
import { describe, expect, it } from "vitest";
import { type CorsPolicy, createCors, validatePolicy } from "../src/index.ts";

const APP = "https://app.example.com";
const PARTNER = "https://partner.example.net";
const BASE = "https://api.example.com";

/** The top level trusts PARTNER with credentials; the admin route trusts APP only. */
function policy(adminRoute: string): CorsPolicy {
  return {
    allowOrigins: [APP, PARTNER],
    allowCredentials: true,
    allowMethods: ["PUT", "DELETE"],
    routes: [{ path: adminRoute, allowOrigins: [APP] }],
  };
}

async function preflight(p: CorsPolicy, path: string, origin = PARTNER) {
  const cors = createCors(p, { publicSuffixes });
  const res = await cors.handle(
    new Request(`${BASE}${path}`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "PUT" },
    }),
    () => new Response("app"),
  );
  return {
    status: res.status,
    acao: res.headers.get("access-control-allow-origin"),
    credentials: res.headers.get("access-control-allow-credentials"),
  };
}

async function actual(p: CorsPolicy, path: string, origin = PARTNER) {
  const cors = createCors(p, { publicSuffixes });
  const res = await cors.handle(
    new Request(`${BASE}${path}`, { headers: { origin } }),
    () => new Response("admin data"),
  );
  return res.headers.get("access-control-allow-origin");
}

/** IIS-style: the server compares paths ASCII case-insensitively. */
function caseInsensitiveServerRoute(pattern: string, path: string): boolean {
  const prefix = pattern.endsWith("/*") ? pattern.slice(0, -2).toLowerCase() : null;
  const p = path.toLowerCase();
  if (prefix === null) return p === pattern.toLowerCase();
  return p === prefix || p.startsWith(`${prefix}/`);
}

describe("red team: upper-case route patterns under the default pathCase", () => {
  it.each(["/admin/users", "/ADMIN/users", "/aDmIn/users"])(
    "%s is served by /Admin/* on a case-insensitive server, so PARTNER gets no grant",
    async (path) => {
      expect(caseInsensitiveServerRoute("/Admin/*", path)).toBe(true);
      const pre = await preflight(policy("/Admin/*"), path);
      // Observed: 204, Access-Control-Allow-Origin: https://partner.example.net, credentials true.
      expect(pre.acao).toBeNull();
      expect(pre.credentials).toBeNull();
      expect(await actual(policy("/Admin/*"), path)).toBeNull();
    },
  );

  it("the exact spelling is refused, as it should be (control)", async () => {
    expect((await preflight(policy("/Admin/*"), "/Admin/users")).acao).toBeNull();
  });
});

describe("red team: an exact route with a trailing slash", () => {
  it("/admin reaches the /admin/ handler of a non-strict router; PARTNER must get no grant", async () => {
    // Routers without strict routing (Express's default) serve "/admin" from "/admin/".
    // Fixed by refusing the pattern: "/admin" (or "/admin/*") is what to write.
    const { errors } = validatePolicy(policy("/admin/"), { publicSuffixes });
    expect(errors.map((e) => e.code)).toContain("route-path-not-canonical");
    // And the pattern to write instead is not skipped by either spelling.
    expect((await preflight(policy("/admin"), "/admin")).acao).toBeNull();
    expect((await preflight(policy("/admin"), "/admin/")).acao).toBeNull();
  });
});

describe("red team: a route pattern holding '//' passes the canonical check", () => {
  it('"/admin//*" is refused at validation like any other "//" pattern', () => {
    const { errors } = validatePolicy(policy("/admin//*"), { publicSuffixes });
    // Observed: no error at all (only the "//" in the middle, e.g. "/a//b/*", is caught).
    expect(errors.map((e) => e.code)).toContain("route-path-not-canonical");
  });

  it('"//*" is refused at validation as well', () => {
    const { errors } = validatePolicy(policy("//*"), { publicSuffixes });
    expect(errors.map((e) => e.code)).toContain("route-path-not-canonical");
  });

  it("and if accepted, /admin/users must not get the top level's grant", async () => {
    let p: CorsPolicy;
    try {
      p = policy("/admin//*");
      createCors(p, { publicSuffixes });
    } catch {
      return; // refused at validation: fixed
    }
    // Observed: 204 with PARTNER's credentialed grant on /admin/users.
    expect((await preflight(p, "/admin/users")).acao).toBeNull();
  });
});

/**
 * Lower confidence (a framework convention rather than a path reading): Rails routes
 * `/api/users(.:format)` and Spring MVC before 5.3 (suffix pattern matching on by default) serve
 * `/api/users.json` from the `/api/users` handler. Neither an exact route nor `/api/users/*`
 * covers that spelling.
 */
describe("red team: format suffixes on an exact route", () => {
  it.each([
    ["/api/users", "/api/users.json"],
    ["/api/users/*", "/api/users.json"],
  ])("route %s: %s (same handler on Rails/Spring) gets no PARTNER grant", async (route, path) => {
    const pre = await preflight(policy(route), path);
    expect(pre.acao).toBeNull();
  });
});
