/**
 * Black-box tests of the Deno edge layer: the real `deno` binary runs `main.ts` (and `app.ts`
 * under `deno serve`) as a subprocess in front of an upstream this test starts on 127.0.0.1.
 */
import assert from "node:assert/strict";
import {
  BIG_BODY,
  childEnv,
  freePort,
  REPO_ROOT,
  startLayer,
  startUpstream,
  WORKER_DIR,
} from "./processes.ts";

const APP = "https://app.example.com";
const POLICY = JSON.stringify({
  allowOrigins: [APP],
  allowMethods: ["PUT"],
  exposeHeaders: ["ETag"],
});
/** The acceptance command, from the repository root. */
const RUN_MAIN = ["run", "--allow-net", "--allow-env", "workers/deno/main.ts"];

function preflight(
  origin: string,
  method = "PUT",
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, ...headers },
    signal: AbortSignal.timeout(10_000),
  };
}

function withOrigin(init: RequestInit = {}, origin = APP): RequestInit {
  return {
    ...init,
    headers: { origin, ...(init.headers as Record<string, string>) },
    signal: AbortSignal.timeout(10_000),
  };
}

function varyTokens(res: Response): string[] {
  return (res.headers.get("vary") ?? "").split(",").map((t) => t.trim().toLowerCase());
}

Deno.test("deno run main.ts: preflight at the edge, GET proxied, 504 and 502 with CORS headers", async (t) => {
  const upstream = startUpstream(50, 5_000);
  const port = freePort();
  const layer = await startLayer(RUN_MAIN, port, {
    PORT: String(port),
    CORS_POLICY: POLICY,
    UPSTREAM_URL: upstream.url,
    UPSTREAM_TIMEOUT_MS: "500",
  });
  let upstreamClosed = false;
  try {
    await t.step("listens on 127.0.0.1:PORT and says what it serves", () => {
      assert.match(layer.output(), new RegExp(`listening on http://127\\.0\\.0\\.1:${port}/`));
      assert.match(layer.output(), /policy: CORS_POLICY; upstream: http:\/\/127\.0\.0\.1:\d+\//);
    });

    await t.step("a preflight from the allowed origin is answered locally", async () => {
      const res = await fetch(`${layer.origin}/api/items/1`, preflight(APP));
      await res.body?.cancel();
      assert.equal(res.status, 204);
      assert.equal(res.headers.get("access-control-allow-origin"), APP);
      assert.equal(res.headers.get("access-control-allow-methods"), "PUT");
      assert.ok(varyTokens(res).includes("origin"));
      assert.equal(upstream.seen.length, 0, "the upstream never sees a preflight");
    });

    await t.step("a preflight from another origin is refused, locally", async () => {
      for (const origin of [
        "https://evil.example",
        "null",
        "https://app.example.com.evil.example",
      ]) {
        const res = await fetch(`${layer.origin}/api/items/1`, preflight(origin));
        await res.body?.cancel();
        assert.equal(res.status, 403, origin);
        assert.equal(res.headers.get("access-control-allow-origin"), null, origin);
        assert.equal(res.headers.get("access-control-allow-methods"), null, origin);
      }
      const res = await fetch(`${layer.origin}/api/items/1`, preflight(APP, "DELETE"));
      await res.body?.cancel();
      assert.equal(res.status, 403, "a method the policy does not grant");
      assert.equal(upstream.seen.length, 0);
    });

    await t.step("GET is proxied (path and query kept) and gets the CORS headers", async () => {
      const res = await fetch(`${layer.origin}/api/items?page=2`, withOrigin());
      assert.equal(res.status, 200);
      assert.equal(await res.text(), "upstream saw GET /api/items");
      assert.equal(res.headers.get("access-control-allow-origin"), APP);
      assert.equal(res.headers.get("access-control-expose-headers"), "etag");
      assert.equal(res.headers.get("x-upstream"), "1");
      assert.ok(varyTokens(res).includes("origin"));
      assert.equal(upstream.seen.length, 1);
      const seen = upstream.seen[0]!;
      assert.equal(new URL(seen.url).pathname + new URL(seen.url).search, "/api/items?page=2");
      assert.equal(seen.headers.get("origin"), APP, "Origin reaches the upstream");
      assert.equal(seen.headers.get("x-forwarded-host"), `127.0.0.1:${port}`);
    });

    await t.step("a GET from another origin is proxied without grants", async () => {
      const res = await fetch(`${layer.origin}/api/items`, withOrigin({}, "https://evil.example"));
      assert.equal(await res.text(), "upstream saw GET /api/items");
      assert.equal(res.headers.get("access-control-allow-origin"), null);
      assert.ok(varyTokens(res).includes("origin"));
    });

    await t.step("PUT streams its body to the upstream", async () => {
      const body = "x".repeat(100_000);
      const res = await fetch(`${layer.origin}/api/items/1`, withOrigin({ method: "PUT", body }));
      assert.equal(await res.text(), "upstream saw PUT /api/items/1");
      assert.equal(res.headers.get("access-control-allow-origin"), APP);
      assert.equal(upstream.seen.at(-1)!.method, "PUT");
    });

    await t.step("a large compressed upstream body arrives intact", async () => {
      const res = await fetch(
        `${layer.origin}/big`,
        withOrigin({ headers: { "accept-encoding": "gzip" } }),
      );
      assert.equal(res.status, 200);
      assert.equal(await res.text(), BIG_BODY);
      assert.equal(res.headers.get("access-control-allow-origin"), APP);
    });

    await t.step(
      "an upstream slower than UPSTREAM_TIMEOUT_MS gives 504 with CORS headers",
      async () => {
        const started = Date.now();
        const res = await fetch(`${layer.origin}/slow`, withOrigin());
        const body = await res.json();
        assert.equal(res.status, 504);
        assert.equal(body.error, "upstream_timeout");
        assert.ok(
          Date.now() - started < 4_000,
          "answered at the deadline, not when the upstream did",
        );
        assert.equal(res.headers.get("access-control-allow-origin"), APP);
        assert.ok(varyTokens(res).includes("origin"));
      },
    );

    await t.step(
      "upstream down: 502 with CORS headers, so the browser app can read it",
      async () => {
        await upstream.close();
        upstreamClosed = true;
        const res = await fetch(`${layer.origin}/api/items`, withOrigin());
        const body = await res.json();
        assert.equal(res.status, 502);
        assert.equal(body.error, "upstream_unavailable");
        assert.equal(res.headers.get("access-control-allow-origin"), APP);
        assert.ok(varyTokens(res).includes("origin"));
        const pre = await fetch(`${layer.origin}/api/items`, preflight(APP));
        await pre.body?.cancel();
        assert.equal(pre.status, 204, "preflights still answered with the upstream down");
      },
    );

    await t.step("SIGTERM drains and exits cleanly", async () => {
      const status = await layer.stop();
      assert.equal(status.success, true, layer.output());
    });
  } finally {
    await layer.stop();
    if (!upstreamClosed) await upstream.close();
  }
  assert.ok(upstream.seen.length <= 50);
});

Deno.test("unset CORS_POLICY and UPSTREAM_URL: embedded default policy and demo upstream", async () => {
  const port = freePort();
  const layer = await startLayer(RUN_MAIN, port, { PORT: String(port) });
  try {
    assert.match(layer.output(), /embedded default policy.*built-in demo upstream/);
    const dev = "http://localhost:5173";
    const pre = await fetch(
      `${layer.origin}/api/items/1`,
      preflight(dev, "PATCH", { "access-control-request-headers": "content-type" }),
    );
    await pre.body?.cancel();
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), dev);
    const res = await fetch(`${layer.origin}/api/items`, withOrigin({}, dev));
    const items = await res.json();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-demo-upstream"), "1");
    assert.equal(res.headers.get("access-control-allow-origin"), dev);
    assert.ok(Array.isArray(items));
    const other = await fetch(`${layer.origin}/api/items`, preflight(APP));
    await other.body?.cancel();
    assert.equal(other.status, 403, "the default policy admits local front ends only");
  } finally {
    await layer.stop();
  }
});

