import { describe, expect, it, vi } from "vitest";
import { createCors, type Decision, mergeVary } from "../src/index.ts";
import { newSink } from "../src/issues.ts";
import { compileNames, refusedRequestHeader } from "../src/names.ts";
import { rawPathOf } from "../src/paths.ts";

const A = "https://app.example.com";
const url = "https://api.example.com/x";
const preflight = (origin: string, method = "PUT", extra: Record<string, string> = {}) =>
  new Request(url, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, ...extra },
  });
const get = (origin?: string) => new Request(url, { headers: origin ? { origin } : {} });
const never = () => {
  throw new Error("next must not be called");
};

describe("responses with immutable headers", () => {
  it.each([
    ["Response.redirect()", () => Response.redirect("https://elsewhere.example/", 307)],
    ["a fetch() result", () => fetch("data:text/plain,hello")],
  ])("%s is copied, not mutated, and keeps status and body", async (_what, make) => {
    const cors = createCors({ allowOrigins: [A] });
    const original = await make();
    const res = await cors.handle(get(A), () => original);
    expect(res.headers.get("access-control-allow-origin")).toBe(A);
    expect(res.headers.get("vary")).toBe("Origin");
    expect(res.status).toBe(original.status);
    if (res.status === 200) expect(await res.text()).toBe("hello");
  });

  it("a mutable response is decorated in place", async () => {
    const cors = createCors({ allowOrigins: [A] });
    const original = new Response("x");
    expect(await cors.handle(get(A), () => original)).toBe(original);
  });
});

