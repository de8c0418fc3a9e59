/** `check` over good and bad policy files and a wrangler.toml. */
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CheckJson } from "../src/index.ts";
import { brokenJsonFile, FIXTURES, runCli, spawnCli } from "./helpers/cli.ts";
import { CHECK_JSON, ERROR_JSON, shapeErrors } from "./helpers/shape.ts";

const broken = brokenJsonFile();
const f = (name: string) => (name === "syntax-error.json" ? broken : `${FIXTURES}${name}`);

async function checkJson(args: string[]): Promise<{ code: number; out: CheckJson }> {
  const r = await runCli(["check", ...args, "--json"]);
  const out = JSON.parse(r.stdout) as CheckJson;
  expect(shapeErrors(out, CHECK_JSON)).toEqual([]);
  return { code: r.code, out };
}

describe("check", () => {
  afterAll(() => rmSync(dirname(broken), { recursive: true, force: true }));

  it.each([
    // file, exit code, error paths, warning paths
    ["good.json", 0, [], ["allowOrigins[1]", "maxAge", "routes[0].maxAge", "routes[0].maxAge"]],
    [
      "bad.json",
      1,
      [
        "allowOrigins[0]",
        "allowOrigins[1]",
        "allowOrigins[2]",
        "allowMethods[0]",
        "exposeHeaders",
        "maxAge",
      ],
      ["allowMethods[1]"],
    ],
    ["warnings.json", 0, [], ["allowMethods[0]", "maxAge", "maxAge"]],
  ] as const)("%s → exit %i with every error and warning path", async (file, exit, errs, warns) => {
    const { code, out } = await checkJson([f(file)]);
    expect(code).toBe(exit);
    expect(out.ok).toBe(exit === 0);
    expect(out.policies).toHaveLength(1);
    expect(out.policies[0]!.errors.map((e) => e.path)).toEqual(errs);
    expect(out.policies[0]!.warnings.map((w) => w.path)).toEqual(warns);
    expect(out.errors).toBe(errs.length);
    expect(out.warnings).toBe(warns.length);
  });

  it("--strict fails on warnings", async () => {
    const { code, out } = await checkJson([f("warnings.json"), "--strict"]);
    expect(code).toBe(1);
    expect(out.ok).toBe(false);
  });

  it("reads [vars] and [env.*.vars] CORS_POLICY from a wrangler.toml (JSON string and TOML table)", async () => {
    const { code, out } = await checkJson([f("wrangler.toml")]);
    expect(code).toBe(1);
    expect(out.policies.map((p) => [p.env, p.ok, p.errors.map((e) => e.path)])).toEqual([
      [null, true, []],
      ["staging", false, ["maxAge"]],
    ]);
    expect(out.policies[1]!.source).toContain("[env.staging.vars] CORS_POLICY");
  });

  it("--var reads another variable", async () => {
    const r = await runCli(["check", f("wrangler.toml"), "--var", "OTHER"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("sets no OTHER");
  });

  it.each([
    ["syntax-error.json", "invalid-json", "line 3, column 26: trailing comma"],
    ["missing.json", "file-not-found", "no such file"],
    [".", "file-unreadable", "is a directory"],
    ["no-policy.toml", "no-policy", "sets no CORS_POLICY"],
    [
      "bad-json-var.toml",
      "invalid-json",
      "[vars] CORS_POLICY is not valid JSON: line 1, column 43",
    ],
    ["invalid.toml", "invalid-toml", "is not valid TOML: line 2"],
  ])("%s → one-line %s error, exit 2", async (file, code, text) => {
    const human = await runCli(["check", f(file)]);
    expect(human.code).toBe(2);
    expect(human.stdout).toBe("");
    expect(human.stderr).toContain(text);
    expect(human.stderr.trim().split("\n")).toHaveLength(1);
    const json = await runCli(["check", f(file), "--json"]);
    const out = JSON.parse(json.stdout);
    expect(shapeErrors(out, ERROR_JSON)).toEqual([]);
    expect(out.error.code).toBe(code);
  });

  it("human output (snapshot)", async () => {
    for (const file of ["good.json", "bad.json", "wrangler.toml"]) {
      const r = await runCli(["check", f(file)]);
      expect(r.stdout.replaceAll(FIXTURES, "fixtures/")).toMatchSnapshot(file);
    }
  });

  it("runs as the real bin, relative paths from the working directory", async () => {
    const ok = await spawnCli(["check", "good.json"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("PASS  0 errors, 4 warnings");
    const bad = await spawnCli(["check", "bad.json"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("FAIL  6 errors, 1 warning");
  });
});