Deno.test("deno serve app.ts (export default { fetch }), resolved through workers/deno/deno.json only", async () => {
  const upstream = startUpstream(10);
  const port = freePort();
  const layer = await startLayer(
    [
      "serve",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--allow-net",
      "--allow-env",
      "app.ts",
    ],
    port,
    // No package.json, no node_modules: the import map alone, as on Deno Deploy.
    { CORS_POLICY: POLICY, UPSTREAM_URL: upstream.url, DENO_NO_PACKAGE_JSON: "1" },
    WORKER_DIR,
  );
  try {
    const pre = await fetch(`${layer.origin}/api/items`, preflight(APP));
    await pre.body?.cancel();
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), APP);
    const res = await fetch(`${layer.origin}/api/items`, withOrigin());
    assert.equal(await res.text(), "upstream saw GET /api/items");
    assert.equal(res.headers.get("access-control-allow-origin"), APP);
    assert.equal(upstream.seen.length, 1, "only the GET reached the upstream");
  } finally {
    await layer.stop();
    await upstream.close();
  }
});

Deno.test("bad configuration stops the process before it listens, naming every problem", async (t) => {
  const cases: { name: string; env: Record<string, string>; expect: RegExp[] }[] = [
    {
      name: "* with credentials",
      env: { CORS_POLICY: '{"allowOrigins":"*","allowCredentials":true}' },
      expect: [/CORS_POLICY/, /credentials/i],
    },
    {
      name: "trusting null",
      env: { CORS_POLICY: '{"allowOrigins":["null"]}' },
      expect: [/CORS_POLICY\.allowOrigins\[0\]/],
    },
    { name: "not JSON", env: { CORS_POLICY: "{allowOrigins:" }, expect: [/CORS_POLICY/, /JSON/] },
    {
      name: "several variables wrong at once",
      env: { UPSTREAM_URL: "ftp://example.com", UPSTREAM_TIMEOUT_MS: "-1" },
      expect: [/UPSTREAM_URL/, /UPSTREAM_TIMEOUT_MS/],
    },
    { name: "PORT not a number", env: { PORT: "eighty" }, expect: [/PORT/] },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: RUN_MAIN,
        cwd: REPO_ROOT,
        env: childEnv({ PORT: String(freePort()), ...c.env }),
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(20_000),
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 1, text);
      assert.doesNotMatch(text, /listening on/);
      for (const re of c.expect) assert.match(text, re);
    });
  }
});
