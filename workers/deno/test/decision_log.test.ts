/**
 * The Deno edge layer's decision log, black-box: the real `deno` binary runs `main.ts` in report
 * mode in front of an upstream on 127.0.0.1; the log is read from the child's stdout.
 */
import assert from "node:assert/strict";
import { freePort, type Layer, startLayer, startUpstream } from "./processes.ts";

const APP = "https://app.example.com";
const EVIL = "https://evil.example";
const POLICY = JSON.stringify({
  mode: "report",
  allowOrigins: [APP],
  allowMethods: ["PUT"],
  routes: [{ path: "/admin/*", allowOrigins: ["https://admin.example.com"] }],
});
const RUN_MAIN = ["run", "--allow-net", "--allow-env", "workers/deno/main.ts"];
const RATE = 3;
const TIME = /,"time":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"\}$/;

/** The JSON lines on the child's stdout (the listening line is not JSON). */
function jsonLines(layer: Layer): string[] {
  return layer
    .stdout()
    .split("\n")
    .filter((l) => l.startsWith("{"));
}

/** Waits (bounded) until stdout holds `n` JSON lines; returns them. */
async function waitForLines(layer: Layer, n: number): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  while (jsonLines(layer).length < n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return jsonLines(layer);
}

/** A decision line without its time, after checking the time is now-ish ISO 8601. */
function withoutTime(line: string): string {
  const m = TIME.exec(line);
  assert.ok(m, line);
  assert.ok(Math.abs(Date.parse(m[1]!) - Date.now()) < 60_000, line);
  return line.slice(0, m.index);
}

function preflight(origin: string, method = "PUT"): RequestInit {
  return {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method },
    signal: AbortSignal.timeout(10_000),
  };
}

const withOrigin = (origin: string, headers: Record<string, string> = {}): RequestInit => ({
  headers: { origin, ...headers },
  signal: AbortSignal.timeout(10_000),
});

