/**
 * `pnpm start`: the edge layer under `wrangler dev` (exactly today's start command) plus the
 * playground page on another local origin. Also used by `pnpm screenshot`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { type Playground, startPlayground } from "./server.ts";

export const REPO_ROOT = resolve(import.meta.dirname, "..");

export interface StackOptions {
  layerPort?: number;
  pagePort?: number;
  /** Extra wrangler dev flags (the screenshot uses its own inspector port). */
  wranglerArgs?: string[];
  /** Where wrangler's output goes: inherit (pnpm start) or ignore. */
  quiet?: boolean;
}

export interface Stack {
  layerUrl: string;
  pageUrl: string;
  close(): Promise<void>;
}

async function waitForLayer(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`the edge layer did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/** Stops wrangler's whole process tree (node, esbuild, workerd): it runs in its own group. */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      done();
    }, 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      clearTimeout(timer);
      done();
    }
  });
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const layerPort = options.layerPort ?? 8787;
  const layerUrl = `http://127.0.0.1:${layerPort}`;
  const wrangler = join(REPO_ROOT, "node_modules/.bin/wrangler");
  const child = spawn(
    wrangler,
    ["dev", "--ip", "127.0.0.1", "--port", String(layerPort), ...(options.wranglerArgs ?? [])],
    {
      cwd: REPO_ROOT,
      // Own process group, so stopping it stops esbuild and workerd too; no stdin (no hotkeys).
      detached: true,
      stdio: ["ignore", options.quiet ? "ignore" : "inherit", options.quiet ? "ignore" : "inherit"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false" },
    },
  );
  // Whatever ends this process (Ctrl-C, SIGTERM, or a library's own signal handler calling
  // process.exit, as the imported wrangler module does), wrangler's group goes with it.
  const onExit = () => {
    try {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.on("exit", onExit);
  let page: Playground | null = null;
  try {
    page = await startPlayground({ layerUrl, port: options.pagePort ?? 5173 });
    await waitForLayer(layerUrl, child, 60_000);
  } catch (e) {
    await page?.close();
    await stopGroup(child);
    process.off("exit", onExit);
    throw e;
  }
  const p = page;
  return {
    layerUrl,
    pageUrl: p.url,
    close: async () => {
      await p.close();
      await stopGroup(child);
      process.off("exit", onExit);
    },
  };
}
