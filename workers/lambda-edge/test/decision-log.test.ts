/**
 * The decision log in the Lambda@Edge zip: chosen at build time (no variables at the edge),
 * bundled only when on, and written by the bundled handler itself (run from the unpacked zip).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BuildLambdaEdgeOptions } from "@edge-cors/aws/build";
import { CorsConfigError, type CorsPolicy } from "@edge-cors/core";
import { unzipSync } from "fflate";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import type { EdgeHandler } from "../../../packages/aws/src/lambda-edge.ts";
import { runThroughEdge } from "../../../packages/aws/test/cloudfront-events.ts";
import type { Vector } from "../../../test/vectors/index.ts";
import { buildLambdaEdge } from "../build.ts";

const APP = "https://app.example.com";
const EVIL = "https://evil.example";
const ENFORCE: CorsPolicy = { allowOrigins: [APP], allowMethods: ["PUT"] };
const REPORT: CorsPolicy = { ...ENFORCE, mode: "report" };
const work = mkdtempSync(join(tmpdir(), "edge-cors-lambda-edge-log-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

let builds = 0;
/** Build, unpack into a fresh directory, load the handler; also the zip size and the code. */
async function built(options: Omit<BuildLambdaEdgeOptions, "outDir">) {
  const dir = join(work, String(++builds));
  const r = await buildLambdaEdge({ ...options, outDir: dir });
  const [file, data] = Object.entries(unzipSync(readFileSync(r.zipPath)))[0]!;
  writeFileSync(join(dir, `run-${file}`), data);
  const mod = createRequire(join(dir, "noop.js"))(join(dir, `run-${file}`));
  return {
    handler: mod.handler as EdgeHandler,
    bytes: r.bytes,
    js: new TextDecoder().decode(data),
  };
}

const refusedPreflight: Vector = {
  name: "refused preflight",
  policy: "report",
  kind: "preflight",
  request: {
    method: "OPTIONS",
    path: "/v1/items",
    headers: { origin: EVIL, "access-control-request-method": "PUT" },
  },
  expect: { reachesApp: true, status: 200 },
};

function captureStdout(): string[] {
  const out: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
  return out;
}

describe("the decision log in the Lambda@Edge zip", () => {
  it("report mode: bundled and on by default; the zip grows by under 2 KB; enforce zips hold no log code", async () => {
    const enforce = await built({ policy: ENFORCE });
    const report = await built({ policy: REPORT });
    const reportOff = await built({ policy: REPORT, decisionLog: "off" });
    console.log(
      `lambda-edge zip: enforce ${enforce.bytes} B, report without log ${reportOff.bytes} B, report with log ${report.bytes} B`,
    );
    expect(enforce.js).not.toContain("cors.decision");
    expect(reportOff.js).not.toContain("cors.decision");
    expect(report.js).toContain("cors.decision.dropped");
    expect(report.bytes - reportOff.bytes).toBeGreaterThan(0);
    expect(report.bytes - reportOff.bytes).toBeLessThan(2048);

    const stdout = captureStdout();
    const run = await runThroughEdge(report.handler, refusedPreflight, "origin");
    expect(run.reachedApp).toBe(true);
    expect(stdout).toHaveLength(1);
    expect(JSON.parse(stdout[0]!)).toMatchObject({
      event: "cors.decision",
      mode: "report",
      allowed: false,
      kind: "preflight",
      origin: EVIL,
      refusal: "origin-not-allowed",
    });
  });

  it("decisionLog and decisionLogRate are build options: enforce + refused, rate 1", async () => {
    const { handler } = await built({
      policy: ENFORCE,
      decisionLog: "refused",
      decisionLogRate: 1,
    });
    const stdout = captureStdout();
    for (let i = 0; i < 3; i++) {
      const r = await runThroughEdge(handler, refusedPreflight, "viewer");
      expect(r.result.status).toBe("403");
    }
    expect(stdout.map((l) => JSON.parse(l).mode)).toEqual(["enforce"]);
  });

  it("bad values fail the build, naming the options", async () => {
    const error = await buildLambdaEdge({
      policy: REPORT,
      outDir: join(work, "bad"),
      decisionLog: "loud" as "all",
      decisionLogRate: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorsConfigError);
    expect((error as CorsConfigError).issues.map((i) => i.path)).toEqual([
      "decisionLog",
      "decisionLogRate",
    ]);
  });
});
