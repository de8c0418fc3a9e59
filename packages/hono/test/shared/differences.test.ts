import { ACRH_MAX_LENGTH, CorsConfigError } from "@edge-cors/core";
import { Hono } from "hono";
import { cors as honoCors } from "hono/cors";
import { describe, expect, it } from "vitest";
import { cors, type HonoCorsOptions } from "../../src/index.ts";
import { bothApps, URL_BASE } from "../helpers/apps.ts";
import {
  actualPasses,
  actualRequest,
  preflightPasses,
  preflightRequest,
} from "../helpers/browser.ts";

const APP = "https://app.example.com";
const EVIL = "https://evil.example.net";
const ITEMS = `${URL_BASE}/api/items`;

function configError(options: unknown): CorsConfigError {
  try {
    cors(options as HonoCorsOptions);
  } catch (e) {
    if (e instanceof CorsConfigError) return e;
    throw e;
  }
  throw new Error("expected a CorsConfigError");
}

describe("insecure or off-spec options: hono/cors accepts them, the drop-in refuses them at startup", () => {
  const table: Array<[string, unknown, string, RegExp]> = [
    [
      'origin "*" (explicit) with credentials',
      { origin: "*", credentials: true },
      "credentials",
      /cannot be true/,
    ],
    [
      'origin "*" (the default) with credentials',
      { credentials: true },
      "origin",
      /cannot be combined with credentials/,
    ],
    ['origin "null"', { origin: "null" }, "origin", /never trusted/],
    [
      "origin with a trailing slash",
      { origin: "https://app.example.com/" },
      "origin",
      /must not end with "\/"/,
    ],
    ["origin in upper case", { origin: ["https://App.example.com"] }, "origin[0]", /lower-case/],
    [
      "origin with the default port",
      { origin: ["https://app.example.com:443"] },
      "origin[0]",
      /default port/,
    ],
    ['"*" inside an origin list', { origin: [APP, "*"] }, "origin[1]", /use origin: "\*"/],
    [
      "plain http origin with credentials",
      { origin: ["http://app.example.com"], credentials: true },
      "origin[0]",
      /plain http/,
    ],
    ["an empty origin list", { origin: [] }, "origin", /is empty/],
    ["negative maxAge", { origin: APP, maxAge: -1 }, "maxAge", /≥ 0/],
    ["fractional maxAge", { origin: APP, maxAge: 1.5 }, "maxAge", /whole number/],
    [
      "maxAge above every browser's cap",
      { origin: APP, maxAge: 31_536_000 },
      "maxAge",
      /above 86400/,
    ],
    [
      "a forbidden method",
      { origin: APP, allowMethods: ["GET", "TRACE"] },
      "allowMethods[1]",
      /forbidden method/,
    ],
    [
      "a method that is not a token",
      { origin: APP, allowMethods: ["GET, PUT"] },
      "allowMethods[0]",
      /not a valid method/,
    ],
    [
      "a header name that is not a token",
      { origin: APP, allowHeaders: ["X A"] },
      "allowHeaders[0]",
      /not a valid header/,
    ],
    [
      "exposing Set-Cookie",
      { origin: APP, exposeHeaders: ["Set-Cookie"] },
      "exposeHeaders[0]",
      /forbidden response header/,
    ],
    [
      "credentials that are not a boolean",
      { origin: APP, credentials: "true" },
      "credentials",
      /true or false/,
    ],
    ["a misspelt option", { origins: [APP] }, "origins", /did you mean "origin"/],
    [
      "both forms mixed",
      { origin: APP, allowOrigins: [APP] },
      "",
      /mixes hono\/cors options \(origin\)/,
    ],
  ];

  it.each(table)("%s", (_name, options, path, message) => {
    const e = configError(options);
    const issue = e.issues.find((i) => i.path === path);
    expect(issue, `issues: ${JSON.stringify(e.issues)}`).toBeDefined();
    expect(issue!.message).toMatch(message);
    // The error names the problem in its message too, for logs.
    expect(e.message).toContain(issue!.message);
  });

  it('hono/cors accepts "*" with credentials and sends a pair browsers refuse', async () => {
    const app = new Hono()
      .use("*", honoCors({ origin: "*", credentials: true }))
      .get("/", (c) => c.text("x"));
    const res = await app.request(
      actualRequest(`${URL_BASE}/`, { origin: EVIL, credentials: true }),
    );
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(actualPasses(res, { origin: EVIL, credentials: true })).toBe(false);
  });
});

