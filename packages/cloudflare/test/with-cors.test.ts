import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { appResponse, vectorRequest } from "../../../test/vectors/index.ts";
import { vectorSuite } from "../../../test/vectors/suite.ts";
import { CorsConfigError, type CorsPolicy, withCors } from "../src/index.ts";

type Env = { CORS_POLICY?: string };
const APP = "https://app.example.com";
const policy: CorsPolicy = { allowOrigins: [APP], allowMethods: ["PUT"], allowCredentials: true };

async function call<E>(h: ExportedHandler<E>, request: Request, env: E): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await h.fetch!(request as Request<unknown, IncomingRequestCfProperties>, env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

vectorSuite("withCors in workerd", async (v, policy) => {
  let reached = false;
  const worker = withCors<Env>(
    {
      fetch() {
        reached = true;
        return appResponse(v);
      },
    },
    policy,
  );
  return { response: await call(worker, vectorRequest(v), {}), reached };
});

describe("withCors", () => {
  it("answers preflights in the Worker: the handler never sees them", async () => {
    const inner = vi.fn(() => new Response("app"));
    const worker = withCors({ fetch: inner }, policy);
    const res = await call(
      worker,
      new Request("https://api.example.com/x", {
        method: "OPTIONS",
        headers: { origin: APP, "access-control-request-method": "PUT" },
      }),
      {},
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-methods")).toBe("PUT");
    expect(inner).not.toHaveBeenCalled();
  });

  it("passes env and ctx through, keeps `this` and the other handlers", async () => {
    const handler = {
      greeting: "hi",
      fetch(this: { greeting: string }, _r: Request, env: Env, ctx: ExecutionContext) {
        return new Response(
          `${this.greeting} ${env.CORS_POLICY ? "with" : "without"} policy, ${typeof ctx.waitUntil}`,
        );
      },
      scheduled: vi.fn(),
    };
    const worker = withCors<Env>(handler as unknown as ExportedHandler<Env>, policy);
    const res = await call(
      worker,
      new Request("https://api.example.com/", { headers: { origin: APP } }),
      { CORS_POLICY: "x" },
    );
    expect(await res.text()).toBe("hi with policy, function");
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(worker.scheduled).toBe(handler.scheduled);
  });

  it("accepts a JSON string and refuses an invalid static policy at startup, listing every problem", () => {
    expect(() => withCors({ fetch: () => new Response() }, JSON.stringify(policy))).not.toThrow();
    let error: unknown;
    try {
      withCors(
        { fetch: () => new Response() },
        { allowOrigins: ["null", "http://x.example"], allowCredentials: true, maxAge: -1 },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorsConfigError);
    expect((error as CorsConfigError).issues.map((i) => i.path)).toEqual([
      "allowOrigins[0]",
      "allowOrigins[1]",
      "maxAge",
    ]);
    expect(() => withCors({} as ExportedHandler, policy)).toThrow(TypeError);
  });

  it("reads the policy from env once per env object, and follows a different env", async () => {
    const select = vi.fn((env: Env) => env.CORS_POLICY!);
    const worker = withCors<Env>({ fetch: () => new Response("ok") }, select);
    const envA = { CORS_POLICY: JSON.stringify({ allowOrigins: ["https://a.example"] }) };
    const envB = { CORS_POLICY: JSON.stringify({ allowOrigins: ["https://b.example"] }) };
    for (let i = 0; i < 5; i++) {
      const res = await call(
        worker,
        new Request("https://api.example.com/", { headers: { origin: "https://a.example" } }),
        envA,
      );
      expect(res.headers.get("access-control-allow-origin")).toBe("https://a.example");
    }
    expect(select).toHaveBeenCalledTimes(1);
    const res = await call(
      worker,
      new Request("https://api.example.com/", { headers: { origin: "https://a.example" } }),
      envB,
    );
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(select).toHaveBeenCalledTimes(2);
  });

  it("an invalid policy from env fails the request with a CorsConfigError", async () => {
    const worker = withCors<Env>({ fetch: () => new Response("ok") }, (env) => env.CORS_POLICY!);
    await expect(
      call(worker, new Request("https://api.example.com/"), {
        CORS_POLICY: '{"allowOrigins": "*", "allowCredentials": true}',
      }),
    ).rejects.toBeInstanceOf(CorsConfigError);
  });

  it("decorates after the handler's Cache API lookup: a cached response never carries another origin's headers", async () => {
    const cache = await caches.open(`with-cors-${crypto.randomUUID()}`);
    let computed = 0;
    const worker = withCors(
      {
        async fetch(request, _env, ctx) {
          const key = new Request(new URL(request.url).toString());
          const hit = await cache.match(key);
          if (hit !== undefined) return hit;
          computed++;
          const res = new Response(JSON.stringify({ computed }), {
            headers: { "content-type": "application/json", "cache-control": "public, max-age=300" },
          });
          ctx.waitUntil(cache.put(key, res.clone()));
          return res;
        },
      },
      { allowOrigins: ["https://a.example", "https://b.example"], allowCredentials: true },
    );
    const get = (origin: string) =>
      call(worker, new Request("https://api.example.com/data", { headers: { origin } }), {});
    const a = await get("https://a.example");
    expect(a.headers.get("access-control-allow-origin")).toBe("https://a.example");
    const b = await get("https://b.example");
    expect(b.headers.get("access-control-allow-origin")).toBe("https://b.example");
    expect(await b.json()).toEqual({ computed: 1 });
    const evil = await get("https://evil.example");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    expect(computed).toBe(1);
    const stored = await cache.match(new Request("https://api.example.com/data"));
    expect(stored!.headers.get("access-control-allow-origin")).toBeNull();
  });

  const handshake = (origin: string) =>
    new Request("https://api.example.com/ws", {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
        origin,
      },
    });

  it("refuses a WebSocket handshake from an origin the policy does not allow (403, handler untouched)", async () => {
    let called = 0;
    const worker = withCors(
      {
        fetch() {
          called++;
          return new Response("socket");
        },
      },
      policy,
    );
    const res = await call(worker, handshake("https://evil.example"), {});
    expect(res.status).toBe(403);
    expect(called).toBe(0);
  });

  it("hands an allowed WebSocket handshake to the handler and returns its 101 untouched", async () => {
    const worker = withCors(
      {
        fetch() {
          const [client, server] = Object.values(new WebSocketPair());
          server!.accept();
          server!.send("hi");
          return new Response(null, { status: 101, webSocket: client });
        },
      },
      policy,
    );
    const res = await call(worker, handshake(APP), {});
    expect(res.status).toBe(101);
    expect(res.webSocket).toBeTruthy();
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const ws = res.webSocket!;
    const msg = new Promise<string>((resolve) =>
      ws.addEventListener("message", (e) => resolve(String(e.data))),
    );
    ws.accept();
    expect(await msg).toBe("hi");
    ws.close();
  });
});
