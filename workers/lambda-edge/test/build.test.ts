import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CorsConfigError } from "@edge-cors/core";
import { unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import type { EdgeHandler } from "../../../packages/aws/src/lambda-edge.ts";
import { asSeenByBrowser, runThroughEdge } from "../../../packages/aws/test/cloudfront-events.ts";
import { checkVector, policies, vectors } from "../../../test/vectors/index.ts";
import { buildLambdaEdge } from "../build.ts";

const bad = {
  allowOrigins: ["null", "https://*.com", "https://app.example.com/"],
  allowCredentials: true,
  allowMethods: ["TRACE"],
  maxAge: "forever",
  origin: "*",
};

const SIZE_TARGET = 20 * 1024;
const work = mkdtempSync(join(tmpdir(), "edge-cors-lambda-edge-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Build the zip for one policy, unpack it with fflate into a fresh directory, load index.js. */
async function buildAndLoad(
  name: string,
): Promise<{ handler: EdgeHandler; bytes: number; files: string[] }> {
  const outDir = join(work, `out-${name}`);
  const r = await buildLambdaEdge({ policy: policies[name], outDir });
  const entries = unzipSync(readFileSync(r.zipPath));
  const runDir = join(work, `run-${name}`);
  const require = createRequire(join(runDir, "noop.js"));
  mkdirSync(runDir, { recursive: true });
  for (const [file, data] of Object.entries(entries)) writeFileSync(join(runDir, file), data);
  const mod = require(join(runDir, "index.js")) as { handler: EdgeHandler };
  expect(statSync(r.zipPath).size).toBe(r.bytes);
  return { handler: mod.handler, bytes: r.bytes, files: Object.keys(entries) };
}

const built = new Map<string, Awaited<ReturnType<typeof buildAndLoad>>>();
async function bundleFor(name: string) {
  if (!built.has(name)) built.set(name, await buildAndLoad(name));
  return built.get(name)!;
}

describe("the Lambda@Edge zip", () => {
  it.each(Object.keys(policies))(
    "policy %s: one index.js, zipped under 20 KB, policy inlined",
    async (name) => {
      const b = await bundleFor(name);
      expect(b.files).toEqual(["index.js"]);
      expect(b.bytes).toBeLessThan(SIZE_TARGET);
      console.log(`lambda-edge zip for policy "${name}": ${b.bytes} bytes`);
      const js = readFileSync(join(work, `run-${name}`, "index.js"), "utf8");
      const strings = JSON.stringify(policies[name]).match(/"(?:[^"\\]|\\.)*"/g) ?? [];
      const missing = strings.filter((str) => !js.includes(str));
      expect(missing).toEqual([]);
      // No run-time policy loading: nothing reads files or the environment.
      expect(/process\.env|readFileSync|require\("fs"\)/.test(js)).toBe(false);
    },
  );

  const cases = vectors.flatMap((v) =>
    (["viewer", "origin"] as const).map((side) => [`${side}: ${v.name}`, side, v] as const),
  );
  it.each(cases)("bundled handler, %s", async (_n, side, v) => {
    const { handler } = await bundleFor(v.policy);
    const run = await runThroughEdge(handler, v, side);
    expect(run.ruleProblems).toEqual([]);
    expect(checkVector(v, asSeenByBrowser(run.result), run.reachedApp)).toEqual([]);
  });

  it("the same policy gives the same zip, byte for byte", async () => {
    const a = await buildLambdaEdge({ policy: policies.echo, outDir: join(work, "same-a") });
    const b = await buildLambdaEdge({ policy: policies.echo, outDir: join(work, "same-b") });
    expect(readFileSync(a.zipPath).equals(readFileSync(b.zipPath))).toBe(true);
  });
});

describe("build-time validation", () => {
  it("a bad policy fails the build listing every problem, and writes nothing", async () => {
    const outDir = join(work, "bad");
    const err = await buildLambdaEdge({ policy: bad, outDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorsConfigError);
    const paths = (err as CorsConfigError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "allowOrigins[0]",
        "allowOrigins[1]",
        "allowOrigins[2]",
        "allowMethods[0]",
        "maxAge",
        "origin",
      ]),
    );
    expect(() => statSync(outDir)).toThrow();
  });

  it("a policy file that is not JSON fails with its position", async () => {
    const file = join(work, "broken.json");
    writeFileSync(file, '{ "allowOrigins": [ }');
    const err = await buildLambdaEdge({ policyPath: file, outDir: join(work, "broken") }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CorsConfigError);
    expect((err as Error).message).toContain("broken.json is not valid JSON");
  });

  // L3 (red team): 2 000 allowHeaders built a function whose preflight answer was 56 KB;
  // CloudFront answers 502 for a generated response above 40 KB.
  it("refuses a policy whose preflight answer would exceed CloudFront's 40 KB", async () => {
    const names = Array.from(
      { length: 1000 },
      (_, i) => `x-a-rather-long-custom-request-header-name-number-${i}`,
    );
    const err = await buildLambdaEdge({
      policy: { allowOrigins: ["https://app.example.com"], allowHeaders: names },
      outDir: join(work, "huge"),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorsConfigError);
    expect((err as CorsConfigError).issues.map((i) => i.code)).toEqual([
      "lambda-edge-answer-too-large",
    ]);
    expect((err as Error).message).toMatch(/40960-byte limit/);
    // The same list as "*" (with credentials: the echo of at most 4 KiB) builds.
    const ok = await buildLambdaEdge({
      policy: {
        allowOrigins: ["https://app.example.com"],
        allowCredentials: true,
        allowHeaders: "*",
      },
      outDir: join(work, "echo"),
    });
    expect(ok.bytes).toBeGreaterThan(0);
  });

  it("inlines the Public Suffix List's verdicts, not the list, and still refuses public suffixes", async () => {
    const ok = await buildLambdaEdge({
      policy: { allowOrigins: ["https://*.preview.example.com"], allowCredentials: true },
      outDir: join(work, "psl"),
    });
    expect(ok.bytes).toBeLessThan(SIZE_TARGET);
    const js = readFileSync(ok.jsPath, "utf8");
    expect(js).toContain('"preview.example.com":null');
    const err = await buildLambdaEdge({
      policy: { allowOrigins: ["https://*.s3.us-east-1.amazonaws.com"], allowCredentials: true },
      outDir: join(work, "psl-bad"),
    }).catch((e: unknown) => e);
    expect((err as CorsConfigError).issues.map((i) => i.code)).toEqual(["public-suffix-pattern"]);
  });

  it("a predicate cannot be bundled", async () => {
    const err = await buildLambdaEdge({
      policy: { allowOrigins: () => true },
      outDir: join(work, "fn"),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorsConfigError);
    expect((err as CorsConfigError).issues.map((i) => i.path)).toContain("allowOrigins");
  });
});

describe("the build script", () => {
  const script = fileURLToPath(new URL("../build.ts", import.meta.url));
  const run = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
      encoding: "utf8",
      timeout: 30_000,
    });

  it("builds from a policy file and reports the size", () => {
    const file = join(work, "ok.json");
    writeFileSync(file, JSON.stringify(policies.publicAuth));
    const r = run(["--policy", file, "--out", join(work, "cli-ok")]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/lambda-edge\.zip: \d+ bytes zipped/);
  });

  it("exits 1 on a bad policy, printing every problem", () => {
    const file = join(work, "bad.json");
    writeFileSync(file, JSON.stringify(bad));
    const r = run(["--policy", file, "--out", join(work, "cli-bad")]);
    expect(r.status).toBe(1);
    for (const path of [
      "allowOrigins[0]",
      "allowOrigins[1]",
      "allowMethods[0]",
      "maxAge",
      "origin",
    ]) {
      expect(r.stderr).toContain(`- ${path}:`);
    }
  });
});
