/**
 * @edge-cors/cli from the registry: installed globally into a temporary prefix (`npm i -g`), its
 * compiled bin runs `check`, `explain` and `probe` (against a server on 127.0.0.1), `bundle`
 * asks for its optional peers and works once they are installed; start-up time and installed
 * size against the release targets; and the package imported as a library in a fresh project.
 */
import { existsSync, readdirSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  consumerEnv,
  edgeCors,
  expectTypeChecks,
  fixtureCopy,
  freshProject,
  median,
  mustRun,
  npmEnv,
  RELEASE_VERSION,
  run,
  treeBytes,
  userEnv,
  workspaceVersion,
} from "./harness.ts";

const APP = "https://app.example.com";
const MAX_INSTALLED_BYTES = 8_000_000;
const MAX_STARTUP_RATIO = 2.5;

let prefix: string;
let bin: string;
let files: string;
let upstream: HttpServer;
let upstreamUrl: string;

const cli = (args: string[]) => run(bin, args, { cwd: files, env: userEnv() });

/** The installed packages below `dir`/node_modules, nested ones included (`@scope/name`). */
function installed(dir: string): string[] {
  const nm = join(dir, "node_modules");
  if (!existsSync(nm)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(nm)) {
    if (entry.startsWith(".")) continue;
    const names = entry.startsWith("@")
      ? readdirSync(join(nm, entry)).map((n) => `${entry}/${n}`)
      : [entry];
    for (const name of names) out.push(name, ...installed(join(nm, name)));
  }
  return out;
}

