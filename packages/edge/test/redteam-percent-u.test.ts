/**
 * Red team (pass 2): IIS's `%uNNNN` escapes, a path reading nothing models.
 *
 * Http.sys, the HTTP stack under IIS, decodes `%uNNNN` in request URLs by default
 * (`PercentUAllowed`, default 1: "If nonzero, Http.sys accepts the %uNNNN notation in request
 * URLs", Microsoft KB 820129 "Http.sys registry settings for Windows"), then canonicalises the
 * path (dot segments, `\`) and compares it case-insensitively. edge-cors treats `%u` as a
 * malformed escape and leaves it alone in every reading, in `canonicalPath` and in
 * `forwardingProblem`, so:
 *
 * 1. `/%u0061dmin/users` has one reading, the top level, and gets its credentialed grant,
 *    while IIS serves `/admin/users` (the route that trusts APP only);
 * 2. the edge layer forwards `/%u002e%u002e/secret` below `UPSTREAM_URL`'s prefix unchanged,
 *    and an IIS upstream reads it as `/v1/../secret` = `/secret`: out of the prefix.
 *
 * FAILS on the code at the time of writing.
 * Run: npx vitest run --project edge packages/edge/test/redteam-percent-u.test.ts
 */
import { createCors } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import { describe, expect, it } from "vitest";
import { forwardTarget, isRefusal } from "../src/forward-target.ts";
import { createEdgeLayer } from "../src/layer.ts";

const APP = "https://app.example.com";
const PARTNER = "https://partner.example.net";
const POLICY = {
  allowOrigins: [APP, PARTNER],
  allowCredentials: true,
  allowMethods: ["PUT"],
  routes: [{ path: "/admin/*", allowOrigins: [APP] }],
};

/** Http.sys with defaults: %uNNNN and %XX decoded, `\` is `/`, dot segments removed, lower-cased. */
function httpSysPath(raw: string): string {
  const decoded = raw
    .replace(/%u([0-9a-fA-F]{4})/g, (_m, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    )
    .replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    )
    .replace(/\\/g, "/");
  const out: string[] = [];
  for (const segment of decoded.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  return `/${out.join("/")}`.toLowerCase();
}

describe("red team: %uNNNN spellings of a route", () => {
  it.each(["/%u0061dmin/users", "/adm%u0069n/users", "/%u0041DMIN/users"])(
    "%s is /admin/users to IIS: PARTNER gets no grant",
    async (path) => {
      expect(httpSysPath(path)).toBe("/admin/users");
      const cors = createCors(POLICY, { publicSuffixes });
      const res = await cors.handle(
        new Request(`https://api.example.com${path}`, {
          method: "OPTIONS",
          headers: { origin: PARTNER, "access-control-request-method": "PUT" },
        }),
        () => new Response(null),
      );
      // Observed: 204, Access-Control-Allow-Origin: https://partner.example.net, credentials.
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    },
  );
});

describe("red team: %uNNNN dot segments leave UPSTREAM_URL's prefix on an IIS upstream", () => {
  const UPSTREAM = new URL("http://upstream.test/v1");

  it.each([
    "/%u002e%u002e/secret",
    "/%u002e./secret",
    "/x/%u002e%u002e%u002f%u002e%u002e/secret",
    "/..%u005csecret",
  ])("%s is refused (400 path_not_forwardable), not forwarded", async (path) => {
    const t = forwardTarget(new Request(`https://edge.example${path}`), UPSTREAM);
    if (!isRefusal(t)) {
      // What the IIS upstream serves for the URL the layer sends it.
      const served = httpSysPath(new URL(t.upstreamUrl).pathname);
      // Observed: forwarded; http.sys reads it as /secret (outside /v1).
      expect(served.startsWith("/v1/") || served === "/v1").toBe(true);
    }

    // The same through the real layer, with a recording fetch.
    const seen: string[] = [];
    const layer = createEdgeLayer({
      policy: POLICY,
      upstream: UPSTREAM.href,
      fetch: async (r) => {
        seen.push(r.url);
        return new Response("secret");
      },
    });
    const res = await layer(
      new Request(`https://edge.example${path}`, { headers: { origin: APP } }),
    );
    expect(
      seen.map((u) => httpSysPath(new URL(u).pathname)).filter((p) => !p.startsWith("/v1")),
    ).toEqual([]);
    expect(res.status).toBe(400);
  });
});
