import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { cors } from "../../src/index.ts";
import { URL_BASE } from "../helpers/apps.ts";
import { actualRequest, preflightRequest } from "../helpers/browser.ts";

const APP = "https://app.example.com";

describe("where the middleware sits in an app", () => {
  it("per route: only paths under app.use('/api/*') get CORS", async () => {
    const app = new Hono();
    app.use("/api/*", cors({ origin: APP }));
    app.get("/api/items", (c) => c.text("api"));
    app.get("/site", (c) => c.text("site"));
    const api = await app.request(actualRequest(`${URL_BASE}/api/items`, { origin: APP }));
    expect(api.headers.get("access-control-allow-origin")).toBe(APP);
    const site = await app.request(actualRequest(`${URL_BASE}/site`, { origin: APP }));
    expect(site.headers.get("access-control-allow-origin")).toBeNull();
    expect(site.headers.get("vary")).toBeNull();
  });

  it("two policies on two prefixes", async () => {
    const app = new Hono();
    app.use("/public/*", cors());
    app.use("/api/*", cors({ origin: [APP], credentials: true }));
    app.get("*", (c) => c.text("ok"));
    const pub = await app.request(
      actualRequest(`${URL_BASE}/public/a`, { origin: "https://anyone.dev" }),
    );
    expect(pub.headers.get("access-control-allow-origin")).toBe("*");
    expect(pub.headers.get("vary")).toBeNull();
    const api = await app.request(actualRequest(`${URL_BASE}/api/a`, { origin: APP }));
    expect(api.headers.get("access-control-allow-origin")).toBe(APP);
    expect(api.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("a preflight is answered even where no route exists, without running later handlers", async () => {
    let handlers = 0;
    const app = new Hono();
    app.use("*", cors({ origin: APP, allowMethods: ["PUT"] }));
    app.use("*", async (_c, next) => {
      handlers++;
      await next();
    });
    const res = await app.request(
      preflightRequest(`${URL_BASE}/nowhere`, { origin: APP, method: "PUT" }),
    );
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(res.headers.get("access-control-allow-methods")).toBe("PUT");
    expect(handlers).toBe(0);
  });

  it("headers set by earlier middleware stay on preflights and on responses", async () => {
    const app = new Hono();
    app.use("*", async (c, next) => {
      c.header("x-request-id", "r1");
      c.header("vary", "Accept-Encoding");
      await next();
    });
    app.use("*", cors({ origin: APP }));
    app.get("/a", (c) => c.text("a"));
    const pre = await app.request(
      preflightRequest(`${URL_BASE}/a`, { origin: APP, method: "PUT" }),
    );
    expect(pre.status).toBe(204);
    expect(pre.headers.get("x-request-id")).toBe("r1");
    expect(pre.headers.get("access-control-allow-origin")).toBe(APP);
    expect(pre.headers.get("vary")).toBe(
      "Accept-Encoding, Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    );
    const res = await app.request(actualRequest(`${URL_BASE}/a`, { origin: APP }));
    expect(res.headers.get("x-request-id")).toBe("r1");
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.headers.get("vary")).toBe("Accept-Encoding, Origin");
  });

  it("errors (onError), 404s and redirects get the CORS headers too", async () => {
    const app = new Hono();
    app.onError((_e, c) => c.text("boom", 500));
    app.use("*", cors({ origin: APP }));
    app.get("/throws", () => {
      throw new Error("x");
    });
    // Response.redirect has immutable headers: the core decorates a copy.
    app.get("/moved", () => Response.redirect(`${URL_BASE}/a`, 302));
    for (const [path, status] of [
      ["/throws", 500],
      ["/missing", 404],
      ["/moved", 302],
    ] as const) {
      const res = await app.request(actualRequest(`${URL_BASE}${path}`, { origin: APP }));
      expect(res.status).toBe(status);
      expect(res.headers.get("access-control-allow-origin")).toBe(APP);
      expect(res.headers.get("vary")).toBe("Origin");
    }
    const moved = await app.request(actualRequest(`${URL_BASE}/moved`, { origin: APP }));
    expect(moved.headers.get("location")).toBe(`${URL_BASE}/a`);
  });

  it("merges with a Vary the handler set through c.header()", async () => {
    const app = new Hono();
    app.use("*", cors({ origin: APP }));
    app.get("/a", (c) => {
      c.header("Vary", "Accept-Encoding");
      return c.text("a");
    });
    const res = await app.request(actualRequest(`${URL_BASE}/a`, { origin: APP }));
    expect(res.headers.get("vary")).toBe("Accept-Encoding, Origin");
  });

  it("an origin function gets the request's own Context, also inside a mounted sub-app", async () => {
    type V = { Variables: { tenant: string } };
    const tenants: Record<string, string> = {
      acme: "https://acme.example.com",
      globex: "https://globex.example.com",
    };
    const sub = new Hono<V>();
    sub.use(
      "*",
      cors({
        origin: (origin, c) => (tenants[c.get("tenant") as string] === origin ? origin : null),
      }),
    );
    sub.get("/items", (c) => c.text(`items of ${c.get("tenant")}`));
    const app = new Hono<V>();
    app.use("/:tenant/*", async (c, next) => {
      c.set("tenant", c.req.param("tenant"));
      await next();
    });
    app.route("/:tenant", sub);
    for (const [tenant, origin, granted] of [
      ["acme", "https://acme.example.com", true],
      ["acme", "https://globex.example.com", false],
      ["globex", "https://globex.example.com", true],
    ] as const) {
      const res = await app.request(actualRequest(`${URL_BASE}/${tenant}/items`, { origin }));
      expect(await res.text()).toBe(`items of ${tenant}`);
      expect(res.headers.get("access-control-allow-origin")).toBe(granted ? origin : null);
    }
  });

  it("an edge-cors policy with routes and report mode works through the middleware", async () => {
    const decisions: string[] = [];
    const app = new Hono();
    app.use(
      "*",
      cors({
        allowOrigins: [APP],
        mode: "report",
        onDecision: (d) => decisions.push(`${d.kind}:${d.allowed}`),
        routes: [{ path: "/public/*", allowOrigins: "*", allowCredentials: false }],
      }),
    );
    app.all("*", (c) => c.text("app"));
    const pre = await app.request(
      preflightRequest(`${URL_BASE}/a`, { origin: "https://x.dev", method: "PUT" }),
    );
    // Report mode: the preflight goes to the app untouched, the decision is recorded.
    expect(await pre.text()).toBe("app");
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    expect(decisions).toEqual(["preflight:false"]);
  });
});
