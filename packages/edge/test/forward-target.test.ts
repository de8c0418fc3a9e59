import { rawPathOf } from "@edge-cors/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forwardTarget, isRefusal } from "../src/forward-target.ts";
import { createEdgeLayer } from "../src/layer.ts";
import {
  DIFFERENTIAL_ORIGINS,
  DIFFERENTIAL_POLICY,
  differentialProblems,
  referencePolicy,
} from "./support/grants.ts";
import { decodeAll, READINGS, routeOf } from "./support/path-readings.ts";
import { CRAFTED_SPELLINGS } from "./support/path-spellings.ts";

const EDGE = "https://edge.example";
const UPSTREAM = new URL("http://upstream.test/v1");

function target(path: string, headers: Record<string, string> = {}) {
  return forwardTarget(new Request(`${EDGE}${path}`, { headers }), UPSTREAM);
}

/** A request whose url is exactly `url` (as Deno hands over a request built from the Host header). */
function rawRequest(url: string, host?: string): Request {
  const headers = new Headers(host === undefined ? {} : { host });
  return { url, headers, method: "GET" } as unknown as Request;
}

describe("forwardTarget: one canonical URL to decide on and to forward", () => {
  it.each([
    ["/items/7?x=1", "/items/7?x=1", "/v1/items/7?x=1"],
    ["/%61dmin/users", "/admin/users", "/v1/admin/users"],
    ["//admin//users", "/admin/users", "/v1/admin/users"],
    ["/a/./b/../c", "/a/c", "/v1/a/c"],
    ["/admin%2fusers", "/admin%2Fusers", "/v1/admin%2Fusers"],
    ["/ADMIN/users", "/ADMIN/users", "/v1/ADMIN/users"],
    ["/admin;x/users", "/admin;x/users", "/v1/admin;x/users"],
    ["/é?q=é", "/%C3%A9?q=%C3%A9", "/v1/%C3%A9?q=%C3%A9"],
    ["/", "/", "/v1/"],
  ])("%s → decided on %s, forwarded to %s", (path, decided, forwarded) => {
    const t = target(path);
    if (isRefusal(t)) throw new Error(t.detail);
    expect(t.decisionUrl).toBe(`${EDGE}${decided}`);
    expect(t.upstreamUrl).toBe(`http://upstream.test${forwarded}`);
    expect(t.host).toBe("edge.example");
    expect(t.proto).toBe("https");
  });

  it.each([
    "/..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/..%5csecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..;/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/a/..%252fsecret.txt",
    "/secret.txt%00.png",
    "/.;/x",
    // Overlong UTF-8 (red team pass 3): '.' and '/' to a lenient decoder such as old IIS.
    "/%c0%ae%c0%ae%c0%afsecret.txt",
    "/..%c0%afsecret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    // Windows drops a segment's trailing spaces and dots: `.. ` is `..`.
    "/..%20/secret.txt",
    "/%2e%2e%20%20/secret.txt",
    // Java's trim() per segment (Spring's trimTokens): `%09..` is `..` (red team pass 4).
    "/%09../secret.txt",
    "/..%0d/secret.txt",
    // Tomcat strips ;params, then Spring trims: `..%20;x` is `..` (red team pass 5).
    "/p/..%20;/secret.txt",
    "/p/..%20;x/secret.txt",
  ])("refuses %s: a decoding upstream would leave the prefix", (path) => {
    const t = target(path);
    expect(isRefusal(t) && t.error).toBe("path_not_forwardable");
  });

  it("refuses a path too long to interpret", () => {
    const t = target("/a".repeat(4600));
    expect(isRefusal(t) && t.error).toBe("path_not_forwardable");
  });

  it.each([
    [
      "a Host that moves the path (red team M4)",
      "http://h\\admin\\users?/other",
      "h\\admin\\users?",
    ],
    ["a Host with a fragment", "http://h#/x", "h#"],
    ["an unclosed IPv6 Host", "http://[::1/x", "[::1"],
    ["userinfo in the authority", "http://a@b/x", "a@b"],
    ["an empty Host", "http://localhost:8000/x", ""],
  ])("refuses %s with bad_host", (_n, url, host) => {
    const t = forwardTarget(rawRequest(url, host), UPSTREAM);
    expect(isRefusal(t) && t.error).toBe("bad_host");
  });

  it("a raw Deno-style URL is read from its own path, never from the Host header", () => {
    const t = forwardTarget(rawRequest("http://h/./admin/../other?q", "h"), UPSTREAM);
    if (isRefusal(t)) throw new Error(t.detail);
    expect(t.decisionUrl).toBe("http://h/other?q");
    expect(t.upstreamUrl).toBe("http://upstream.test/v1/other?q");
  });

  it.each(["ftp://h/x", "h/x", ""])("refuses the request URL %j", (url) => {
    const t = forwardTarget(rawRequest(url), UPSTREAM);
    expect(isRefusal(t) && t.error).toBe("bad_request_url");
  });

  it("a fetcher upstream receives the decision URL itself", () => {
    const t = forwardTarget(new Request(`${EDGE}/%61/b?c`), null);
    if (isRefusal(t)) throw new Error(t.detail);
    expect(t.upstreamUrl).toBe(t.decisionUrl);
    expect(t.upstreamUrl).toBe(`${EDGE}/a/b?c`);
  });
});

