/**
 * The deployed Worker's decision log, in workerd: the Worker's own `fetch` with report-mode
 * vars in front of the real 127.0.0.1 upstream; its stdout is `console.log`, captured here.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { callWorker, EDGE, testId, upstreamLog, upstreamUrl, workerWith } from "./helpers.ts";

const APP = "https://app.example.com";
const EVIL = "https://evil.example";
const REPORT_POLICY = JSON.stringify({
  mode: "report",
  allowOrigins: [APP],
  allowMethods: ["PUT"],
  routes: [{ path: "/admin/*", allowOrigins: ["https://admin.example.com"] }],
});
const REPORT = { CORS_POLICY: REPORT_POLICY, UPSTREAM_URL: upstreamUrl };
/** What the upstream answers (x-test-app): its own headers, a Vary of its own. */
const APP_ANSWER = JSON.stringify({
  status: 200,
  headers: { "x-own": "kept", vary: "Accept-Encoding", "cache-control": "private" },
});

let stdout: string[] = [];
beforeEach(() => {
  stdout = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    stdout.push(args.map(String).join(" "));
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The decision lines written, with the time (the isolate's clock) checked and taken out. */
function decisionLines(): string[] {
  return stdout.map((line) => {
    const m = /,"time":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"\}$/.exec(line);
    expect(m, line).not.toBeNull();
    expect(Math.abs(Date.parse(m![1]!) - Date.now())).toBeLessThan(60_000);
    return line.slice(0, m!.index);
  });
}

function preflight(origin: string, path: string, method: string, id: string): Request {
  return new Request(`${EDGE}${path}`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, "x-test-id": id },
  });
}

function actual(origin: string, path: string, id: string, headers = {}): Request {
  return new Request(`${EDGE}${path}`, {
    headers: { origin, "x-test-id": id, "x-test-app": APP_ANSWER, ...headers },
  });
}

/** Per-hop headers: the proxy's business (RFC 9110 §7.6.1), not CORS's. */
const PER_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
]);

/** Status, end-to-end headers (no Date) and body: what the browser gets. */
async function seen(res: Response) {
  const headers = [...res.headers].filter(([name]) => name !== "date" && !PER_HOP.has(name));
  return { status: res.status, headers, body: await res.text() };
}

