/**
 * The rollout, end to end, offline: `wrangler dev` (the real CLI, workerd) serves the
 * Worker with a report-mode CORS_POLICY in front of a real 127.0.0.1 upstream; its stdout is
 * captured as a user's terminal (or `wrangler tail`) would show it, and piped into the real
 * `edge-cors report` bin. Both are printed, for the record.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstream, type Upstream } from "../upstream/server.ts";

const ROOT = resolve(import.meta.dirname, "../../../..");
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");
const EDGE_CORS = join(ROOT, "packages/cli/bin/dev.js"); // the workspace bin (sources through tsx)
const APP = "https://app.example.com";
const PARTNER = "https://partner.example";
const POLICY = JSON.stringify({
  mode: "report",
  allowOrigins: [APP],
  allowMethods: ["PUT"],
  routes: [{ path: "/admin/*", allowOrigins: ["https://admin.example.com"] }],
});
const READY_MS = 90_000;

/** A 127.0.0.1 port that was free a moment ago (wrangler dev has no --port 0). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let upstream: Upstream;
let dev: ChildProcess | null = null;
let stdout = "";
let origin = "";
const state = mkdtempSync(join(tmpdir(), "edge-cors-wrangler-dev-"));

/** Stops wrangler dev's whole process tree (node, esbuild, workerd): it leads its own group. */
async function stopDev(): Promise<void> {
  const child = dev;
  dev = null;
  if (child?.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Gone already.
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  upstream = await startUpstream();
  const [port, inspector] = [await freePort(), await freePort()];
  dev = spawn(
    WRANGLER,
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspector),
      "--persist-to",
      join(state, "persist"),
      "--show-interactive-dev-session=false",
      "--var",
      `CORS_POLICY:${POLICY}`,
      "--var",
      `UPSTREAM_URL:${upstream.url}`,
    ],
    {
      cwd: ROOT,
      detached: true, // its own process group, stopped as a whole
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_SEND_ERROR_REPORTS: "false",
        XDG_CONFIG_HOME: join(state, "config"),
        NO_COLOR: "1",
        FORCE_COLOR: "0",
      },
    },
  );
  let stderr = "";
  dev.stdout!.on("data", (c) => {
    stdout += c;
  });
  dev.stderr!.on("data", (c) => {
    stderr += c;
  });
  const deadline = Date.now() + READY_MS;
  while (!/Ready on http:\/\/127\.0\.0\.1:\d+/.test(stdout)) {
    if (dev.exitCode !== null || Date.now() > deadline)
      throw new Error(`wrangler dev did not start:\n${stdout}\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  origin = `http://127.0.0.1:${port}`;
}, READY_MS + 10_000);

afterAll(async () => {
  await stopDev();
  await upstream?.stop();
  rmSync(state, { recursive: true, force: true });
});