describe("origin predicates", () => {
  it.each([
    ["sync true", () => true, true],
    ["sync false", () => false, false],
    ["async true", async () => true, true],
    ["async false", async () => false, false],
    [
      "throws",
      () => {
        throw new Error("boom");
      },
      false,
    ],
    ["rejects", () => Promise.reject(new Error("boom")), false],
    ["returns a truthy non-boolean", () => "yes" as unknown as boolean, false],
  ])("%s", async (_what, predicate, allowed) => {
    const cors = createCors({ allowOrigins: predicate as () => boolean, allowMethods: ["PUT"] });
    const pre = await cors.handle(preflight(A), never);
    expect(pre.status).toBe(allowed ? 204 : 403);
    const res = await cors.handle(get(A), () => new Response("ok"));
    expect(res.headers.get("access-control-allow-origin")).toBe(allowed ? A : null);
    expect(res.status).toBe(200);
  });

  it("header carries the request's Origin, never the predicate's output, and never runs on null or junk", async () => {
    const seen: string[] = [];
    const cors = createCors({
      allowOrigins: (o) => {
        seen.push(o);
        return true;
      },
    });
    for (const o of [
      "null",
      "https://a.example/path",
      "not an origin",
      `https://${"a".repeat(2000)}.com`,
    ]) {
      const res = await cors.handle(get(o), () => new Response("ok"));
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
    expect(seen).toEqual([]);
    const res = await cors.handle(get("https://b.example"), () => new Response("ok"));
    expect(res.headers.get("access-control-allow-origin")).toBe("https://b.example");
  });
});

describe("lower-level halves for adapters", () => {
  const cors = createCors({ allowOrigins: [A], allowMethods: ["PUT"] });
  it.each([
    ["a preflight is answered", preflight(A), 204],
    ["a refused preflight is answered 403", preflight("https://evil.example"), 403],
    [
      "a plain OPTIONS is not a preflight",
      new Request(url, { method: "OPTIONS", headers: { origin: A } }),
      null,
    ],
    ["a GET is not a preflight", get(A), null],
    [
      "OPTIONS with ACRM but no Origin is not a preflight",
      new Request(url, { method: "OPTIONS", headers: { "access-control-request-method": "PUT" } }),
      null,
    ],
  ])("preflight(): %s", async (_what, req, status) => {
    const res = await cors.preflight(req);
    expect(res?.status ?? null).toBe(status);
  });

  it("decorate() adds grants for an allowed origin", async () => {
    const res = await cors.decorate(get(A), new Response("x", { headers: { vary: "Cookie" } }));
    expect(res.headers.get("access-control-allow-origin")).toBe(A);
    expect(res.headers.get("vary")).toBe("Cookie, Origin");
  });
});

describe("report mode, onDecision and the decision header", () => {
  it("report mode leaves preflights and responses untouched and reports every decision", async () => {
    const decisions: Decision[] = [];
    const cors = createCors({
      allowOrigins: [A],
      mode: "report",
      onDecision: (d) => decisions.push(d),
    });
    const pre = await cors.handle(
      preflight("https://evil.example"),
      () => new Response("app", { status: 200 }),
    );
    expect(await pre.text()).toBe("app");
    expect(pre.headers.get("vary")).toBeNull();
    const res = await cors.handle(get(A), () => new Response("app"));
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(decisions.map((d) => [d.kind, d.allowed, d.mode])).toEqual([
      ["preflight", false, "report"],
      ["actual", true, "report"],
    ]);
    expect(await cors.preflight(preflight(A))).toBeNull();
  });

  it("onDecision sees enforce-mode decisions, and a throwing onDecision breaks nothing", async () => {
    const spy = vi.fn(() => {
      throw new Error("boom");
    });
    const cors = createCors({ allowOrigins: [A], allowMethods: ["PUT"], onDecision: spy });
    expect((await cors.handle(preflight(A), never)).status).toBe(204);
    expect(
      (await cors.handle(get(A), () => new Response("x"))).headers.get(
        "access-control-allow-origin",
      ),
    ).toBe(A);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it("decisionHeader puts the decision in X-Cors-Decision; off by default", async () => {
    const on = createCors({ allowOrigins: [A], decisionHeader: true });
    const refused = await on.handle(preflight("https://evil.example"), never);
    expect(refused.headers.get("x-cors-decision")).toMatch(
      /^preflight; refused; Origin https:\/\/evil\.example is not allowed/,
    );
    const off = createCors({ allowOrigins: [A] });
    expect((await off.handle(preflight(A), never)).headers.get("x-cors-decision")).toBeNull();
  });

  // L4 (red team): under "*" the decision header names the origin, so a cache must not serve
  // one origin's header to another: Vary: Origin on every response it is on.
  it('decisionHeader under "*" adds Vary: Origin to answers and decorated responses', async () => {
    const cors = createCors({ allowOrigins: "*", decisionHeader: true });
    const actual = await cors.handle(get(A), () => new Response("x"));
    expect(actual.headers.get("x-cors-decision")).toContain(A);
    expect(actual.headers.get("vary")).toBe("Origin");
    const answer = await cors.handle(preflight(A), never);
    expect(answer.headers.get("vary")).toContain("Origin");
  });
});

describe("explain", () => {
  const cors = createCors({
    allowOrigins: [A],
    allowMethods: ["PATCH"],
    allowHeaders: ["*"],
    maxAge: "1d",
    routes: [{ path: "/open/*", allowOrigins: "*", maxAge: 0 }],
  });
  it.each([
    [
      "origin refused names the entry to fix",
      preflight("https://b.example"),
      /add "https:\/\/b\.example".*allowOrigins/,
    ],
    ["null origin explained", preflight("null"), /never allowed/],
    ["lower-case patch vs PATCH", preflight(A, "patch"), /case-sensitively/],
    [
      "Authorization is never under *",
      preflight(A, "PATCH", { "access-control-request-headers": "authorization" }),
      /list "Authorization"/,
    ],
    [
      "malformed header list",
      preflight(A, "PATCH", { "access-control-request-headers": "a,,,,,,,,,,,,,,,,,,,,,,,,b" }),
      /bounds/,
    ],
    ["plain OPTIONS", new Request(url, { method: "OPTIONS" }), /not a preflight/],
    ["no Origin", get(), /not a CORS request/],
  ])("%s", async (_what, req, reason) => {
    const d = await cors.explain(req);
    expect(d.reasons.join("\n")).toMatch(reason);
  });

  it.each([
    ["1d", "/x", 86400, { chromium: 7200, firefox: 86400, webkit: 600 }],
    ["0 on a route", "/open/a", 0, { chromium: 0, firefox: 0, webkit: 0 }],
  ])("per-engine preflight cache time: %s", async (_what, path, maxAge, engines) => {
    const d = await cors.explain(
      new Request(`https://api.example.com${path}`, {
        method: "OPTIONS",
        headers: { origin: A, "access-control-request-method": "PATCH" },
      }),
    );
    expect(d.preflightCache).toEqual({ maxAge, ...engines });
  });

  it("no maxAge: browsers' 5 s default", async () => {
    const d = await createCors({ allowOrigins: [A] }).explain(preflight(A, "GET"));
    expect(d.preflightCache).toEqual({ maxAge: null, chromium: 5, firefox: 5, webkit: 5 });
    expect(d.headers["access-control-max-age"]).toBeUndefined();
  });
});

describe("mergeVary", () => {
  it.each([
    [null, "Origin"],
    ["", "Origin"],
    ["Origin", null],
    ["origin", null],
    ["Accept-Encoding", "Accept-Encoding, Origin"],
    ["accept-encoding, ORIGIN", null],
    ["*", null],
    [" * ", null],
    ["a,,b", "a,,b, Origin"],
  ])("%j → %j", (existing, merged) => {
    expect(mergeVary(existing, ["Origin"], "Origin")).toBe(merged);
  });
});

describe("rawPathOf", () => {
  it.each([
    ["https://a.example/", "/"],
    ["https://a.example/x/y?q=/z", "/x/y"],
    ["https://a.example/x#frag", "/x"],
    ["https://a.example:8443/x?y#z", "/x"],
    ["https://a.example", "/"],
    ["https://a.example?x=/y", "/"],
    ["http://h\\admin\\users?/other", "\\admin\\users"],
    ["https://a.example/%61dmin//x", "/%61dmin//x"],
  ])("%s → %s", (u, p) => expect(rawPathOf(u)).toBe(p));
});

describe("Access-Control-Request-Headers parsing does bounded work", () => {
  /** A string stand-in that counts character reads, so work is measured, not timed. */
  function counted(s: string) {
    let reads = 0;
    const proxy = {
      length: s.length,
      charCodeAt: (i: number) => {
        reads++;
        return s.charCodeAt(i);
      },
      slice: (a: number, b: number) => s.slice(a, b),
    };
    return { value: proxy as unknown as string, reads: () => reads };
  }
  const allowed = compileNames("allowHeaders", ["*"], false, newSink());
  it.each([
    ["1 MB of spaces", " ".repeat(1 << 20)],
    ["50 000 commas", ",".repeat(50_000)],
    ["3 000 names", Array.from({ length: 3000 }, (_, i) => `x-${i}`).join(",")],
    ["4 000 bytes of commas (within the length cap)", ",".repeat(4000)],
    ["4 000 bytes of spaces", `a${" ".repeat(3999)}`],
    [
      "a long valid list",
      Array.from({ length: 500 }, (_, i) => `h${i}`)
        .join(",")
        .slice(0, 4096),
    ],
  ])("%s: at most a few reads per byte of the 4096-byte window", (_what, v) => {
    const c = counted(v);
    refusedRequestHeader(allowed, c.value);
    expect(c.reads()).toBeLessThanOrEqual(3 * 4096);
  });
});

describe("a runtime observer (loadCors/createCors option `observe`)", () => {
  it("hears every decision of a JSON policy, next to the policy's own onDecision", async () => {
    const heard: string[] = [];
    const cors = createCors(
      { allowOrigins: [A], onDecision: (d) => heard.push(`policy:${d.kind}`) },
      { observe: (d) => heard.push(`runtime:${d.kind}:${d.allowed}`) },
    );
    await cors.handle(preflight("https://evil.example"), never);
    expect(heard).toEqual(["policy:preflight", "runtime:preflight:false"]);
  });
});
