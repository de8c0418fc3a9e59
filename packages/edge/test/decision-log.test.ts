/**
 * The decision log on the core's real decisions: a JSON policy compiled by the edge loader
 * with the log's observer, real Requests through `cors.handle`, lines captured from `write`,
 * the clock driven by the test.
 */
import { CorsConfigError } from "@edge-cors/core";
import { describe, expect, it } from "vitest";
import {
  clip,
  DecisionLog,
  type DecisionLogOptions,
  FIELD_LIMITS,
  loadEdgePolicy,
  readEdgeConfig,
} from "../src/index.ts";

const APP = "https://app.example.com";
const EVIL = "https://evil.example";
const API = "https://api.example.com";
const POLICY = {
  mode: "report",
  allowOrigins: [APP],
  allowMethods: ["PUT"],
  allowHeaders: ["Content-Type"],
  routes: [{ path: "/admin/*", allowOrigins: ["https://admin.example.com"] }],
};

const upstream = () => new Response("upstream", { headers: { "x-upstream": "1" } });

function preflight(origin: string, path = "/v1/items", method = "PUT", headers = {}): Request {
  return new Request(`${API}${path}`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, ...headers },
  });
}
const get = (origin: string | null, path = "/v1/items", headers: Record<string, string> = {}) =>
  new Request(`${API}${path}`, { headers: origin === null ? headers : { origin, ...headers } });

/** A policy compiled with a decision log whose lines land in `lines`, at a clock the test sets. */
function logged(policy: unknown, options: Omit<DecisionLogOptions, "write" | "now"> = {}) {
  const lines: string[] = [];
  const clock = { now: Date.UTC(2026, 11, 2, 10, 0, 0) };
  const log = new DecisionLog({ ...options, write: (l) => lines.push(l), now: () => clock.now });
  const loaded = loadEdgePolicy(policy, "CORS_POLICY", log);
  if (!loaded.ok) throw new CorsConfigError(loaded.issues);
  const handle = (request: Request) => loaded.cors.handle(request, upstream);
  return { lines, clock, handle, parsed: () => lines.map((l) => JSON.parse(l)) };
}

