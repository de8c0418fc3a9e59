/**
 * The preflight cache per ruleset: a sequence of fetches against one server, sharing one cache,
 * counting the preflights sent. The engine rows are what the browser suite measured.
 */
import { describe, expect, it } from "vitest";
import {
  type BrowserRequest,
  type FetchCacheMode,
  PreflightCache,
  type Respond,
  type Ruleset,
  simulate,
} from "../src/index.ts";

const ORIGIN = "https://app.example.com";
const API = "https://api.example.net/items";

interface Step {
  headers?: Record<string, string>;
  cache?: FetchCacheMode;
  include?: boolean;
  /** Virtual milliseconds to wait before this fetch. */
  waitMs?: number;
}

/**
 * Grants PUT with credentials to ORIGIN. Access-Control-Allow-Headers names only the headers
 * the preflight asked for ("echo", like a policy with allowHeaders "*" and credentials), or a
 * fixed list.
 */
function grantingServer(opts: { maxAge?: string; allowHeaders?: string } = {}) {
  let preflights = 0;
  const respond: Respond = async (r) => {
    const headers: Array<[string, string]> = [
      ["access-control-allow-origin", ORIGIN],
      ["access-control-allow-credentials", "true"],
    ];
    if (r.kind === "actual") return { status: 200, headers };
    preflights++;
    headers.push(["access-control-allow-methods", "PUT"]);
    const asked = r.headers["access-control-request-headers"];
    const allow = opts.allowHeaders ?? asked;
    if (allow !== undefined) headers.push(["access-control-allow-headers", allow]);
    if (opts.maxAge !== undefined) headers.push(["access-control-max-age", opts.maxAge]);
    return { status: 204, headers };
  };
  return { respond, preflights: () => preflights };
}

async function run(
  ruleset: Ruleset,
  steps: Step[],
  server = grantingServer({ maxAge: "600" }),
): Promise<number> {
  let now = 0;
  const cache = new PreflightCache(ruleset, () => now);
  for (const step of steps) {
    now += step.waitMs ?? 0;
    const req: BrowserRequest = {
      url: API,
      origin: ORIGIN,
      method: "PUT",
      headers: step.headers ?? { "X-Custom": "1" },
      credentials: step.include ? "include" : "same-origin",
      ...(step.cache === undefined ? {} : { cache: step.cache }),
    };
    const report = await simulate(req, server.respond, { ruleset, preflightCache: cache });
    expect(report.ok, JSON.stringify(report.problems)).toBe(true);
  }
  return server.preflights();
}

const times = (n: number, step: Step = {}): Step[] => Array.from({ length: n }, () => step);

describe("preflight cache", () => {
  // [what, steps, preflights for standard, chromium, firefox, webkit]
  const cases: Array<[string, Step[], [number, number, number, number]]> = [
    ["3 identical PUTs", times(3), [1, 1, 1, 1]],
    ['3 PUTs with cache: "no-store"', times(3, { cache: "no-store" }), [1, 3, 3, 1]],
    ['3 PUTs with cache: "reload"', times(3, { cache: "reload" }), [1, 3, 3, 1]],
    ['3 PUTs with cache: "no-cache"', times(3, { cache: "no-cache" }), [1, 3, 1, 1]],
    ['3 PUTs with cache: "force-cache"', times(3, { cache: "force-cache" }), [1, 1, 1, 1]],
    [
      '"no-store", then 2 default: is the first grant stored?',
      [{ cache: "no-store" }, {}, {}],
      [1, 2, 1, 1],
    ],
    ['"reload", then 2 default', [{ cache: "reload" }, {}, {}], [1, 1, 1, 1]],
    [
      'default, then "no-store": is the cache looked at?',
      [{}, { cache: "no-store" }],
      [1, 2, 2, 1],
    ],
    [
      "X-A, X-B, X-A: a new grant merges with or replaces the cached one",
      [{ headers: { "X-A": "1" } }, { headers: { "X-B": "1" } }, { headers: { "X-A": "1" } }],
      [2, 3, 2, 3],
    ],
    ["credentialed, then uncredentialed", [{ include: true }, {}], [1, 1, 2, 1]],
    ["uncredentialed, then credentialed", [{}, { include: true }], [2, 2, 2, 2]],
    ["expiry: 601 s later", [{}, { waitMs: 601_000 }], [2, 2, 2, 2]],
  ];
  it.each(cases)("%s", async (_what, steps, expected) => {
    const got = [];
    for (const ruleset of ["standard", "chromium", "firefox", "webkit"] as const) {
      got.push(await run(ruleset, steps));
    }
    expect(got).toEqual(expected);
  });

  it.each<[Ruleset, string, number]>([
    ["chromium", "7200", 1],
    ["firefox", "7200", 1],
    ["webkit", "7200", 2], // capped at 600 s
    ["standard", "7200", 1],
  ])("%s: Max-Age %s, a PUT 601 s later sends %i preflights", async (ruleset, maxAge, n) => {
    expect(await run(ruleset, [{}, { waitMs: 601_000 }], grantingServer({ maxAge }))).toBe(n);
  });

  it.each<[Ruleset, string, number]>([
    ["chromium", "abc", 1],
    ["firefox", "abc", 2], // a non-digit Max-Age is not cached
    ["webkit", "-1", 2],
    ["standard", "-1", 1], // Fetch falls back to 5 s
  ])("%s: Max-Age %j, 2 PUTs send %i preflights", async (ruleset, maxAge, n) => {
    expect(await run(ruleset, times(2), grantingServer({ maxAge }))).toBe(n);
  });

  it("a fixed Access-Control-Allow-Headers list covers later requests for a listed header", async () => {
    const server = grantingServer({ maxAge: "600", allowHeaders: "x-a, x-b" });
    const steps: Step[] = [{ headers: { "X-A": "1" } }, { headers: { "X-B": "1" } }];
    expect(await run("chromium", steps, server)).toBe(1);
  });

  it("a failed request clears the grant (Fetch §main fetch)", async () => {
    let now = 0;
    const cache = new PreflightCache("standard", () => now);
    let failActual = false;
    let preflights = 0;
    const respond: Respond = async (r) => {
      if (r.kind === "preflight") preflights++;
      const ok: Array<[string, string]> = [["access-control-allow-origin", ORIGIN]];
      if (r.kind === "actual") return { status: 200, headers: failActual ? [] : ok };
      return {
        status: 204,
        headers: [
          ...ok,
          ["access-control-allow-methods", "PUT"],
          ["access-control-max-age", "600"],
        ],
      };
    };
    const put: BrowserRequest = { url: API, origin: ORIGIN, method: "PUT" };
    await simulate(put, respond, { preflightCache: cache });
    expect(cache.size).toBe(1);
    failActual = true;
    const failed = await simulate(put, respond, { preflightCache: cache });
    expect(failed.ok).toBe(false);
    expect(cache.size).toBe(0);
    now += 1;
    await simulate(put, respond, { preflightCache: cache });
    expect(preflights).toBe(2);
  });

  it("refuses a cache built for another ruleset", async () => {
    const cache = new PreflightCache("firefox");
    await expect(
      simulate({ url: API, origin: ORIGIN, method: "PUT" }, grantingServer().respond, {
        ruleset: "webkit",
        preflightCache: cache,
      }),
    ).rejects.toThrow("models firefox");
  });
});
