/**
 * Real WebSocket upgrades through the real Deno layer (red team M2): the handshake's Origin is
 * checked by the policy (403, never forwarded), an allowed one becomes a working socket to the
 * upstream, relayed both ways, with the layer's forwarding headers only.
 */
import assert from "node:assert/strict";
import { freePort, startLayer } from "./processes.ts";
import { type Served, serveLayer, startTestUpstream, type TestUpstream } from "./servers.ts";

const APP = "https://app.example.com";
const PARTNER = "https://partner.example.net";
const EVIL = "https://evil.example";
const POLICY = {
  allowOrigins: [APP, PARTNER],
  routes: [{ path: "/admin/*", allowOrigins: [APP] }],
};

/** Deno's WebSocket client takes headers and protocols as an extension of the standard one. */
function connect(url: string, headers: Record<string, string>, protocols: string[] = []) {
  const Client = WebSocket as unknown as new (
    url: string,
    options: { headers: Record<string, string>; protocols: string[] },
  ) => WebSocket;
  return new Client(url, { headers, protocols });
}

function next(ws: WebSocket, event: "open" | "message" | "close" | "error"): Promise<Event> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event} within 5 s`)), 5000);
    ws.addEventListener(
      event,
      (e) => {
        clearTimeout(t);
        resolve(e);
      },
      { once: true },
    );
  });
}

/** Opens a socket through the layer and checks both directions and the close. */
async function expectWorkingSocket(
  url: string,
  headers: Record<string, string>,
  protocols?: string[],
) {
  const ws = connect(url, headers, protocols);
  const hello = next(ws, "message");
  await next(ws, "open");
  assert.equal(((await hello) as MessageEvent).data, "hello from upstream");
  const echo = next(ws, "message");
  ws.send("ping");
  assert.equal(((await echo) as MessageEvent).data, "echo: ping");
  const closed = next(ws, "close");
  ws.close(1000, "done");
  await closed;
  return ws;
}

/** The handshake as fetch sends it, to see the layer's HTTP answer. */
async function handshakeStatus(origin: string, path: string, extra: Record<string, string> = {}) {
  const res = await fetch(origin + path, {
    headers: {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      "sec-websocket-version": "13",
      ...extra,
    },
    signal: AbortSignal.timeout(5000),
  });
  await res.body?.cancel();
  return res;
}

Deno.test("WebSocket handshakes through the Deno layer", async (t) => {
  const upstream: TestUpstream = startTestUpstream();
  const layer: Served = serveLayer({
    CORS_POLICY: JSON.stringify(POLICY),
    UPSTREAM_URL: upstream.url,
  });
  const open: Served = serveLayer({
    CORS_POLICY: JSON.stringify({ ...POLICY, checkWebSocketOrigin: false }),
    UPSTREAM_URL: upstream.url,
  });
  const ws = layer.url.replace("http:", "ws:");
  try {
    await t.step(
      "allowed origin: a working socket; the upstream sees the canonical path, the client's Origin and sub-protocol, and the layer's forwarding headers only",
      async () => {
        const id = crypto.randomUUID();
        const socket = await expectWorkingSocket(
          `${ws}/%73ocket//room?n=1`,
          {
            origin: APP,
            "x-test-id": id,
            "x-forwarded-host": "evil.example",
            "x-forwarded-proto": "http",
            "x-forwarded-for": "203.0.113.9",
            forwarded: "for=203.0.113.9",
            "proxy-authorization": "Basic Zm9vOmJhcg==",
          },
          ["chat.v2", "chat.v1"],
        );
        assert.equal(socket.protocol, "chat.v2");
        const [seen] = upstream.seen(id);
        assert.ok(seen, "the upstream saw the handshake");
        assert.equal(new URL(seen.url).pathname + new URL(seen.url).search, "/socket/room?n=1");
        assert.equal(seen.headers.origin, APP);
        assert.equal(seen.headers["x-forwarded-host"], layer.url.slice("http://".length));
        assert.equal(seen.headers["x-forwarded-proto"], "http");
        for (const name of ["x-forwarded-for", "forwarded", "proxy-authorization"])
          assert.equal(seen.headers[name], undefined, name);
      },
    );

    for (const [name, path, origin] of [
      ["an origin the policy refuses", "/socket", EVIL],
      ["an origin the route refuses", "/admin/socket", PARTNER],
      ["an origin the route refuses, on an ambiguous spelling", "/ADMIN/socket", PARTNER],
    ] as const) {
      await t.step(`${name}: 403, and the upstream never sees the handshake`, async () => {
        const id = crypto.randomUUID();
        const res = await handshakeStatus(layer.url, path, { origin, "x-test-id": id });
        assert.equal(res.status, 403);
        assert.equal(res.headers.get("vary"), "Origin");
        const socket = connect(`${ws}${path}`, { origin, "x-test-id": id });
        await next(socket, "error");
        assert.deepEqual(upstream.seen(id), []);
      });
    }

    await t.step("checkWebSocketOrigin: false lets any origin through", async () => {
      await expectWorkingSocket(`${open.url.replace("http:", "ws:")}/socket`, { origin: EVIL });
    });

    await t.step(
      "a lone Upgrade header is an ordinary request: proxied, cleaned, no grant",
      async () => {
        const id = crypto.randomUUID();
        const res = await fetch(`${layer.url}/echo`, {
          headers: {
            upgrade: "websocket",
            origin: EVIL,
            "x-test-id": id,
            "x-forwarded-host": "evil",
          },
          signal: AbortSignal.timeout(5000),
        });
        assert.equal(res.status, 200);
        await res.body?.cancel();
        assert.equal(res.headers.get("access-control-allow-origin"), null);
        const [seen] = upstream.seen(id);
        assert.equal(seen!.headers.upgrade, undefined);
        assert.notEqual(seen!.headers["x-forwarded-host"], "evil");
      },
    );

    await t.step(
      "an upstream that refuses the upgrade: a 502, never a 5xx from the runtime",
      async () => {
        const res = await handshakeStatus(layer.url, "/socket", {
          origin: APP,
          "x-test-app": JSON.stringify({ status: 401 }),
        });
        assert.equal(res.status, 502);
      },
    );
  } finally {
    await Promise.all([layer.close(), open.close()]);
    await upstream.close();
  }
});

Deno.test("deno run main.ts: a WebSocket through the real binary, refused and allowed", async () => {
  const upstream = startTestUpstream();
  const port = freePort();
  const layer = await startLayer(
    ["run", "--allow-net", "--allow-env", "workers/deno/main.ts"],
    port,
    {
      PORT: String(port),
      CORS_POLICY: JSON.stringify(POLICY),
      UPSTREAM_URL: upstream.url,
    },
  );
  try {
    await expectWorkingSocket(`ws://127.0.0.1:${port}/socket`, { origin: APP });
    const id = crypto.randomUUID();
    const refused = await handshakeStatus(layer.origin, "/socket", {
      origin: EVIL,
      "x-test-id": id,
    });
    assert.equal(refused.status, 403);
    assert.deepEqual(upstream.seen(id), []);
  } finally {
    await layer.stop();
    await upstream.close();
  }
});
