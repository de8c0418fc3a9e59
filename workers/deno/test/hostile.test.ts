/**
 * Hostile requests and broken upstreams through the real Deno layer: malformed Host headers
 * over raw HTTP against `deno run main.ts` (red team M4), upstream status lines no Response
 * can carry (L1), `Connection` lists naming protected headers (L5), the demo's statuses (L6).
 * Every answer is bounded in time and never a 5xx from the runtime.
 */
import assert from "node:assert/strict";
import { rawRequest } from "../../../packages/edge/test/support/raw-http.ts";
import { startRawUpstream } from "../../../packages/edge/test/support/raw-server.ts";
import { freePort, startLayer, startUpstream } from "./processes.ts";
import { serveLayer, startTestUpstream } from "./servers.ts";

const APP = "https://app.example.com";
const POLICY = JSON.stringify({ allowOrigins: [APP], allowCredentials: true });

Deno.test("deno run main.ts over raw HTTP: a malformed Host is a 400, never a 500, never forwarded (red team M4)", async (t) => {
  const upstream = startUpstream(200);
  const port = freePort();
  const layer = await startLayer(
    ["run", "--allow-net", "--allow-env", "workers/deno/main.ts"],
    port,
    {
      PORT: String(port),
      CORS_POLICY: POLICY,
      UPSTREAM_URL: `${upstream.url}/v1`,
    },
  );
  try {
    for (const [name, target, host] of [
      ["a Host that rewrites the path and query", "/other", "h\\admin\\users?"],
      ["a Host with a fragment", "/other", "h#"],
      ["an unclosed IPv6 literal (was an uncaught TypeError)", "/other", "[::1"],
      ["a Host with userinfo", "/other", "user@h"],
      ["a Host with a path", "/other", "h/admin"],
      ["a Host with a space", "/other", "h x"],
      ["an empty Host", "/other", ""],
      ["an absolute-form target with userinfo", "http://user@h/other", "h"],
    ] as const) {
      await t.step(name, async () => {
        const before = upstream.seen.length;
        const res = await rawRequest(port, `GET ${target} HTTP/1.1`, [
          ["Host", host],
          ["Origin", APP],
        ]);
        assert.equal(res.status, 400, res.body);
        assert.equal(JSON.parse(res.body).error, "bad_host");
        assert.equal(res.headers.get("access-control-allow-origin"), undefined);
        assert.equal(res.headers.get("vary"), "Origin");
        assert.equal(upstream.seen.length, before, "nothing reached the upstream");
      });
    }

    await t.step("a valid Host: forwarded to the prefix + the request's own path", async () => {
      const res = await rawRequest(port, "GET /other?x=1 HTTP/1.1", [
        ["Host", "edge.example:8443"],
        ["Origin", APP],
      ]);
      assert.equal(res.status, 200);
      assert.equal(res.body, "upstream saw GET /v1/other");
      const seen = upstream.seen.at(-1)!;
      assert.equal(new URL(seen.url).search, "?x=1");
      assert.equal(seen.headers.get("x-forwarded-host"), "edge.example:8443");
    });

    const long = (n: number, s: string) => s.repeat(n);
    for (const [name, line, headers, status] of [
      ["TRACE (fetch cannot send it)", "TRACE /x HTTP/1.1", [], 405],
      ["a 9000-character path", `GET /${long(9000, "a")} HTTP/1.1`, [], 400],
      ["5000 encoded dot-dot-slashes", `GET /${long(5000, "..%2f")}x HTTP/1.1`, [], 400],
      ["raw dot segments above the root", `GET ${long(500, "/..")}/x HTTP/1.1`, [], 200],
      ["a 60 kB header", "GET /x HTTP/1.1", [["X-Big", long(60_000, "b")]], 200],
      [
        "3000 names in Connection",
        "GET /x HTTP/1.1",
        [["Connection", Array.from({ length: 3000 }, (_, i) => `x-${i}`).join(", ")]],
        200,
      ],
      [
        "malformed names in Connection",
        "GET /x HTTP/1.1",
        [["Connection", '"a b", (x), @, ,x-ok']],
        200,
      ],
      [
        "a 10 kB Origin",
        "GET /x HTTP/1.1",
        [["Origin", `https://${long(10_000, "a")}.example`]],
        200,
      ],
    ] as const) {
      await t.step(`hostile: ${name} → ${status}, bounded`, async () => {
        const started = Date.now();
        const res = await rawRequest(port, line, [["Host", "edge.example"], ...headers]);
        assert.ok(Date.now() - started < 3000, "answered within 3 s");
        assert.equal(res.status, status, res.body.slice(0, 200));
      });
    }
  } finally {
    await layer.stop();
    await upstream.close();
  }
});