beforeAll(async () => {
  const c = consumerEnv();
  files = fixtureCopy("cli");
  prefix = join(files, "prefix");
  await mustRun(
    "npm",
    ["install", "--global", "--prefix", prefix, `@edge-cors/cli@${RELEASE_VERSION}`],
    {
      cwd: files,
      env: npmEnv(c),
      timeoutMs: 170_000,
    },
  );
  bin = join(prefix, "bin", "edge-cors");

  // A live API for `probe`: /ok answers CORS for APP, /no-cors never does.
  upstream = createServer((req, res) => {
    if (req.url === "/ok" && req.headers.origin === APP) {
      res.setHeader("Access-Control-Allow-Origin", APP);
      res.setHeader("Access-Control-Allow-Credentials", "true");
      res.setHeader("Vary", "Origin");
      if (req.method === "OPTIONS") {
        res.setHeader("Access-Control-Allow-Methods", "PUT");
        res.setHeader("Access-Control-Allow-Headers", "content-type");
        res.writeHead(204).end();
        return;
      }
    }
    res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => upstream?.close(resolve));
});

describe("the CLI installed globally", () => {
  it("installs without tsx, esbuild or fflate, within the size target", () => {
    const root = join(prefix, "lib", "node_modules", "@edge-cors", "cli");
    const deps = installed(root);
    expect(deps).toContain("@edge-cors/core");
    expect(deps).toContain("commander");
    for (const heavy of ["tsx", "esbuild", "fflate", "typescript"]) {
      expect(deps).not.toContain(heavy);
    }
    const bytes = treeBytes(root);
    console.log(`installed @edge-cors/cli: ${bytes} bytes (${deps.length} packages)`);
    expect(bytes).toBeLessThanOrEqual(MAX_INSTALLED_BYTES);
  });

  it(`starts within ${MAX_STARTUP_RATIO}x of node -e 0 (median of 9)`, async () => {
    const cliMs: number[] = [];
    const nodeMs: number[] = [];
    const env = userEnv();
    for (let i = 0; i < 9; i++) {
      const help = await run(bin, ["--help"], { cwd: files, env });
      expect(help.code).toBe(0);
      cliMs.push(help.ms);
      nodeMs.push((await run("node", ["-e", "0"], { cwd: files, env })).ms);
    }
    const ratio = median(cliMs) / median(nodeMs);
    console.log(
      `edge-cors --help: median ${median(cliMs).toFixed(0)} ms; node -e 0: median ${median(nodeMs).toFixed(0)} ms; ratio ${ratio.toFixed(2)}`,
    );
    expect(ratio).toBeLessThanOrEqual(MAX_STARTUP_RATIO);
  });

  it("--version and check", async () => {
    const v = await cli(["--version"]);
    expect(v.stdout.trim()).toBe(RELEASE_VERSION);

    const good = await cli(["check", "good.json"]);
    expect(good.stderr).toBe("");
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("valid");

    const bad = await cli(["check", "bad.json", "--json"]);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout) as { ok: boolean; errors: number };
    expect(report.ok).toBe(false);
    expect(report.errors).toBeGreaterThanOrEqual(2);
  });

  it("explain", async () => {
    const args = ["explain", "--policy", "good.json", "--origin", APP, "--method", "PUT"];
    const r = await cli([...args, "--header", "Content-Type: application/json", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; preflight: { needed: boolean } };
    expect(out.ok).toBe(true);
    expect(out.preflight.needed).toBe(true);

    const refused = await cli([
      "explain",
      "--policy",
      "good.json",
      "--origin",
      "https://evil.example",
    ]);
    expect(refused.code).toBe(1);
  });

  it("probe against a server on 127.0.0.1", async () => {
    const ok = await cli([
      "probe",
      `${upstreamUrl}/ok`,
      "--origin",
      APP,
      "--method",
      "PUT",
      "--header",
      "Content-Type: application/json",
      "--credentials",
      "--json",
    ]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const good = JSON.parse(ok.stdout) as { ok: boolean; steps: { kind: string }[] };
    expect(good.ok).toBe(true);
    expect(good.steps.map((s) => s.kind)).toEqual(["preflight", "actual"]);

    const blocked = await cli(["probe", `${upstreamUrl}/no-cors`, "--origin", APP, "--json"]);
    expect(blocked.code).toBe(1);
    const bad = JSON.parse(blocked.stdout) as { problems: { header?: string }[] };
    expect(bad.problems.map((p) => p.header?.toLowerCase())).toContain(
      "access-control-allow-origin",
    );
  });

  it("bundle names its optional peers, and builds once they are installed", async () => {
    const args = ["bundle", "lambda-edge", "--policy", "good.json", "--out", "lambda-edge"];
    const missing = await cli(args);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs esbuild and fflate/);

    const peers = [
      `esbuild@${workspaceVersion("esbuild")}`,
      `fflate@${workspaceVersion("fflate")}`,
    ];
    await mustRun("npm", ["install", "--global", "--prefix", prefix, ...peers], {
      cwd: files,
      env: npmEnv(consumerEnv()),
      timeoutMs: 170_000,
    });
    const built = await cli([...args, "--json"]);
    expect(built.stderr).toBe("");
    expect(built.code).toBe(0);
    const out = JSON.parse(built.stdout) as { ok: boolean; output: { bytes: number } };
    expect(out.ok).toBe(true);
    expect(existsSync(join(files, "lambda-edge", "lambda-edge.zip"))).toBe(true);
    expect(out.output.bytes).toBeLessThan(20_000);
  });
});

describe("the CLI as a library", () => {
  it("type-checks under nodenext and bundler, and runs in-process", async () => {
    const project = await freshProject("cli", {
      ...edgeCors("cli"),
      "@types/node": workspaceVersion("@types/node"),
    });
    await expectTypeChecks(project.dir);
    const r = await mustRun(process.execPath, ["dist/lib.js", "bad.json"], { cwd: project.dir });
    const out = JSON.parse(r.stdout) as { version: string; ok: boolean; errors: number };
    expect(out.version).toBe(RELEASE_VERSION);
    expect(out.ok).toBe(false);
    expect(out.errors).toBeGreaterThanOrEqual(2);
  });
});