describe("CORS_POLICY in report mode: the Worker logs refused decisions on stdout", () => {
  it("a refused preflight: one exact line, and the preflight goes to the upstream untouched", async () => {
    const id = testId();
    const res = await callWorker(preflight(EVIL, "/v1/items", "PUT", id), REPORT);
    expect(res.status).toBe(404); // the upstream's own answer for OPTIONS /v1/items
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    await res.arrayBuffer();
    expect((await upstreamLog(id)).map((r) => r.method)).toEqual(["OPTIONS"]);
    expect(decisionLines()).toEqual([
      `{"event":"cors.decision","mode":"report","allowed":false,"kind":"preflight","origin":"${EVIL}","method":"PUT","path":"/v1/items","route":null,"refusal":"origin-not-allowed","reason":"Origin ${EVIL} is not allowed","fix":"add \\"${EVIL}\\" (or a pattern covering it) to allowOrigins"`,
    ]);
  });

  it("a refused actual request on a route: one exact line, the upstream's response as it was", async () => {
    const id = testId();
    const res = await callWorker(actual(APP, "/admin/users?token=secret", id), REPORT);
    const direct = await fetch(`${upstreamUrl}/admin/users`, {
      headers: { origin: APP, "x-test-app": APP_ANSWER },
    });
    expect(await seen(res)).toEqual(await seen(direct));
    expect(decisionLines()).toEqual([
      `{"event":"cors.decision","mode":"report","allowed":false,"kind":"actual","origin":"${APP}","method":"GET","path":"/admin/users","route":"/admin/*","refusal":"origin-not-allowed","reason":"Origin ${APP} is not allowed","fix":"add \\"${APP}\\" (or a pattern covering it) to allowOrigins of route \\"/admin/*\\""`,
    ]);
  });

  it("a refused method: the line names it and the fix", async () => {
    const res = await callWorker(preflight(APP, "/v1/items", "DELETE", testId()), REPORT);
    await res.arrayBuffer();
    expect(decisionLines()).toEqual([
      `{"event":"cors.decision","mode":"report","allowed":false,"kind":"preflight","origin":"${APP}","method":"DELETE","path":"/v1/items","route":null,"refusal":"method-not-allowed","reason":"Access-Control-Request-Method DELETE is not in allowMethods","fix":"add \\"DELETE\\" to allowMethods"`,
    ]);
  });

  it("allowed decisions are not logged by default, and get no grant headers either (report mode)", async () => {
    const id = testId();
    const pre = await callWorker(preflight(APP, "/v1/items", "PUT", id), REPORT);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    await pre.arrayBuffer();
    const res = await callWorker(actual(APP, "/v1/items", id), REPORT);
    const direct = await fetch(`${upstreamUrl}/v1/items`, {
      headers: { origin: APP, "x-test-app": APP_ANSWER },
    });
    expect(await seen(res)).toEqual(await seen(direct));
    expect((await upstreamLog(id)).map((r) => r.method)).toEqual(["OPTIONS", "GET"]);
    expect(stdout).toEqual([]);
  });

  it("nothing secret in a line: no cookie, Authorization, query or body", async () => {
    const res = await callWorker(
      new Request(`${EDGE}/echo?api_key=query-secret`, {
        method: "POST",
        headers: {
          origin: EVIL,
          authorization: "Bearer auth-secret",
          cookie: "session=cookie-secret",
        },
        body: "body-secret",
      }),
      REPORT,
    );
    await res.arrayBuffer();
    expect(stdout).toHaveLength(1);
    expect(stdout[0]).not.toMatch(/secret/);
  });

  it("CORS_DECISION_LOG=all logs allowed decisions too", async () => {
    const res = await callWorker(actual(APP, "/v1/items", testId()), {
      ...REPORT,
      CORS_DECISION_LOG: "all",
    });
    await res.arrayBuffer();
    expect(decisionLines()).toEqual([
      `{"event":"cors.decision","mode":"report","allowed":true,"kind":"actual","origin":"${APP}","method":"GET","path":"/v1/items","route":null,"refusal":null,"reason":"Origin ${APP} allowed by allowOrigins: passed on, the response gets the grant headers","fix":null`,
    ]);
  });

  it("enforce mode logs nothing unless CORS_DECISION_LOG asks", async () => {
    const enforce = { ...REPORT, CORS_POLICY: JSON.stringify({ allowOrigins: [APP] }) };
    const quiet = await callWorker(preflight(EVIL, "/v1/items", "PUT", testId()), enforce);
    expect(quiet.status).toBe(403);
    expect(stdout).toEqual([]);
    const loud = await callWorker(preflight(EVIL, "/v1/items", "PUT", testId()), {
      ...enforce,
      CORS_DECISION_LOG: "refused",
    });
    expect(loud.status).toBe(403);
    expect(decisionLines()).toEqual([
      `{"event":"cors.decision","mode":"enforce","allowed":false,"kind":"preflight","origin":"${EVIL}","method":"PUT","path":"/v1/items","route":null,"refusal":"origin-not-allowed","reason":"Origin ${EVIL} is not allowed","fix":"add \\"${EVIL}\\" (or a pattern covering it) to allowOrigins"`,
    ]);
  });

  it("an invalid CORS_DECISION_LOG refuses the configuration (500), naming the variable", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((m: string) => errors.push(m));
    const res = await callWorker(new Request(`${EDGE}/`), { ...REPORT, CORS_DECISION_LOG: "loud" });
    expect(res.status).toBe(500);
    expect(errors.join("\n")).toMatch(/CORS_DECISION_LOG: must be "refused"/);
  });
});