Deno.test("deno run main.ts, mode report: refused decisions as JSON lines on stdout, responses untouched", async (t) => {
  const upstream = startUpstream(60);
  const port = freePort();
  const layer = await startLayer(RUN_MAIN, port, {
    PORT: String(port),
    CORS_POLICY: POLICY,
    UPSTREAM_URL: upstream.url,
    CORS_DECISION_LOG_RATE: String(RATE),
  });
  try {
    await t.step("a refused preflight: this exact line; the upstream answers it", async () => {
      const res = await fetch(`${layer.origin}/v1/items`, preflight(EVIL));
      assert.equal(res.status, 200);
      assert.equal(await res.text(), "upstream saw OPTIONS /v1/items");
      assert.equal(res.headers.get("access-control-allow-origin"), null);
      assert.equal(upstream.seen.at(-1)!.method, "OPTIONS");
      const lines = await waitForLines(layer, 1);
      assert.deepEqual(lines.map(withoutTime), [
        `{"event":"cors.decision","mode":"report","allowed":false,"kind":"preflight","origin":"${EVIL}","method":"PUT","path":"/v1/items","route":null,"refusal":"origin-not-allowed","reason":"Origin ${EVIL} is not allowed","fix":"add \\"${EVIL}\\" (or a pattern covering it) to allowOrigins"`,
      ]);
    });

    await t.step(
      "a refused actual request on a route: this exact line; headers as the upstream sent them",
      async () => {
        const res = await fetch(
          `${layer.origin}/admin/users?token=query-secret`,
          withOrigin(APP, { cookie: "s=cookie-secret", authorization: "Bearer auth-secret" }),
        );
        assert.equal(await res.text(), "upstream saw GET /admin/users");
        assert.equal(res.headers.get("x-upstream"), "1");
        assert.equal(res.headers.get("etag"), '"v1"');
        assert.equal(res.headers.get("vary"), null, "report mode adds no Vary");
        assert.equal(res.headers.get("access-control-allow-origin"), null);
        const lines = await waitForLines(layer, 2);
        assert.deepEqual(lines.slice(1).map(withoutTime), [
          `{"event":"cors.decision","mode":"report","allowed":false,"kind":"actual","origin":"${APP}","method":"GET","path":"/admin/users","route":"/admin/*","refusal":"origin-not-allowed","reason":"Origin ${APP} is not allowed","fix":"add \\"${APP}\\" (or a pattern covering it) to allowOrigins of route \\"/admin/*\\""`,
        ]);
        assert.doesNotMatch(layer.stdout(), /secret/);
      },
    );

    await t.step("allowed preflights and requests are not logged (and get no grants)", async () => {
      const pre = await fetch(`${layer.origin}/v1/items`, preflight(APP));
      assert.equal(await pre.text(), "upstream saw OPTIONS /v1/items");
      assert.equal(pre.headers.get("access-control-allow-origin"), null);
      const res = await fetch(`${layer.origin}/v1/items`, withOrigin(APP));
      assert.equal(await res.text(), "upstream saw GET /v1/items");
      const plain = await fetch(`${layer.origin}/v1/items`, {
        signal: AbortSignal.timeout(10_000),
      });
      await plain.body?.cancel();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(jsonLines(layer).length, 2);
    });

    await t.step(
      `a burst: at most ${RATE} lines a second, the rest in one summary line`,
      async () => {
        // A fresh window: the previous lines are over a second old by then.
        await new Promise((r) => setTimeout(r, 1100));
        const started = Date.now();
        const burst = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            fetch(`${layer.origin}/v1/items`, preflight(`https://caller${i}.example`)).then((r) =>
              r.text(),
            ),
          ),
        );
        const took = Date.now() - started;
        assert.equal(burst.length, 12);
        assert.ok(took < 900, `the burst took ${took} ms: not within one window`);
        await new Promise((r) => setTimeout(r, 1100));
        // The next decision (allowed, so never written itself) closes the window.
        await (await fetch(`${layer.origin}/v1/items`, withOrigin(APP))).text();
        const lines = (await waitForLines(layer, 2 + RATE + 1)).slice(2);
        assert.equal(lines.length, RATE + 1, lines.join("\n"));
        const records = lines.map((l) => JSON.parse(l));
        assert.deepEqual(
          records.slice(0, RATE).map((r) => r.event),
          Array(RATE).fill("cors.decision"),
        );
        const summary = records[RATE];
        assert.deepEqual(Object.keys(summary), ["event", "count", "refused", "since", "until"]);
        assert.equal(summary.event, "cors.decision.dropped");
        assert.equal(summary.count, 12 - RATE);
        assert.equal(summary.refused, 12 - RATE);
        assert.equal(Date.parse(summary.until) - Date.parse(summary.since), 1000);
      },
    );
  } finally {
    await layer.stop();
    await upstream.close();
  }
});

Deno.test("enforce mode, CORS_DECISION_LOG=all: allowed and refused lines; a bad value stops the start", async () => {
  const port = freePort();
  const layer = await startLayer(RUN_MAIN, port, {
    PORT: String(port),
    CORS_POLICY: JSON.stringify({ allowOrigins: [APP] }),
    CORS_DECISION_LOG: "all",
  });
  try {
    const refused = await fetch(`${layer.origin}/api/items`, preflight(EVIL, "GET"));
    await refused.body?.cancel();
    assert.equal(refused.status, 403, "enforce mode answers at the edge");
    const allowed = await fetch(`${layer.origin}/api/items`, preflight(APP, "GET"));
    await allowed.body?.cancel();
    assert.equal(allowed.status, 204);
    const records = (await waitForLines(layer, 2)).map((l) => JSON.parse(l));
    assert.deepEqual(
      records.map((r) => [r.mode, r.kind, r.origin, r.allowed]),
      [
        ["enforce", "preflight", EVIL, false],
        ["enforce", "preflight", APP, true],
      ],
    );
  } finally {
    await layer.stop();
  }
  const bad = await startLayer(RUN_MAIN, freePort(), {
    CORS_DECISION_LOG: "verbose",
  }).catch((e: Error) => e.message);
  assert.match(String(bad), /exited before listening/);
  assert.match(String(bad), /CORS_DECISION_LOG: must be "refused"/);
});