/** The decision lines on wrangler dev's stdout, waiting (bounded) until there are `n`. */
async function decisionLines(n: number): Promise<string[]> {
  const lines = () => stdout.split("\n").filter((l) => l.startsWith('{"event":"cors.'));
  const deadline = Date.now() + 10_000;
  while (lines().length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return lines();
}

/** The real edge-cors bin, reading `input` on stdin. */
function edgeCorsReport(args: string[], input: string): Promise<{ code: number; out: string }> {
  return new Promise((resolveRun, reject) => {
    const child = execFile(
      process.execPath,
      [EDGE_CORS, "report", "-", ...args],
      { timeout: 20_000, env: { ...process.env, NO_COLOR: "1" } },
      (err, out) => {
        const code = err === null ? 0 : typeof err.code === "number" ? err.code : null;
        if (code === null) reject(err);
        else resolveRun({ code, out });
      },
    );
    child.stdin!.end(input);
  });
}

describe("wrangler dev, CORS_POLICY in report mode", () => {
  it("writes one exact JSON line per refused decision; allowed ones and responses untouched; edge-cors report counts them", async () => {
    const send = async (path: string, init: RequestInit) => {
      const res = await fetch(`${origin}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      return res;
    };
    const refusedPreflight = await send("/v1/items", {
      method: "OPTIONS",
      headers: { origin: PARTNER, "access-control-request-method": "PUT" },
    });
    const refusedGet = await send("/admin/users?session=query-secret", {
      headers: { origin: APP, cookie: "s=cookie-secret", authorization: "Bearer auth-secret" },
    });
    const refusedMethod = await send("/v1/items", {
      method: "OPTIONS",
      headers: { origin: APP, "access-control-request-method": "DELETE" },
    });
    const allowedPreflight = await send("/v1/items", {
      method: "OPTIONS",
      headers: { origin: APP, "access-control-request-method": "PUT" },
    });
    const allowedGet = await send("/echo", { headers: { origin: APP } });
    const refusedAgain = await send("/echo", { headers: { origin: PARTNER } });

    // Report mode: every request reached the upstream and came back without CORS headers.
    for (const res of [
      refusedPreflight,
      refusedGet,
      refusedMethod,
      allowedPreflight,
      allowedGet,
      refusedAgain,
    ]) {
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-methods")).toBeNull();
    }
    expect(refusedPreflight.status).toBe(404); // the upstream's own answer to OPTIONS /v1/items
    expect(allowedGet.status).toBe(200);

    const lines = await decisionLines(4);
    const time = /,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"\}$/;
    expect(lines.every((l) => time.test(l))).toBe(true);
    expect(lines.map((l) => l.replace(time, "}"))).toEqual([
      `{"event":"cors.decision","mode":"report","allowed":false,"kind":"preflight","origin":"${PARTNER}","method":"PUT","path":"/v1/items","route":null,"refusal":"origin-not-allowed","reason":"Origin ${PARTNER} is not allowed","fix":"add \\"${PARTNER}\\" (or a pattern covering it) to allowOrigins"}`,
      `{"event":"cors.decision","mode":"report","allowed":false,"kind":"actual","origin":"${APP}","method":"GET","path":"/admin/users","route":"/admin/*","refusal":"origin-not-allowed","reason":"Origin ${APP} is not allowed","fix":"add \\"${APP}\\" (or a pattern covering it) to allowOrigins of route \\"/admin/*\\""}`,
      `{"event":"cors.decision","mode":"report","allowed":false,"kind":"preflight","origin":"${APP}","method":"DELETE","path":"/v1/items","route":null,"refusal":"method-not-allowed","reason":"Access-Control-Request-Method DELETE is not in allowMethods","fix":"add \\"DELETE\\" to allowMethods"}`,
      `{"event":"cors.decision","mode":"report","allowed":false,"kind":"actual","origin":"${PARTNER}","method":"GET","path":"/echo","route":null,"refusal":"origin-not-allowed","reason":"Origin ${PARTNER} is not allowed","fix":"add \\"${PARTNER}\\" (or a pattern covering it) to allowOrigins"}`,
    ]);
    expect(stdout).not.toMatch(/secret/);
    console.log(`captured wrangler dev stdout:\n${stdout}`);

    // The whole captured terminal output, wrangler's own lines included, into edge-cors report.
    const json = await edgeCorsReport(["--json"], stdout);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out);
    expect(report).toMatchObject({
      total: 4,
      refused: 4,
      allowed: 0,
      byOrigin: [
        { origin: APP, count: 2, reasons: ["origin-not-allowed", "method-not-allowed"] },
        { origin: PARTNER, count: 2, reasons: ["origin-not-allowed"], routes: [null] },
      ],
      byReason: [
        { reason: "origin-not-allowed", count: 3, origins: 2 },
        { reason: "method-not-allowed", count: 1, origins: 1 },
      ],
      byRoute: [
        { route: null, count: 3, origins: 2 },
        { route: "/admin/*", count: 1, origins: 1 },
      ],
    });
    const table = await edgeCorsReport([], stdout);
    expect(table.out).toMatch(/^edge-cors report {2}4 decisions, 4 refused, 0 allowed/);
    console.log(`edge-cors report:\n${table.out}`);
  });
});
