import { CorsConfigError } from "@edge-cors/core";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type CorsFactory, cors } from "../../src/index.ts";
import { URL_BASE } from "../helpers/apps.ts";
import { actualRequest, preflightRequest } from "../helpers/browser.ts";

const APP = "https://app.example.com";
const ADMIN = "https://admin.example.com";

type Env = { Bindings: { CORS_POLICY: string; ORIGINS?: string } };

function bindingsApp(factory: CorsFactory<Env>) {
  const app = new Hono<Env>();
  app.onError((err, c) =>
    c.text(err instanceof CorsConfigError ? `config: ${err.message}` : "error", 500),
  );
  app.use("/api/*", cors(factory));
  app.get("/api/items", (c) => c.text("items"));
  return app;
}

describe("cors((c) => policy) in an app", () => {
  it("uses the policy of each request's bindings", async () => {
    const app = bindingsApp((c) => c.env.CORS_POLICY);
    const envA = { CORS_POLICY: JSON.stringify({ allowOrigins: [APP], allowMethods: ["PUT"] }) };
    const envB = {
      CORS_POLICY: JSON.stringify({ allowOrigins: [ADMIN], allowMethods: ["DELETE"] }),
    };
    const url = `${URL_BASE}/api/items`;
    for (let i = 0; i < 3; i++) {
      const a = await app.request(actualRequest(url, { origin: APP }), undefined, envA);
      expect(a.headers.get("access-control-allow-origin")).toBe(APP);
      const b = await app.request(actualRequest(url, { origin: APP }), undefined, envB);
      expect(b.headers.get("access-control-allow-origin")).toBeNull();
      const pre = await app.request(
        preflightRequest(url, { origin: ADMIN, method: "DELETE" }),
        undefined,
        envB,
      );
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-methods")).toBe("DELETE");
    }
  });

  it("accepts hono/cors options built from bindings, and async factories", async () => {
    const app = bindingsApp(async (c) => ({
      origin: (c.env.ORIGINS ?? "").split(","),
      credentials: true,
    }));
    const env = { CORS_POLICY: "", ORIGINS: `${APP},${ADMIN}` };
    const res = await app.request(
      actualRequest(`${URL_BASE}/api/items`, { origin: ADMIN }),
      undefined,
      env,
    );
    expect(res.headers.get("access-control-allow-origin")).toBe(ADMIN);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("does not re-read a policy object it has already compiled", async () => {
    let reads = 0;
    const policy = {
      get allowOrigins() {
        reads++;
        return [APP];
      },
    };
    const app = bindingsApp(() => policy as never);
    const url = `${URL_BASE}/api/items`;
    await app.request(actualRequest(url, { origin: APP }), undefined, { CORS_POLICY: "" });
    const afterFirst = reads;
    expect(afterFirst).toBeGreaterThan(0);
    for (let i = 0; i < 50; i++) {
      const res = await app.request(actualRequest(url, { origin: APP }), undefined, {
        CORS_POLICY: "",
      });
      expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    }
    expect(reads).toBe(afterFirst);
  });

  it("an insecure policy from bindings fails the request with its CorsConfigError (no CORS grant)", async () => {
    const app = bindingsApp((c) => c.env.CORS_POLICY);
    const env = { CORS_POLICY: JSON.stringify({ allowOrigins: "*", allowCredentials: true }) };
    const res = await app.request(
      actualRequest(`${URL_BASE}/api/items`, { origin: APP }),
      undefined,
      env,
    );
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toMatch(/^config: Invalid CORS policy/);
    expect(text).toContain("allowCredentials: cannot be true");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("a missing binding is an error, not hono/cors's open default", async () => {
    const app = bindingsApp((c) => c.env.CORS_POLICY);
    const res = await app.request(
      actualRequest(`${URL_BASE}/api/items`, { origin: APP }),
      undefined,
      {},
    );
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/the policy factory returned undefined/);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("an allowMethods function (hono/cors)", () => {
  it("is called on OPTIONS only, and an invalid list it returns fails those requests", async () => {
    const calls: string[] = [];
    const app = new Hono();
    app.onError((err, c) => c.text(err instanceof CorsConfigError ? "config" : "error", 500));
    app.use(
      "*",
      cors({
        origin: APP,
        allowMethods: (origin, c) => {
          calls.push(`${c.req.method} ${origin}`);
          return c.req.header("x-bad") ? ["TRACE"] : ["PUT"];
        },
      }),
    );
    app.get("*", (c) => c.text("ok"));
    const get = await app.request(actualRequest(`${URL_BASE}/a`, { origin: APP }));
    expect(get.headers.get("access-control-allow-origin")).toBe(APP);
    expect(calls).toEqual([]);
    const pre = await app.request(
      preflightRequest(`${URL_BASE}/a`, { origin: APP, method: "PUT" }),
    );
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-methods")).toBe("PUT");
    expect(calls).toEqual([`OPTIONS ${APP}`]);
    for (let i = 0; i < 2; i++) {
      const bad = preflightRequest(`${URL_BASE}/a`, { origin: APP, method: "PUT" });
      bad.headers.set("x-bad", "1");
      const res = await app.request(bad);
      expect(res.status).toBe(500);
      expect(await res.text()).toBe("config");
    }
  });
});