describe("decision lines", () => {
  it.each([
    {
      name: "refused preflight (origin)",
      request: preflight(EVIL),
      line: `{"event":"cors.decision","mode":"report","allowed":false,"kind":"preflight","origin":"${EVIL}","method":"PUT","path":"/v1/items","route":null,"refusal":"origin-not-allowed","reason":"Origin ${EVIL} is not allowed","fix":"add \\"${EVIL}\\" (or a pattern covering it) to allowOrigins","time":"2026-12-02T10:00:00.000Z"}`,
    },
    {
      name: "refused preflight (method), on a route",
      request: preflight("https://admin.example.com", "/admin/users", "DELETE"),
      line: `{"event":"cors.decision","mode":"report","allowed":false,"kind":"preflight","origin":"https://admin.example.com","method":"DELETE","path":"/admin/users","route":"/admin/*","refusal":"method-not-allowed","reason":"Access-Control-Request-Method DELETE is not in allowMethods of route \\"/admin/*\\"","fix":"add \\"DELETE\\" to allowMethods of route \\"/admin/*\\"","time":"2026-12-02T10:00:00.000Z"}`,
    },
    {
      name: "refused actual request, on a route",
      request: get(APP, "/admin/users"),
      line: `{"event":"cors.decision","mode":"report","allowed":false,"kind":"actual","origin":"${APP}","method":"GET","path":"/admin/users","route":"/admin/*","refusal":"origin-not-allowed","reason":"Origin ${APP} is not allowed","fix":"add \\"${APP}\\" (or a pattern covering it) to allowOrigins of route \\"/admin/*\\"","time":"2026-12-02T10:00:00.000Z"}`,
    },
    {
      name: "refused WebSocket handshake (logged as websocket)",
      request: new Request(`${API}/ws`, {
        headers: {
          origin: EVIL,
          connection: "Upgrade",
          upgrade: "websocket",
          "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
          "sec-websocket-version": "13",
        },
      }),
      line: `{"event":"cors.decision","mode":"report","allowed":false,"kind":"websocket","origin":"${EVIL}","method":"GET","path":"/ws","route":null,"refusal":"origin-not-allowed","reason":"Origin ${EVIL} is not allowed","fix":"add \\"${EVIL}\\" (or a pattern covering it) to allowOrigins","time":"2026-12-02T10:00:00.000Z"}`,
    },
    {
      name: 'Origin "null"',
      request: get("null"),
      line: `{"event":"cors.decision","mode":"report","allowed":false,"kind":"actual","origin":"null","method":"GET","path":"/v1/items","route":null,"refusal":"origin-null","reason":"Origin is \\"null\\" (a sandboxed iframe, data: URL, file: page or cross-origin redirect): it is never allowed, since anyone can produce it","fix":null,"time":"2026-12-02T10:00:00.000Z"}`,
    },
  ])("$name: exactly one line, exactly this", async ({ request, line }) => {
    const { lines, handle } = logged(POLICY);
    await handle(request);
    expect(lines).toEqual([line]);
  });

  it.each([
    ["an allowed preflight", preflight(APP)],
    ["an allowed actual request", get(APP)],
    ["a request without Origin", get(null)],
    [
      "a plain OPTIONS",
      new Request(`${API}/v1/items`, { method: "OPTIONS", headers: { origin: EVIL } }),
    ],
  ])("%s is not logged at the default level of report mode", async (_name, request) => {
    const { lines, handle } = logged(POLICY);
    await handle(request);
    expect(lines).toEqual([]);
  });

  it("level all logs allowed decisions too, never plain OPTIONS or requests without Origin", async () => {
    const { parsed, handle } = logged(POLICY, { level: "all" });
    await handle(preflight(APP));
    await handle(get(APP));
    await handle(get(null));
    await handle(new Request(`${API}/`, { method: "OPTIONS", headers: { origin: APP } }));
    expect(parsed().map((l) => [l.kind, l.allowed, l.refusal, l.reason])).toEqual([
      ["preflight", true, null, `Preflight for PUT from ${APP} allowed by allowOrigins`],
      [
        "actual",
        true,
        null,
        `Origin ${APP} allowed by allowOrigins: passed on, the response gets the grant headers`,
      ],
    ]);
  });

  it("no header value but Origin and the method, no query, no body: cookies and Authorization stay out", async () => {
    const { lines, handle } = logged(POLICY, { level: "all" });
    const secret = "Bearer s3cr3t-token";
    await handle(
      new Request(`${API}/v1/items?api_key=query-secret`, {
        method: "POST",
        headers: { origin: EVIL, authorization: secret, cookie: "session=cookie-secret" },
        body: "body-secret",
      }),
    );
    await handle(
      preflight(EVIL, "/v1/items?api_key=query-secret", "PUT", {
        "access-control-request-headers": "authorization",
        authorization: secret,
      }),
    );
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toMatch(/s3cr3t|cookie-secret|query-secret|body-secret/);
      expect(Object.keys(JSON.parse(line))).toEqual([
        "event",
        "mode",
        "allowed",
        "kind",
        "origin",
        "method",
        "path",
        "route",
        "refusal",
        "reason",
        "fix",
        "time",
      ]);
    }
  });
});

