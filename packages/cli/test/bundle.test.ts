/** `bundle lambda-edge`: the CLI hands the policy to the Lambda@Edge build and reports the zip. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import type { BundleJson } from "../src/index.ts";
import { FIXTURES, runCli, spawnCli } from "./helpers/cli.ts";
import { BUNDLE_JSON, shapeErrors } from "./helpers/shape.ts";

const work = mkdtempSync(join(tmpdir(), "edge-cors-cli-bundle-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Handler = (event: unknown) => Promise<{ status?: string; headers?: Record<string, unknown> }>;

describe("bundle lambda-edge", () => {
  it("builds a zip whose handler answers preflights with the policy (wrangler.toml source)", async () => {
    const out = join(work, "ok");
    const r = await runCli([
      "bundle",
      "lambda-edge",
      "--policy",
      `${FIXTURES}wrangler.toml`,
      "--out",
      out,
      "--json",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as BundleJson;
    expect(shapeErrors(j, BUNDLE_JSON)).toEqual([]);
    expect(j.ok).toBe(true);
    const files = unzipSync(readFileSync(j.output!.zipPath));
    expect(Object.keys(files)).toEqual(["index.js"]);
    const run = join(work, "run");
    mkdirSync(run);
    writeFileSync(join(run, "index.js"), files["index.js"]!);
    const { handler } = createRequire(join(run, "x.js"))(join(run, "index.js")) as {
      handler: Handler;
    };
    const header = (key: string, value: string) => [{ key, value }];
    const res = await handler({
      Records: [
        {
          cf: {
            config: { eventType: "viewer-request" },
            request: {
              clientIp: "127.0.0.1",
              method: "OPTIONS",
              uri: "/api",
              querystring: "",
              headers: {
                host: header("Host", "api.example.com"),
                origin: header("Origin", "https://app.example.com"),
                "access-control-request-method": header("Access-Control-Request-Method", "PUT"),
              },
            },
          },
        },
      ],
    });
    expect(res.status).toBe("204");
    expect(res.headers?.["access-control-allow-origin"]).toEqual([
      { key: "Access-Control-Allow-Origin", value: "https://app.example.com" },
    ]);
  });

  it("an invalid policy lists every error, writes nothing and exits 1 (real bin)", async () => {
    const out = join(work, "bad");
    const r = await spawnCli(["bundle", "lambda-edge", "--policy", "bad.json", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("FAIL  6 errors, 1 warning");
    expect(existsSync(out)).toBe(false);
  });

  it("unknown target or missing --out is a usage error", async () => {
    const a = await runCli(["bundle", "cloudflare", "--policy", "p.json", "--out", work]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('unknown bundle target "cloudflare"');
    const b = await runCli(["bundle", "lambda-edge", "--policy", "p.json"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("'--out <dir>' not specified");
  });
});
