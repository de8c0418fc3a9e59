/** The per-engine rulesets beside the standard's: each departure the browser suite measured. */
import { describe, expect, it } from "vitest";
import {
  type BrowserRequest,
  checkPreflight,
  ENGINE_PROFILES,
  ENGINES,
  type FetchCacheMode,
  planRequest,
  type Respond,
  type ResponseLike,
  RULESETS,
  type Ruleset,
  simulate,
  simulateRulesets,
} from "../src/index.ts";

const ORIGIN = "https://app.example.com";
const API = "https://api.example.net/items";

const req = (over: Partial<BrowserRequest> = {}): BrowserRequest => ({
  url: API,
  origin: ORIGIN,
  method: "PUT",
  headers: { "X-Custom": "1" },
  ...over,
});

/** A server granting PUT + x-custom to `allow` (an origin, `*` or "reflect"). */
function server(allow: string, maxAge = "600") {
  const seen: Array<{ kind: string; url: string; origin: string | undefined }> = [];
  const respond: Respond = async (r) => {
    seen.push({ kind: r.kind, url: r.url, origin: r.headers.origin });
    const acao = allow === "reflect" ? (r.headers.origin ?? "") : allow;
    const headers: Array<[string, string]> = [["access-control-allow-origin", acao]];
    if (r.kind === "preflight") {
      headers.push(
        ["access-control-allow-methods", "PUT"],
        ["access-control-allow-headers", "x-custom"],
        ["access-control-max-age", maxAge],
      );
      return { status: 204, headers };
    }
    return { status: 200, headers };
  };
  return { seen, respond };
}

describe("engine profiles", () => {
  it("cover the standard and the three engines", () => {
    expect(RULESETS).toEqual(["standard", "chromium", "firefox", "webkit"]);
    for (const r of RULESETS) expect(ENGINE_PROFILES[r].ruleset).toBe(r);
  });
});

describe("Authorization under Access-Control-Allow-Headers: *", () => {
  const wildcard: ResponseLike = {
    status: 204,
    headers: [
      ["access-control-allow-origin", "*"],
      ["access-control-allow-methods", "*"],
      ["access-control-allow-headers", "*"],
      ["access-control-max-age", "600"],
    ],
  };
  const auth = req({ method: "GET", headers: { Authorization: "Bearer t" } });

  it.each<[Ruleset, boolean]>([
    ["standard", false],
    ["chromium", true],
    ["firefox", true],
    ["webkit", true],
  ])("%s accepts it: %j", (ruleset, ok) => {
    const r = checkPreflight(auth, wildcard, { ruleset });
    expect(r.ok).toBe(ok);
    const finding = ok ? r.warnings : r.problems;
    expect(finding.map((f) => f.code)).toEqual(["acah-wildcard-authorization"]);
    expect(finding[0]?.fix).toBe("send Access-Control-Allow-Headers: *, authorization");
  });

  it.each(RULESETS)("%s: with credentials * is literal and fails everywhere", (ruleset) => {
    const r = checkPreflight(
      { ...auth, credentials: "include" },
      {
        status: 204,
        headers: [
          ["access-control-allow-origin", ORIGIN],
          ["access-control-allow-credentials", "true"],
          ["access-control-allow-headers", "*"],
        ],
      },
      { ruleset },
    );
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(["header-not-allowed"]);
  });
});

describe("cache: only-if-cached", () => {
  it("makes a CORS fetch throw, whatever the ruleset", async () => {
    const plan = planRequest(req({ cache: "only-if-cached" }));
    expect(plan.problems.map((p) => p.code)).toEqual(["request-only-if-cached"]);
    const { seen, respond } = server(ORIGIN);
    for (const ruleset of RULESETS) {
      const r = await simulate(req({ cache: "only-if-cached" }), respond, { ruleset });
      expect(r.status).toBeNull();
    }
    expect(seen).toEqual([]);
  });
});