describe("attacker-controlled values stay inside one bounded line", () => {
  const long = `https://${"a".repeat(2000)}.example`;
  it.each([
    { name: "a 2 KB Origin", request: get(long) },
    { name: "an 8 KB path", request: get(EVIL, `/${"p".repeat(8000)}`) },
    { name: "a long method token", request: preflight(EVIL, "/x", "X".repeat(500)) },
    { name: "quotes and backslashes in Origin", request: get('https://x.example"},{"event":"x\\') },
    { name: "control bytes in Origin", request: get("https://x.example\u0001\u001b[31m\t") },
    { name: "Latin-1 bytes in Origin", request: get("https://\u00e9\u00ff.example") },
    {
      name: "a percent-encoded newline in the path",
      request: get(EVIL, '/a%0d%0a{"event":"cors.decision"}'),
    },
  ])("$name", async ({ request }) => {
    const { lines, handle } = logged(POLICY);
    await handle(request);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).not.toMatch(/[\n\r\u2028\u2029]/);
    const record = JSON.parse(line);
    expect(record.event).toBe("cors.decision");
    for (const [field, limit] of Object.entries(FIELD_LIMITS)) {
      const value = record[field];
      if (typeof value === "string") expect(value.length, field).toBeLessThanOrEqual(limit);
    }
    expect(line.length).toBeLessThan(3000);
  });

  it("a clipped value ends in … and never splits a surrogate pair", async () => {
    const { parsed, handle } = logged(POLICY);
    await handle(get(`https://${"a".repeat(2000)}.example`));
    const origin: string = parsed()[0].origin;
    expect(origin).toHaveLength(FIELD_LIMITS.origin);
    expect(origin.endsWith("…")).toBe(true);
    const emoji = `${"x".repeat(8)}\u{1F600}tail`; // the pair sits at 8-9
    expect(clip(emoji, 10)).toBe(`${"x".repeat(8)}…`);
    expect(clip(emoji, 11)).toBe(`${"x".repeat(8)}\u{1F600}…`);
  });
});

describe("the rate bound", () => {
  it("writes at most `rate` lines per window, counts the rest, summarises them once", async () => {
    const { lines, clock, handle, parsed } = logged(POLICY, { rate: 3 });
    for (let i = 0; i < 10; i++) await handle(get(`https://x${i}.example`));
    await handle(get(APP)); // allowed: neither written nor counted at level refused
    expect(lines).toHaveLength(3);
    clock.now += 999;
    await handle(get("https://late.example"));
    expect(lines).toHaveLength(3);
    clock.now += 1; // the next window: the summary comes first, then the line
    await handle(get("https://next.example"));
    expect(parsed().slice(3)).toEqual([
      {
        event: "cors.decision.dropped",
        count: 8,
        refused: 8,
        since: "2026-12-02T10:00:00.000Z",
        until: "2026-12-02T10:00:01.000Z",
      },
      expect.objectContaining({ origin: "https://next.example" }),
    ]);
  });

  it.each([
    ["without Origin", get(null)],
    ["allowed", get(APP)],
  ])("a later request closes the window, even one never logged (%s)", async (_name, later) => {
    const { lines, clock, handle, parsed } = logged(POLICY, { rate: 1 });
    await handle(get(EVIL));
    await handle(get(EVIL));
    clock.now += 5000;
    await handle(later);
    expect(lines).toHaveLength(2);
    expect(parsed()[1]).toMatchObject({ event: "cors.decision.dropped", count: 1, refused: 1 });
  });

  it("a quiet window writes no summary", async () => {
    const { parsed, clock, handle } = logged(POLICY, { rate: 5 });
    await handle(get(EVIL));
    clock.now += 2000;
    await handle(get(EVIL));
    expect(parsed().map((l) => l.event)).toEqual(["cors.decision", "cors.decision"]);
  });
});

describe("levels and modes", () => {
  const enforce = { ...POLICY, mode: "enforce" };
  it.each([
    { level: undefined, policy: POLICY, logged: 1 },
    { level: undefined, policy: enforce, logged: 0 },
    { level: "refused", policy: enforce, logged: 1 },
    { level: "all", policy: enforce, logged: 2 },
    { level: "off", policy: POLICY, logged: 0 },
  ] as const)(
    "level $level, mode $policy.mode: $logged line(s)",
    async ({ level, policy, logged: n }) => {
      const { lines, handle } = logged(policy, { level: level ?? null });
      await handle(get(EVIL));
      await handle(get(APP));
      expect(lines).toHaveLength(n);
    },
  );

  it("off, without metrics, gives the core no observer at all", () => {
    const log = new DecisionLog({ level: "off" });
    expect(log.observerFor("report")).toBeUndefined();
    expect(new DecisionLog().observerFor("enforce")).toBeUndefined();
    expect(new DecisionLog().observerFor("report")).toBeTypeOf("function");
  });

  it("report mode leaves the response untouched while logging", async () => {
    const { lines, handle } = logged(POLICY);
    const pre = await handle(preflight(EVIL));
    expect(pre.status).toBe(200);
    expect(await pre.text()).toBe("upstream");
    expect([...pre.headers]).toEqual([
      ["content-type", "text/plain;charset=UTF-8"],
      ["x-upstream", "1"],
    ]);
    expect(lines).toHaveLength(1);
  });
});