Deno.test("an upstream answering a status no Response can carry gets a readable 502 (red team L1)", async (t) => {
  const raw = await startRawUpstream();
  const layer = serveLayer({
    CORS_POLICY: POLICY,
    UPSTREAM_URL: raw.url,
    UPSTREAM_TIMEOUT_MS: "5000",
  });
  try {
    for (const path of [
      "/status/103",
      "/status/101",
      "/status/600",
      "/status/999",
      "/status/099",
      "/status/garbage",
    ]) {
      await t.step(path, async () => {
        const res = await fetch(`${layer.url}${path}`, {
          headers: { origin: APP },
          signal: AbortSignal.timeout(8000),
        });
        const body = await res.json();
        assert.equal(res.status, 502);
        assert.ok(
          ["upstream_invalid_response", "upstream_unavailable"].includes(body.error),
          body.error,
        );
        assert.equal(res.headers.get("access-control-allow-origin"), APP);
        assert.equal(res.headers.get("access-control-allow-credentials"), "true");
      });
    }
    for (const [path, status, text] of [
      ["/status/103-then-200", 200, "ok"],
      ["/status/205-with-body", 205, ""],
    ] as const) {
      await t.step(`${path}: ${status}`, async () => {
        const res = await fetch(`${layer.url}${path}`, {
          headers: { origin: APP },
          signal: AbortSignal.timeout(8000),
        });
        assert.equal(res.status, status);
        assert.equal(await res.text(), text);
        assert.equal(res.headers.get("access-control-allow-origin"), APP);
      });
    }
  } finally {
    await layer.close();
    await raw.stop();
  }
});

Deno.test("Connection cannot strip protected headers, in either direction (red team L5)", async (t) => {
  const upstream = startTestUpstream();
  const raw = await startRawUpstream();
  const layer = serveLayer({ CORS_POLICY: POLICY, UPSTREAM_URL: upstream.url });
  try {
    await t.step(
      "client → upstream: Origin and the layer's forwarding headers survive",
      async () => {
        const id = crypto.randomUUID();
        const res = await rawRequest(layer.port, "GET /echo HTTP/1.1", [
          ["Host", "edge.example"],
          ["Origin", APP],
          ["Connection", "x-forwarded-for, x-real-ip, origin, x-forwarded-host, x-hop"],
          ["X-Hop", "1"],
          ["X-Forwarded-For", "203.0.113.9"],
          ["x-test-id", id],
        ]);
        assert.equal(res.status, 200);
        const [seen] = upstream.seen(id);
        assert.equal(seen!.headers.origin, APP);
        assert.equal(seen!.headers["x-forwarded-host"], "edge.example");
        assert.equal(seen!.headers["x-hop"], undefined);
        assert.equal(seen!.headers["x-forwarded-for"], undefined);
      },
    );
    for (const [mode, origin, acao] of [
      ["replace", "https://evil.example", null],
      ["merge", "https://evil.example", "*"],
      ["replace", APP, APP],
    ] as const) {
      await t.step(
        `upstream → client (${mode}, ${origin}): Vary and CORS headers survive`,
        async () => {
          const l = serveLayer({
            CORS_POLICY: POLICY,
            UPSTREAM_URL: raw.url,
            CORS_UPSTREAM_HEADERS: mode,
          });
          try {
            const res = await fetch(`${l.url}/connection-names-end-to-end`, {
              headers: { origin },
              signal: AbortSignal.timeout(5000),
            });
            await res.body?.cancel();
            assert.equal(res.headers.get("vary"), "Accept-Encoding, Origin");
            assert.equal(res.headers.get("access-control-allow-origin"), acao);
            assert.equal(res.headers.get("x-hop"), null);
          } finally {
            await l.close();
          }
        },
      );
    }
  } finally {
    await layer.close();
    await raw.stop();
    await upstream.close();
  }
});

Deno.test("the demo upstream answers every status it offers, 200-599 (red team L6)", async () => {
  const dev = "http://localhost:5173";
  const layer = serveLayer({});
  const wrong: string[] = [];
  try {
    for (let code = 200; code <= 599; code++) {
      const res = await fetch(`${layer.url}/status/${code}`, {
        headers: { origin: dev },
        redirect: "manual",
        signal: AbortSignal.timeout(5000),
      });
      const body = await res.text();
      if (res.status !== code) wrong.push(`${code}: got ${res.status} ${body}`);
      else if (res.headers.get("access-control-allow-origin") !== dev)
        wrong.push(`${code}: no grant`);
    }
  } finally {
    await layer.close();
  }
  assert.deepEqual(wrong, []);
});
