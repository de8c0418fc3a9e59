/** `bundle lambda-edge --decision-log / --decision-log-rate`: the build options, from the CLI. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { BundleJson } from "../src/index.ts";
import { runCli } from "./helpers/cli.ts";

const work = mkdtempSync(join(tmpdir(), "edge-cors-cli-bundle-log-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const policy = join(work, "policy.json");
writeFileSync(policy, JSON.stringify({ allowOrigins: ["https://app.example.com"] }));

/** `bundle lambda-edge` of the enforce-mode policy into `out`, with `flags`, as JSON. */
async function bundle(out: string, flags: string[]) {
  const r = await runCli([
    "bundle",
    "lambda-edge",
    "--policy",
    policy,
    "--out",
    join(work, out),
    "--json",
    ...flags,
  ]);
  return { code: r.code, json: JSON.parse(r.stdout) as BundleJson };
}

describe("bundle lambda-edge --decision-log", () => {
  it.each([
    [[], false],
    [["--decision-log", "refused"], true],
    [["--decision-log", "all", "--decision-log-rate", "20"], true],
  ])("enforce policy, %j: log bundled = %s", async (flags, bundled) => {
    const { code, json } = await bundle(flags.join("-") || "default", flags);
    expect(code).toBe(0);
    expect(readFileSync(json.output!.jsPath, "utf8").includes("cors.decision")).toBe(bundled);
  });

  it("a bad level or rate: exit 1, the problems named by option", async () => {
    const { code, json } = await bundle("bad", [
      "--decision-log",
      "loud",
      "--decision-log-rate",
      "many",
    ]);
    expect(code).toBe(1);
    expect(json.policy.errors.map((e) => [e.code, e.path])).toEqual([
      ["decision-log-invalid", "decisionLog"],
      ["decision-log-rate-invalid", "decisionLogRate"],
    ]);
  });
});
