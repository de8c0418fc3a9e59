import { type Cors, CorsConfigError, createCors } from "@edge-cors/core";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { PolicyCache } from "../../src/cache.ts";
import { type CorsFactory, cors } from "../../src/index.ts";
import { URL_BASE } from "../helpers/apps.ts";
import { actualRequest, preflightRequest } from "../helpers/browser.ts";

const APP = "https://app.example.com";
const ADMIN = "https://admin.example.com";

/** The real compile, counted: how often the cache missed. */
function countingCache() {
  const compiled: unknown[] = [];
  const cache = new PolicyCache<Cors>((input) => {
    compiled.push(input);
    return createCors(input as never);
  });
  return { cache, compiled };
}

describe("PolicyCache: one compilation per distinct policy", () => {
  it("the same object, many times: compiled once", () => {
    const { cache } = countingCache();
    const policy = { allowOrigins: [APP] };
    const first = cache.get(policy);
    for (let i = 0; i < 100; i++) expect(cache.get(policy)).toBe(first);
    expect(cache.compilations).toBe(1);
  });

  it("fresh objects with the same content: compiled once", () => {
    const { cache } = countingCache();
    const first = cache.get({ allowOrigins: [APP], maxAge: 600 });
    for (let i = 0; i < 100; i++)
      expect(cache.get({ allowOrigins: [APP], maxAge: 600 })).toBe(first);
    expect(cache.compilations).toBe(1);
  });

  it("the same JSON string (a binding): compiled once; another string: compiled again", () => {
    const { cache } = countingCache();
    const text = JSON.stringify({ allowOrigins: [APP] });
    const first = cache.get(text);
    for (let i = 0; i < 100; i++) expect(cache.get(text)).toBe(first);
    expect(cache.compilations).toBe(1);
    expect(cache.get(JSON.stringify({ allowOrigins: [ADMIN] }))).not.toBe(first);
    expect(cache.compilations).toBe(2);
  });

  it("policies differing only by a function are told apart by the function's identity", () => {
    const { cache } = countingCache();
    const a = () => true;
    const b = () => false;
    const ca = cache.get({ allowOrigins: a });
    expect(cache.get({ allowOrigins: a })).toBe(ca);
    expect(cache.get({ allowOrigins: b })).not.toBe(ca);
    expect(cache.compilations).toBe(2);
  });

  it("an invalid policy is compiled once and its error rethrown", () => {
    const { cache } = countingCache();
    const bad = JSON.stringify({ allowOrigins: "*", allowCredentials: true });
    for (let i = 0; i < 5; i++) expect(() => cache.get(bad)).toThrow(CorsConfigError);
    expect(cache.compilations).toBe(1);
    expect(() => cache.get("{not json")).toThrow(/policy from the factory is not valid JSON/);
  });

  it("is bounded: beyond the limit the oldest content key is dropped", () => {
    const compiled: unknown[] = [];
    const cache = new PolicyCache((i) => compiled.push(i), 4);
    for (let i = 0; i < 10; i++) cache.get(`{"n":${i}}`);
    expect(cache.compilations).toBe(10);
    cache.get('{"n":9}');
    expect(cache.compilations).toBe(10);
    cache.get('{"n":0}');
    expect(cache.compilations).toBe(11);
  });
});

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