describe("preflightCacheSeconds: how long an identical request reuses the preflight", () => {
  const modes: FetchCacheMode[] = ["default", "no-store", "reload", "no-cache", "force-cache"];
  // Rows: ruleset, then the seconds for each mode above (Access-Control-Max-Age: 7200).
  it.each<[Ruleset, number[]]>([
    ["standard", [7200, 7200, 7200, 7200, 7200]],
    ["chromium", [7200, 0, 0, 0, 7200]],
    ["firefox", [7200, 0, 0, 7200, 7200]],
    ["webkit", [600, 600, 600, 600, 600]],
  ])("%s", async (ruleset, expected) => {
    const got: number[] = [];
    for (const cache of modes) {
      const r = await simulate(req({ cache }), server(ORIGIN, "7200").respond, { ruleset });
      expect(r.ok).toBe(true);
      got.push(r.preflightCacheSeconds);
    }
    expect(got).toEqual(expected);
  });

  it("is 0 without a preflight and when the request fails", async () => {
    const simple = await simulate(req({ method: "GET", headers: {} }), server(ORIGIN).respond);
    expect(simple.preflightCacheSeconds).toBe(0);
    const refused = await simulate(req(), server("https://other.example").respond);
    expect(refused.preflightCacheSeconds).toBe(0);
  });
});

describe("a preflighted request redirected to another origin", () => {
  /** API 307 → the other origin; the second preflight's Origin is the difference. */
  function redirecting(allowAtTarget: string) {
    const target = server(allowAtTarget);
    const respond: Respond = async (r) => {
      if (r.url.startsWith(API)) {
        const headers: Array<[string, string]> = [["access-control-allow-origin", ORIGIN]];
        if (r.kind === "preflight") {
          headers.push(
            ["access-control-allow-methods", "PUT"],
            ["access-control-allow-headers", "x-custom"],
          );
          return { status: 204, headers };
        }
        return { status: 307, headers: [...headers, ["location", "https://cdn.example.org/x"]] };
      }
      return target.respond(r);
    };
    return { seen: target.seen, respond };
  }

  it.each<[Ruleset, string, string]>([
    ["standard", "null", "null"],
    ["chromium", "null", "null"],
    ["firefox", ORIGIN, "null"],
    ["webkit", "null", "null"],
  ])("%s: the second preflight carries Origin %s, the PUT %s", async (ruleset, pre, actual) => {
    const { seen, respond } = redirecting("*");
    const r = await simulate(req(), respond, { ruleset });
    expect(r.ok).toBe(true);
    expect(seen.map((s) => [s.kind, s.origin])).toEqual([
      ["preflight", pre],
      ["actual", actual],
    ]);
  });

  it.each<[Ruleset, string[]]>([
    ["standard", ["preflight"]],
    ["chromium", ["preflight"]],
    ["firefox", ["preflight", "actual"]],
    ["webkit", ["preflight"]],
  ])(
    "%s: a target that allows only the page's origin blocks it after %j",
    async (ruleset, sent) => {
      const { seen, respond } = redirecting(ORIGIN);
      const r = await simulate(req(), respond, { ruleset });
      expect(r.ok).toBe(false);
      expect(seen.map((s) => s.kind)).toEqual(sent);
    },
  );
});

describe("simulateRulesets", () => {
  it("judges under every ruleset and sends each distinct request once", async () => {
    const { seen, respond } = server(ORIGIN, "7200");
    const reports = await simulateRulesets(req({ cache: "no-store" }), respond);
    expect([...reports.keys()]).toEqual(["standard", ...ENGINES]);
    expect(seen.map((s) => s.kind)).toEqual(["preflight", "actual"]);
    expect([...reports.values()].map((r) => r.preflightCacheSeconds)).toEqual([7200, 0, 0, 600]);
  });

  it("sends a request twice only when engines put different requests on the wire", async () => {
    const target = server("*");
    const respond: Respond = async (r) =>
      r.url === API && r.kind === "actual"
        ? {
            status: 302,
            headers: [
              ["access-control-allow-origin", ORIGIN],
              ["location", "https://cdn.example.org/"],
            ],
          }
        : r.url === API
          ? {
              status: 204,
              headers: [
                ["access-control-allow-origin", ORIGIN],
                ["access-control-allow-methods", "PUT"],
                ["access-control-allow-headers", "x-custom"],
              ],
            }
          : target.respond(r);
    await simulateRulesets(req(), respond);
    // One preflight with Origin: null (standard, Chromium, WebKit), one with the page's (Firefox).
    expect(target.seen.map((s) => [s.kind, s.origin])).toEqual([
      ["preflight", "null"],
      ["actual", "null"],
      ["preflight", ORIGIN],
    ]);
  });
});
