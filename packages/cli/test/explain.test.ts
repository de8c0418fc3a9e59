/** `explain`: the core's decisions for the requests a browser would send, per the flags. */
import type { Engine } from "@edge-cors/browser";
import { describe, expect, it } from "vitest";
import type { ExplainJson } from "../src/index.ts";
import { FIXTURES, runCli, spawnCli } from "./helpers/cli.ts";
import { ERROR_JSON, EXPLAIN_INVALID_JSON, EXPLAIN_JSON, shapeErrors } from "./helpers/shape.ts";

const APP = "https://app.example.com";
const good = `${FIXTURES}good.json`;

async function explainJson(args: string[]): Promise<{ code: number; out: ExplainJson }> {
  const r = await runCli(["explain", "--policy", good, ...args, "--json"]);
  const out = JSON.parse(r.stdout) as ExplainJson;
  expect(shapeErrors(out, EXPLAIN_JSON)).toEqual([]);
  return { code: r.code, out };
}

describe("explain", () => {
  it("a credentialed PUT: preflight allowed with per-engine cache times, then the actual request", async () => {
    const { code, out } = await explainJson([
      "--origin",
      APP,
      "--method",
      "PUT",
      "--header",
      "Authorization: Bearer t",
      "--credentials",
      "--path",
      "/api/items",
    ]);
    expect(code).toBe(0);
    expect(out.ok).toBe(true);
    const pre = out.preflight.decision!;
    expect(pre.kind).toBe("preflight");
    expect(pre.allowed).toBe(true);
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe(APP);
    expect(pre.preflightCache).toEqual({
      maxAge: 7200,
      chromium: 7200,
      firefox: 7200,
      webkit: 600,
    });
    expect(out.actual?.kind).toBe("actual");
    expect(out.actual?.headers["access-control-allow-credentials"]).toBe("true");
  });

  it("a simple GET needs no preflight; routes apply by --path", async () => {
    const { code, out } = await explainJson([
      "--origin",
      "https://anyone.example",
      "--path",
      "/public/x",
    ]);
    expect(code).toBe(0);
    expect(out.preflight.needed).toBe(false);
    expect(out.actual?.route).toBe("/public/*");
    expect(out.actual?.headers["access-control-allow-origin"]).toBe("*");
  });

  it("an origin outside the policy is refused with the policy fix", async () => {
    const { code, out } = await explainJson(["--origin", "https://evil.example"]);
    expect(code).toBe(1);
    expect(out.actual?.allowed).toBe(false);
    expect(out.actual?.reasons[0]).toContain('add "https://evil.example"');
  });

  it("lower-case patch is refused although the policy lists PATCH", async () => {
    const { code, out } = await explainJson(["--origin", APP, "--method", "patch"]);
    expect(code).toBe(1);
    expect(out.preflight.decision?.allowed).toBe(false);
    expect(out.preflight.decision?.reasons[0]).toContain('allowMethods has "PATCH"');
    expect(out.actual).toBeNull();
  });

  it("the browser verdict catches what the decision alone does not (credentials on a * route)", async () => {
    const { code, out } = await explainJson([
      "--origin",
      APP,
      "--path",
      "/public/a",
      "--credentials",
    ]);
    expect(out.actual?.allowed).toBe(true);
    expect(code).toBe(1);
    expect(out.browser.problems.map((p) => p.code)).toEqual([
      "acao-wildcard-credentials",
      "acac-missing",
    ]);
  });

  it("reads a wrangler.toml environment with --env", async () => {
    const r = await runCli([
      "explain",
      "--policy",
      `${FIXTURES}wrangler.toml`,
      "--origin",
      "https://app.example.com",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const staging = await runCli([
      "explain",
      "--policy",
      `${FIXTURES}wrangler.toml`,
      "--env",
      "staging",
      "--origin",
      "http://localhost:5173",
      "--json",
    ]);
    // The staging policy is invalid (maxAge 100000): explain lists the errors and exits 1.
    expect(staging.code).toBe(1);
    const out = JSON.parse(staging.stdout);
    expect(shapeErrors(out, EXPLAIN_INVALID_JSON)).toEqual([]);
    expect(out.policy.errors.map((e: { path: string }) => e.path)).toEqual(["maxAge"]);
  });

  it.each([
    [
      ["--origin", "https://App.example.com/"],
      "invalid-input",
      '--origin: "https://App.example.com/"',
    ],
    [["--origin", APP, "--header", "novalue"], "usage", "must look like name:value"],
    [["--origin", APP, "--method", "TRACE"], "invalid-input", "forbidden method"],
    [["--origin", APP, "--path", "api"], "usage", 'must start with "/"'],
    [["--origin", APP, "--env", "x"], "usage", "--env only applies to a wrangler.toml"],
  ])("bad input %j → %s, exit 2", async (args, code, text) => {
    const r = await runCli(["explain", "--policy", good, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(text);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    const j = await runCli(["explain", "--policy", good, ...args, "--json"]);
    const out = JSON.parse(j.stdout);
    expect(shapeErrors(out, ERROR_JSON)).toEqual([]);
    expect(out.error.code).toBe(code);
  });

  it("human output (snapshots)", async () => {
    const cases = [
      [
        "--origin",
        APP,
        "--method",
        "PUT",
        "--header",
        "Content-Type: application/json",
        "--credentials",
      ],
      ["--origin", "https://evil.example", "--method", "DELETE"],
      ["--origin", APP, "--path", "/public/a", "--credentials"],
    ];
    for (const args of cases) {
      const r = await runCli(["explain", "--policy", good, ...args]);
      expect(r.stdout.replaceAll(FIXTURES, "fixtures/")).toMatchSnapshot(args.join(" "));
    }
  });

  it("runs as the real bin", async () => {
    const r = await spawnCli([
      "explain",
      "--policy",
      "good.json",
      "--origin",
      APP,
      "--method",
      "DELETE",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Preflight OPTIONS /  →  allowed, 204");
    expect(r.stdout).not.toContain("\u001b[");
  });
});

describe("explain --engine and --cache", () => {
  const put = ["--origin", APP, "--method", "PUT"];

  // good.json sends Access-Control-Max-Age: 7200. Seconds an identical request reuses the
  // preflight, per engine; the standard's answer stays 7200 (the cache mode plays no part).
  it.each<[string, Record<Engine, number>]>([
    ["default", { chromium: 7200, firefox: 7200, webkit: 600 }],
    ["no-store", { chromium: 0, firefox: 0, webkit: 600 }],
    ["reload", { chromium: 0, firefox: 0, webkit: 600 }],
    ["no-cache", { chromium: 0, firefox: 7200, webkit: 600 }],
    ["force-cache", { chromium: 7200, firefox: 7200, webkit: 600 }],
  ])("--cache %s", async (cache, seconds) => {
    const { code, out } = await explainJson([...put, "--cache", cache]);
    expect(code).toBe(0);
    expect(out.browser.cache).toBe(cache);
    expect(out.browser.preflightCache).toBe(7200);
    const got = Object.fromEntries(
      Object.entries(out.browser.engines).map(([e, v]) => [e, v.preflightCache]),
    );
    expect(got).toEqual(seconds);
    expect(Object.values(out.browser.engines).every((v) => v.ok)).toBe(true);
  });

  it.each<[string[], Engine[]]>([
    [[], ["chromium", "firefox", "webkit"]],
    [["--engine", "firefox"], ["firefox"]],
    [
      ["--engine", "webkit,chromium"],
      ["chromium", "webkit"],
    ],
    [
      ["--engine", "WebKit", "--engine", "firefox"],
      ["firefox", "webkit"],
    ],
  ])("%j judges as %j", async (flags, engines) => {
    const { out } = await explainJson([...put, ...flags]);
    expect(Object.keys(out.browser.engines)).toEqual(engines);
  });

  it("a simple request reuses no preflight", async () => {
    const { out } = await explainJson(["--origin", APP]);
    expect(out.browser.preflightCache).toBe(0);
    expect(Object.values(out.browser.engines).map((v) => v.preflightCache)).toEqual([0, 0, 0]);
  });

  it.each([
    [
      ["--engine", "safari"],
      "usage",
      '--engine "safari" is not an engine (chromium, firefox, webkit)',
    ],
    [["--cache", "nostore"], "usage", '--cache "nostore" is not a fetch cache mode'],
    [["--cache", "only-if-cached"], "invalid-input", '--cache: cache: "only-if-cached" works only'],
  ])("%j → %s, exit 2, one line", async (flags, code, text) => {
    const r = await runCli(["explain", "--policy", good, ...put, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(text);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    const j = await runCli(["explain", "--policy", good, ...put, ...flags, "--json"]);
    expect(JSON.parse(j.stdout).error.code).toBe(code);
  });
});