/** Path pieces that servers read differently, for random paths. */
const PIECES = [
  "/",
  "//",
  "\\",
  "admin",
  "ADMIN",
  "Admin",
  "public",
  "users",
  "api",
  "v1",
  "x",
  ".",
  "..",
  "%2e",
  "%2E",
  "%2e%2e",
  ".%2e",
  "%2f",
  "%2F",
  "%5c",
  "%5C",
  ";",
  ";x=1",
  "..;",
  "%00",
  "%25",
  "%252e",
  "%252f",
  "%61",
  "%41",
  "%c0%ae",
  "%c0%af",
  "%c0%ae%c0%ae",
  "%20",
  "%09",
  ". ",
  "%e2%84%aa",
  "%c4%b1",
  "%3b",
  "%3f",
  "?",
  "#",
  "é",
];
const pathArb = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 })
  .map((parts) => `/${parts.join("")}`);

/** Every reading of the upstream path, plus a proxy chain that decodes once before Python. */
const UPSTREAM_READINGS: Record<string, (raw: string) => string> = {
  ...READINGS,
  "decodes-then-python": (raw) => READINGS["python-http-server"](decodeAll(raw)),
};

describe("property: no spelling leaves the upstream prefix, under any upstream reading", () => {
  it("every path the layer forwards reads as inside /v1 to every upstream model", async () => {
    let forwarded: string | null = null;
    const layer = createEdgeLayer({
      policy: DIFFERENTIAL_POLICY,
      upstream: "http://upstream.test/v1",
      fetch: async (r) => {
        forwarded = rawPathOf(r.url);
        return new Response("ok");
      },
    });
    await fc.assert(
      fc.asyncProperty(pathArb, async (path) => {
        forwarded = null;
        const res = await layer(new Request(`${EDGE}${path}`));
        await res.body?.cancel();
        if (forwarded === null) return void expect(res.status).toBe(400);
        for (const [name, read] of Object.entries(UPSTREAM_READINGS)) {
          const served = read(forwarded).toLowerCase();
          expect(
            served === "/v1" || served.startsWith("/v1/"),
            `${name}: ${path} → ${served}`,
          ).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe("property: the layer's grant never exceeds the policy's grant for the route served", () => {
  const reference = referencePolicy();
  /** The layer in front of an upstream that routes on its own reading of the path it got. */
  const layerReading = (read: (raw: string) => string) =>
    createEdgeLayer({
      policy: DIFFERENTIAL_POLICY,
      upstream: "http://upstream.test",
      fetch: async (r) =>
        new Response("", { headers: { "x-served-route": routeOf(read(rawPathOf(r.url))) } }),
    });
  const problems = async (layer: ReturnType<typeof layerReading>, path: string, origin: string) => {
    const res = await layer(new Request(`${EDGE}${path}`, { headers: { origin } }));
    await res.body?.cancel();
    return (await differentialProblems(reference, res, origin)).map(
      (p) => `${origin} ${path}: ${p}`,
    );
  };

  for (const [name, read] of Object.entries(UPSTREAM_READINGS)) {
    it(`upstream reading: ${name}`, async () => {
      const layer = layerReading(read);
      await fc.assert(
        fc.asyncProperty(
          pathArb,
          fc.constantFrom(...DIFFERENTIAL_ORIGINS),
          async (path, origin) => {
            expect(await problems(layer, path, origin)).toEqual([]);
          },
        ),
        { numRuns: 1500 },
      );
    });
  }

  it.each(CRAFTED_SPELLINGS.map((p) => [p]))("crafted: %s", async (path) => {
    for (const [name, read] of Object.entries(UPSTREAM_READINGS)) {
      const layer = layerReading(read);
      for (const origin of DIFFERENTIAL_ORIGINS)
        expect(await problems(layer, path, origin), name).toEqual([]);
    }
  });
});