describe("the rate bound (CORS_DECISION_LOG_RATE, per isolate)", () => {
  it("a burst within one window writes `rate` lines, then one summary line counts the rest", async () => {
    // Enforce-mode preflights are answered in the Worker with no I/O, so the whole burst falls
    // within one window of the isolate clock (in workerd Date.now() only advances with I/O).
    const call = workerWith({
      CORS_POLICY: JSON.stringify({ allowOrigins: [APP] }),
      CORS_DECISION_LOG: "refused",
      CORS_DECISION_LOG_RATE: "5",
    });
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(preflight(`https://caller${i}.example`, "/v1/items", "PUT", "burst")),
      ),
    );
    expect(burst.map((r) => r.status)).toEqual(Array(40).fill(403));
    expect(stdout).toHaveLength(5);
    // After the window, the next decision (any request) writes the summary first.
    await new Promise((r) => setTimeout(r, 1100));
    const after = await call(preflight(APP, "/v1/items", "GET", "after"));
    expect(after.status).toBe(204);
    expect(stdout).toHaveLength(6);
    const summary = JSON.parse(stdout[5]!);
    expect(summary).toEqual({
      event: "cors.decision.dropped",
      count: 35,
      refused: 35,
      since: expect.any(String),
      until: expect.any(String),
    });
    expect(Date.parse(summary.until) - Date.parse(summary.since)).toBe(1000);
    expect(stdout.slice(0, 5).map((l) => JSON.parse(l).origin)).toEqual(
      Array.from({ length: 5 }, (_, i) => `https://caller${i}.example`),
    );
  });
});

describe("policies hot-reloaded from KV log too", () => {
  it("a report-mode policy put into KV logs its refusals", async () => {
    const key = `policy-${testId()}`;
    await env.CORS_KV.put(key, REPORT_POLICY);
    const res = await callWorker(preflight(EVIL, "/v1/items", "PUT", testId()), {
      CORS_POLICY: JSON.stringify({ allowOrigins: [APP] }),
      UPSTREAM_URL: upstreamUrl,
      CORS_POLICY_KV_KEY: key,
    });
    expect(res.status).toBe(404); // report mode: the upstream answered the preflight
    await res.arrayBuffer();
    expect(stdout.map((l) => JSON.parse(l))).toMatchObject([
      { event: "cors.decision", mode: "report", origin: EVIL, refusal: "origin-not-allowed" },
    ]);
    await env.CORS_KV.delete(key);
  });
});

describe("CORS_ANALYTICS: every decision as a data point", () => {
  it("allowed and refused, logged or not; requests without Origin are not decisions", async () => {
    const points: AnalyticsEngineDataPoint[] = [];
    const CORS_ANALYTICS: AnalyticsEngineDataset = {
      writeDataPoint: (p?: AnalyticsEngineDataPoint) => void points.push(p!),
    };
    const vars = { ...REPORT, CORS_ANALYTICS };
    for (const request of [
      preflight(EVIL, "/v1/items", "PUT", testId()),
      actual(APP, "/admin/users", testId()),
      actual(APP, "/v1/items", testId()),
      new Request(`${EDGE}/v1/items`),
    ]) {
      await (await callWorker(request, vars)).arrayBuffer();
    }
    expect(points).toEqual([
      {
        indexes: [EVIL],
        blobs: [EVIL, "preflight", "refused", "origin-not-allowed", "", "report"],
        doubles: [1, 0],
      },
      {
        indexes: [APP],
        blobs: [APP, "actual", "refused", "origin-not-allowed", "/admin/*", "report"],
        doubles: [1, 0],
      },
      { indexes: [APP], blobs: [APP, "actual", "allowed", "", "", "report"], doubles: [1, 1] },
    ]);
    expect(stdout).toHaveLength(2); // the log still holds the refused ones only
  });
});