describe("metrics (Analytics Engine data points)", () => {
  it("every preflight, actual and WebSocket decision, whatever the level and the rate", async () => {
    const points: unknown[] = [];
    const { lines, handle } = logged(POLICY, {
      level: "off",
      analytics: { writeDataPoint: (p) => points.push(p) },
    });
    await handle(preflight(EVIL));
    await handle(get(APP, "/admin/users"));
    await handle(get(APP));
    await handle(get(null));
    expect(lines).toEqual([]);
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
  });

  it("the index is printable ASCII and at most 96 bytes", async () => {
    const points: Array<{ indexes: string[] }> = [];
    const { handle } = logged(POLICY, {
      analytics: { writeDataPoint: (p) => points.push(p as { indexes: string[] }) },
    });
    await handle(get(`https://\u00e9${"b".repeat(200)}.example`));
    expect(points[0]!.indexes[0]).toMatch(/^[\x20-\x7e]{96}$/);
  });

  it("a throwing binding costs neither the line nor the request", async () => {
    const { lines, handle } = logged(POLICY, {
      analytics: {
        writeDataPoint: () => {
          throw new Error("binding down");
        },
      },
    });
    const res = await handle(get(EVIL));
    expect(await res.text()).toBe("upstream");
    expect(lines).toHaveLength(1);
  });
});

describe("readEdgeConfig: CORS_DECISION_LOG, CORS_DECISION_LOG_RATE, CORS_ANALYTICS", () => {
  it.each([
    [{ CORS_DECISION_LOG: "ALL " }, "all", 100],
    [{ CORS_DECISION_LOG: "off", CORS_DECISION_LOG_RATE: "5" }, "off", 5],
    [{ CORS_DECISION_LOG_RATE: 250 }, null, 250],
    [{}, null, 100],
  ] as const)("%j → level %s, rate %d", (vars, level, rate) => {
    const config = readEdgeConfig({ CORS_POLICY: JSON.stringify(POLICY), ...vars });
    expect(config.decisionLog.level).toBe(level);
    expect(config.decisionLog.rate).toBe(rate);
  });

  it("refuses bad values, each with its code, next to the other variables' problems", () => {
    let error: unknown;
    try {
      readEdgeConfig({
        UPSTREAM_URL: "not a url",
        CORS_DECISION_LOG: "verbose",
        CORS_DECISION_LOG_RATE: "0",
        CORS_ANALYTICS: "a string",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorsConfigError);
    expect((error as CorsConfigError).issues.map((i) => [i.code, i.path])).toEqual([
      ["upstream-url-invalid", "UPSTREAM_URL"],
      ["decision-log-invalid", "CORS_DECISION_LOG"],
      ["decision-log-rate-invalid", "CORS_DECISION_LOG_RATE"],
      ["analytics-binding-invalid", "CORS_ANALYTICS"],
    ]);
  });

  it("the compiled policy tells the config's log (report mode: refused, on stdout)", async () => {
    const config = readEdgeConfig({ CORS_POLICY: JSON.stringify(POLICY) });
    const written: string[] = [];
    const original = console.log;
    console.log = (line: string) => written.push(line);
    try {
      await config.cors.handle(get(EVIL), upstream);
      await config.cors.handle(get(APP), upstream);
    } finally {
      console.log = original;
    }
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0]!)).toMatchObject({ origin: EVIL, allowed: false });
  });
});
