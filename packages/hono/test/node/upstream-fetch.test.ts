import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cors } from "../../src/index.ts";
import { actualRequest, preflightRequest } from "../helpers/browser.ts";

const APP = "https://app.example.com";
const MAX_REQUESTS = 20;

// A real upstream on 127.0.0.1: a proxied fetch() response has immutable headers, so the
// core decorates a copy and the middleware must put that copy on c.res intact.
let server: Server;
let upstream: string;
let served = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (++served > MAX_REQUESTS) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, {
      "content-type": "text/plain",
      vary: "Accept-Encoding",
      "x-upstream": req.url ?? "",
    });
    res.end("from upstream");
  });
  server.requestTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function proxyApp() {
  const app = new Hono();
  app.use("*", cors({ origin: [APP], credentials: true }));
  app.all("*", (c) =>
    fetch(`${upstream}${new URL(c.req.url).pathname}`, { signal: AbortSignal.timeout(5000) }),
  );
  return app;
}

describe("a proxied fetch() response (immutable headers)", () => {
  it("is decorated, with Vary merged and the upstream's headers and body intact", async () => {
    const res = await proxyApp().request(
      actualRequest("https://api.example.com/items", { origin: APP }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("vary")).toBe("Accept-Encoding, Origin");
    expect(res.headers.get("x-upstream")).toBe("/items");
    expect(await res.text()).toBe("from upstream");
  });

  it("a refused origin gets only Vary, still merged", async () => {
    const res = await proxyApp().request(
      actualRequest("https://api.example.com/x", { origin: "https://evil.dev" }),
    );
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("vary")).toBe("Accept-Encoding, Origin");
    expect(await res.text()).toBe("from upstream");
  });

  it("a preflight never reaches the upstream", async () => {
    const before = served;
    const res = await proxyApp().request(
      preflightRequest("https://api.example.com/x", { origin: APP, method: "PUT" }),
    );
    expect(res.status).toBe(204);
    expect(served).toBe(before);
  });
});