describe("documented behaviour differences from hono/cors", () => {
  it("a plain OPTIONS (no Access-Control-Request-Method) reaches the app's routes", async () => {
    const { hono, edge } = bothApps({ origin: APP });
    const req = () =>
      new Request(`${URL_BASE}/api/options`, { method: "OPTIONS", headers: { origin: APP } });
    const theirs = await hono.request(req());
    expect(theirs.status).toBe(204);
    expect(theirs.headers.get("allow")).toBeNull();
    const ours = await edge.request(req());
    expect(ours.status).toBe(200);
    expect(ours.headers.get("allow")).toBe("GET, OPTIONS");
    expect(await ours.text()).toBe("options handler");
    expect(ours.headers.get("access-control-allow-origin")).toBe(APP);
    // Without an OPTIONS route the app's 404 answers, still with Vary: Origin.
    const none = await edge.request(
      new Request(ITEMS.replace("items", "nothing"), { method: "OPTIONS" }),
    );
    expect(none.status).toBe(404);
    expect(none.headers.get("vary")).toBe("Origin");
  });

  const otherString: Array<[string, (o: string) => string]> = [
    ["a fixed origin", () => APP],
    ['"*"', () => "*"],
    ["the origin in another case", (o) => o.toUpperCase()],
    ["the origin with a trailing slash", (o) => `${o}/`],
  ];
  it.each(otherString)(
    "an origin function returning %s for another origin grants nothing",
    async (_n, fn) => {
      const { hono, edge } = bothApps({ origin: fn });
      const theirs = await hono.request(actualRequest(ITEMS, { origin: EVIL }));
      expect(theirs.headers.get("access-control-allow-origin")).toBe(fn(EVIL));
      const ours = await edge.request(actualRequest(ITEMS, { origin: EVIL }));
      expect(ours.headers.get("access-control-allow-origin")).toBeNull();
      expect(ours.headers.get("vary")).toBe("Origin");
      const pre = await edge.request(preflightRequest(ITEMS, { origin: EVIL, method: "PUT" }));
      expect(pre.status).toBe(403);
      expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    },
  );

  it("the origin function never sees a missing, null or malformed Origin", async () => {
    const seen: string[] = [];
    const fn = (o: string) => {
      seen.push(o);
      return o;
    };
    const { hono, edge } = bothApps({ origin: fn, credentials: true });
    const requests = () => [
      new Request(ITEMS),
      actualRequest(ITEMS, { origin: "null" }),
      actualRequest(ITEMS, { origin: "https://app.example.com/path" }),
      actualRequest(ITEMS, { origin: "x".repeat(5000) }),
    ];
    for (const r of requests()) {
      const res = await edge.request(r);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    }
    expect(seen).toEqual([]);
    // hono/cors calls it for each, and reflects `null` with credentials.
    for (const r of requests()) await hono.request(r);
    expect(seen).toEqual(["", "null", "https://app.example.com/path", "x".repeat(5000)]);
    const nullRes = await hono.request(actualRequest(ITEMS, { origin: "null" }));
    expect(nullRes.headers.get("access-control-allow-origin")).toBe("null");
  });

  it("Vary is merged with the app's, never duplicated", async () => {
    const build = (mw: ReturnType<typeof cors>) =>
      new Hono()
        .use("*", mw)
        .get("/", (c) => c.text("x", 200, { vary: "origin, Accept-Encoding" }));
    const theirs = await build(honoCors({ origin: APP })).request(
      actualRequest(`${URL_BASE}/`, { origin: APP }),
    );
    expect(theirs.headers.get("vary")).toBe("origin, Accept-Encoding, Origin");
    const ours = await build(cors({ origin: APP })).request(
      actualRequest(`${URL_BASE}/`, { origin: APP }),
    );
    expect(ours.headers.get("vary")).toBe("origin, Accept-Encoding");
  });

  it("every preflight varies on Origin and the request headers it was asked for", async () => {
    const { hono, edge } = bothApps({ origin: APP, allowHeaders: ["X-Custom"] });
    const call = { origin: APP, method: "PUT" };
    const theirs = await hono.request(preflightRequest(ITEMS, call));
    expect(theirs.headers.get("vary")).toBe("Origin, Access-Control-Request-Headers");
    const ours = await edge.request(preflightRequest(ITEMS, call));
    expect(ours.headers.get("vary")).toBe(
      "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    );
  });

  it("a refused preflight is a 403 without grants (hono/cors: 204 listing what is allowed)", async () => {
    const { hono, edge } = bothApps({ origin: APP, allowMethods: ["PUT"] });
    for (const call of [
      { origin: EVIL, method: "PUT" },
      { origin: APP, method: "DELETE" },
    ]) {
      const theirs = await hono.request(preflightRequest(ITEMS, call));
      const ours = await edge.request(preflightRequest(ITEMS, call));
      expect(theirs.status).toBe(204);
      expect(ours.status).toBe(403);
      expect(ours.headers.get("access-control-allow-methods")).toBeNull();
      // The browser's verdict is the same: refused.
      expect(preflightPasses(theirs, call)).toBe(false);
      expect(preflightPasses(ours, call)).toBe(false);
    }
  });

  it("lower-case methods are upper-cased, so allowMethods: ['put'] grants PUT", async () => {
    const { hono, edge } = bothApps({ origin: APP, allowMethods: ["get", "put"] });
    const call = { origin: APP, method: "PUT" };
    expect(preflightPasses(await hono.request(preflightRequest(ITEMS, call)), call)).toBe(false);
    expect(preflightPasses(await edge.request(preflightRequest(ITEMS, call)), call)).toBe(true);
  });

  it("credentials are announced only to an allowed origin; expose-headers not on preflights", async () => {
    const { hono, edge } = bothApps({ origin: APP, credentials: true, exposeHeaders: ["X-Id"] });
    const theirs = await hono.request(actualRequest(ITEMS, { origin: EVIL }));
    expect(theirs.headers.get("access-control-allow-credentials")).toBe("true");
    const ours = await edge.request(actualRequest(ITEMS, { origin: EVIL }));
    expect(ours.headers.get("access-control-allow-credentials")).toBeNull();
    expect(ours.headers.get("access-control-expose-headers")).toBeNull();
    const pre = await edge.request(
      preflightRequest(ITEMS, { origin: APP, method: "PUT", credentials: true }),
    );
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-expose-headers")).toBeNull();
    const ok = await edge.request(actualRequest(ITEMS, { origin: APP }));
    expect(ok.headers.get("access-control-expose-headers")).toBe("x-id");
  });

  const hostile: Array<[string, Record<string, string>]> = [
    ["10 000 commas", { "access-control-request-headers": ",".repeat(10_000) }],
    ["an oversized list", { "access-control-request-headers": "x-a,".repeat(ACRH_MAX_LENGTH) }],
    ["padding", { "access-control-request-headers": `x-a${" ".repeat(5000)},x-b` }],
    ["a non-token", { "access-control-request-headers": "x-a;x-b" }],
  ];
  it.each(hostile)(
    "a hostile Access-Control-Request-Headers (%s) is refused in bounded time",
    async (_n, h) => {
      const { hono, edge } = bothApps(); // hono/cors's default reflects any requested header
      const req = () =>
        new Request(ITEMS, {
          method: "OPTIONS",
          headers: { origin: APP, "access-control-request-method": "PUT", ...h },
        });
      const theirs = await hono.request(req());
      expect(theirs.status).toBe(204);
      expect(theirs.headers.get("access-control-allow-headers")).not.toBeNull();
      const t0 = performance.now();
      const ours = await edge.request(req());
      expect(performance.now() - t0).toBeLessThan(250);
      expect(ours.status).toBe(403);
      expect(ours.headers.get("access-control-allow-headers")).toBeNull();
    },
  );

  it("a huge Origin is refused without reaching the origin function, never a 5xx", async () => {
    let calls = 0;
    const { edge } = bothApps({
      origin: (o) => {
        calls++;
        return o;
      },
    });
    const res = await edge.request(
      actualRequest(ITEMS, { origin: `https://${"a".repeat(100_000)}.com` }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(calls).toBe(0);
  });

  it("an origin function that throws denies instead of failing the request", async () => {
    const { edge } = bothApps({
      origin: () => {
        throw new Error("lookup failed");
      },
    });
    const res = await edge.request(actualRequest(ITEMS, { origin: APP }));
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});
