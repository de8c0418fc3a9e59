/**
 * The consumer test's tools: processes (every one started here is stopped here), fresh projects
 * outside the workspace installed from the local registry, and the workspace's own binaries
 * (tsc, wrangler, deno) pointed at those projects.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, inject } from "vitest";

/** What global-setup.ts hands to the tests. */
export interface ConsumerEnv {
  /** The Verdaccio serving the packed @edge-cors/* tarballs (and proxying the rest). */
  registry: string;
  /** A temporary directory outside the workspace; removed after the run. */
  work: string;
  /** npm's user config and cache for installs (no auth, no ~/.npmrc). */
  npmrc: string;
  npmCache: string;
  tarballs: Tarball[];
}

export interface Tarball {
  /** The package's directory under packages/. */
  dir: string;
  name: string;
  version: string;
  file: string;
  /** Where the tarball was extracted (its `package/` folder). */
  unpacked: string;
  packedBytes: number;
  unpackedBytes: number;
  files: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    consumer: ConsumerEnv;
  }
}

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const ROOT_MODULES = join(ROOT, "node_modules");

/** The workspace's tools, run against the fresh projects (their own node_modules resolve). */
export const TOOLS = {
  tsc: join(ROOT_MODULES, "typescript", "bin", "tsc"),
  wrangler: join(ROOT_MODULES, "wrangler", "bin", "wrangler.js"),
  /** The real binary, not the npm shim: its PID is the one to stop. */
  deno: join(ROOT_MODULES, "deno", "deno"),
};

/** The version the workspace tests with, so a fresh project gets the same third-party code. */
export function workspaceVersion(pkg: string): string {
  return (JSON.parse(readFileSync(join(ROOT_MODULES, pkg, "package.json"), "utf8")) as Version)
    .version;
}
interface Version {
  version: string;
}

/** Version of the @edge-cors packages being released (they move together). */
export const RELEASE_VERSION = (
  JSON.parse(readFileSync(join(ROOT, "packages", "core", "package.json"), "utf8")) as Version
).version;

/** The documented release order (docs/release.md), which scripts/release.mjs follows. */
export const RELEASE_ORDER = JSON.parse(
  readFileSync(join(ROOT, "scripts", "release-order.json"), "utf8"),
) as string[];

export function consumerEnv(): ConsumerEnv {
  return inject("consumer");
}

/**
 * The environment of a user's shell: none of pnpm's/npm's `npm_*` variables, no NODE_OPTIONS, and
 * no workspace `node_modules/.bin` on PATH (a fresh project must not see the workspace's tools).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|vitest|node_options$|node_env$|force_color$)/i.test(k)) continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((p) => !p.includes("node_modules/.bin"))
    .join(delimiter);
  return { ...env, NO_COLOR: "1", ...extra };
}

/** npm's settings for a fresh project: the local registry, a private cache, no ~/.npmrc. */
export function npmEnv(c: ConsumerEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return userEnv({
    npm_config_registry: c.registry,
    npm_config_userconfig: c.npmrc,
    npm_config_cache: c.npmCache,
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    ...extra,
  });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** A child in its own process group (so that stopping it stops what it started), output piped. */
function spawnGroup(cmd: string, args: string[], opts: RunOptions) {
  return spawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? userEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
}

/** Runs a command to completion (killed, with its process group, after `timeoutMs`). */
export function run(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawnGroup(cmd, args, opts);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), opts.timeoutMs ?? 120_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** `run`, failing with the command's output unless it exits 0. */
export async function mustRun(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} (in ${opts.cwd}) exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
    );
  }
  return r;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export interface Server {
  port: number;
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

/**
 * Starts a long-running process in its own process group and waits for the line it prints
 * once listening: a JSON object with `port`. `stop()` sends SIGTERM to the group, then SIGKILL.
 */
export function serve(cmd: string, args: string[], opts: RunOptions): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawnGroup(cmd, args, opts);
    running.add(child);
    let out = "";
    let settled = false;
    const exited = new Promise<void>((done) => child.on("close", () => done()));
    const stop = async () => {
      killGroup(child, "SIGTERM");
      const t = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(t);
      running.delete(child);
    };
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      void stop().then(() => reject(new Error(`${cmd} ${args.join(" ")}: ${why}\n${out}`)));
    };
    const timer = setTimeout(() => fail("no port line in time"), opts.timeoutMs ?? 60_000);
    const onData = (d: Buffer) => {
      out += d;
      if (settled) return;
      for (const line of out.split("\n")) {
        const m = /^\{"port":(\d+)\}$/.exec(line.trim());
        if (m) {
          settled = true;
          clearTimeout(timer);
          const port = Number(m[1]);
          resolve({ port, url: `http://127.0.0.1:${port}`, output: () => out, stop });
          return;
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d: Buffer) => {
      out += d;
    });
    child.on("error", (e) => fail(String(e)));
    child.on("close", (code) => {
      clearTimeout(timer);
      fail(`exited ${code} before listening`);
    });
  });
}

export interface Project {
  dir: string;
  install: RunResult;
}

/**
 * A fresh project outside the workspace: the fixture's files, a package.json with `dependencies`
 * (as a user would write them), then `npm install` from the local registry.
 */
export async function freshProject(
  fixture: string,
  dependencies: Record<string, string>,
): Promise<Project> {
  const c = consumerEnv();
  const dir = fixtureCopy(fixture);
  const manifest = { name: `consumer-${fixture}`, private: true, type: "module", dependencies };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const install = await mustRun("npm", ["install", "--no-audit", "--no-fund"], {
    cwd: dir,
    env: npmEnv(c),
    timeoutMs: 170_000,
  });
  return { dir, install };
}

/** A copy of `fixtures/<fixture>` in a new directory outside the workspace. */
export function fixtureCopy(fixture: string): string {
  const dir = mkdtempSync(join(consumerEnv().work, `${fixture}-`));
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

/** The @edge-cors packages at the version being released. */
export function edgeCors(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [`@edge-cors/${n}`, RELEASE_VERSION]));
}

/** `tsc -p <config>` with the workspace's TypeScript, in a fresh project. */
export function tsc(dir: string, config: string): Promise<RunResult> {
  return run(process.execPath, [TOOLS.tsc, "-p", config], { cwd: dir });
}

/** Asserts that `tsc` passed without a single diagnostic. */
export function expectClean(r: RunResult): void {
  expect(r.stdout + r.stderr).toBe("");
  expect(r.code).toBe(0);
}

/** The fixture's `tsconfig.json` (nodenext, emits dist/) and `tsconfig.bundler.json`, both clean. */
export async function expectTypeChecks(dir: string): Promise<void> {
  expectClean(await tsc(dir, "tsconfig.json"));
  expectClean(await tsc(dir, "tsconfig.bundler.json"));
}

/** Bytes of every file below `dir` (what `du --apparent-size` counts, without directories). */
export function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

/** Every file below `dir`, as paths relative to it with `/` separators. */
export function treeFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...treeFiles(join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Sends a CORS preflight the way a browser does. */
export function preflight(url: string, origin: string, method: string, headers?: string) {
  const h: Record<string, string> = { Origin: origin, "Access-Control-Request-Method": method };
  if (headers !== undefined) h["Access-Control-Request-Headers"] = headers;
  return fetch(url, { method: "OPTIONS", headers: h });
}
