import { createEdgeLayer } from "@edge-cors/edge";
import { describe, expect, it } from "vitest";
import { callWorker, EDGE, testId, upstreamLog, upstreamUrl } from "./helpers.ts";

const APP = "https://app.example.com";
const PARTNER = "https://partner.example.net";
const EVIL = "https://evil.example";
const policy = {
  allowOrigins: [APP, PARTNER],
  routes: [{ path: "/admin/*", allowOrigins: [APP] }],
};
const layer = createEdgeLayer({ policy, upstream: upstreamUrl });

/** A real RFC 6455 opening handshake, plus whatever else the client sends. */
function handshake(path: string, origin: string | null, extra: Record<string, string> = {}) {
  return new Request(`${EDGE}${path}`, {
    headers: {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      "sec-websocket-version": "13",
      ...(origin === null ? {} : { origin }),
      ...extra,
    },
  });
}

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("no WebSocket message within 5 s")), 5000);
    ws.addEventListener(
      "message",
      (e) => {
        clearTimeout(t);
        resolve(String(e.data));
      },
      { once: true },
    );
  });
}

/** The upgraded socket works both ways: the upstream's greeting, then an echo. */
async function expectWorkingSocket(res: Response): Promise<void> {
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  expect(ws).toBeTruthy();
  ws.accept();
  const hello = nextMessage(ws);
  expect(await hello).toBe("hello from upstream");
  const echo = nextMessage(ws);
  ws.send("ping");
  expect(await echo).toBe("echo: ping");
  ws.close(1000, "done");
}

describe("WebSocket handshakes go through the policy (red team M2)", () => {
  it("an allowed origin gets a working socket; the upstream sees the canonical path and the layer's forwarding headers only", async () => {
    const id = testId();
    const res = await layer(
      handshake("/%73ocket//room?n=1", APP, {
        "x-test-id": id,
        "x-forwarded-host": "evil.example",
        "x-forwarded-proto": "http",
        "x-forwarded-for": "203.0.113.9",
        forwarded: "for=203.0.113.9;host=evil.example",
        "proxy-authorization": "Basic Zm9vOmJhcg==",
      }),
    );
    expect(res.headers.get("x-upstream-path")).toBe("/socket/room?n=1");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    await expectWorkingSocket(res);
    const [seen] = await upstreamLog(id);
    expect(seen!.headers.origin).toBe(APP);
    expect(seen!.headers["x-forwarded-host"]).toBe("edge.example");
    expect(seen!.headers["x-forwarded-proto"]).toBe("https");
    for (const name of ["x-forwarded-for", "forwarded", "proxy-authorization"])
      expect(seen!.headers[name], name).toBeUndefined();
  });

  it.each([
    ["an origin the policy refuses", "/socket", EVIL],
    ["an origin the route refuses", "/admin/socket", PARTNER],
    ["an origin the route refuses, on an ambiguous spelling", "/ADMIN/socket", PARTNER],
  ])("%s gets a 403 and the upstream never sees the handshake", async (_n, path, origin) => {
    const id = testId();
    const res = await layer(handshake(path, origin, { "x-test-id": id }));
    expect(res.status).toBe(403);
    expect(res.webSocket).toBeNull();
    expect(res.headers.get("vary")).toBe("Origin");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    await res.arrayBuffer();
    expect(await upstreamLog(id)).toEqual([]);
  });

  it("checkWebSocketOrigin: false lets any origin through", async () => {
    const open = createEdgeLayer({
      policy: { ...policy, checkWebSocketOrigin: false },
      upstream: upstreamUrl,
    });
    await expectWorkingSocket(await open(handshake("/socket", EVIL)));
  });

  it("the deployed Worker: allowed → socket, refused → 403", async () => {
    const vars = { CORS_POLICY: JSON.stringify(policy), UPSTREAM_URL: upstreamUrl };
    await expectWorkingSocket(await callWorker(handshake("/socket", APP), vars));
    const refused = await callWorker(handshake("/socket", EVIL), vars);
    expect(refused.status).toBe(403);
    await refused.arrayBuffer();
  });

  it("a handshake on a path that could leave the upstream prefix is a 400", async () => {
    const id = testId();
    const res = await layer(handshake("/..%2fsocket", APP, { "x-test-id": id }));
    expect(res.status).toBe(400);
    await res.arrayBuffer();
    expect(await upstreamLog(id)).toEqual([]);
  });
});

describe("a lone Upgrade header is an ordinary request (red team M2)", () => {
  it("proxied with the same header hygiene; a refused origin gets none of the upstream's CORS headers", async () => {
    const id = testId();
    const res = await layer(
      new Request(`${EDGE}/cors`, {
        headers: {
          upgrade: "websocket",
          origin: EVIL,
          "x-test-id": id,
          "x-forwarded-host": "evil.example",
          "x-forwarded-proto": "http",
          "proxy-authorization": "Basic Zm9vOmJhcg==",
        },
      }),
    );
    expect(res.status).toBe(200);
    const cors: string[] = [];
    for (const [name] of res.headers) if (name.startsWith("access-control-")) cors.push(name);
    expect(cors).toEqual([]);
    expect(res.headers.get("vary")).toContain("Origin");
    await res.arrayBuffer();
    const [seen] = await upstreamLog(id);
    expect(seen!.headers.upgrade).toBeUndefined();
    expect(seen!.headers["x-forwarded-host"]).toBe("edge.example");
    expect(seen!.headers["x-forwarded-proto"]).toBe("https");
    expect(seen!.headers["proxy-authorization"]).toBeUndefined();
  });

  it("a preflight carrying Upgrade: websocket is answered at the edge, never forwarded", async () => {
    const id = testId();
    const res = await layer(
      new Request(`${EDGE}/socket`, {
        method: "OPTIONS",
        headers: {
          upgrade: "websocket",
          connection: "Upgrade",
          origin: APP,
          "access-control-request-method": "GET",
          "x-test-id": id,
        },
      }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(await upstreamLog(id)).toEqual([]);
  });
});
