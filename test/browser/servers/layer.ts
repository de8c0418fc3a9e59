/**
 * The Cloudflare edge layer, for real: the root wrangler.toml's Worker bundled by
 * `wrangler deploy --dry-run` and run in workerd by Miniflare, one instance per policy.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { wranglerBundle } from "../../../scripts/wrangler-bundle.ts";

export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
/** workerd 1.20260426 knows dates up to 2026-05-03 (toolchain notes); same as wrangler.toml. */
export const COMPATIBILITY_DATE = "2026-05-01";

export interface Bundle {
  scriptPath: string;
  dispose(): void;
}

/** Bundles the Worker exactly as `wrangler deploy` would ship it. */
export function bundleWorker(): Bundle {
  const outdir = mkdtempSync(join(tmpdir(), "edge-cors-worker-"));
  try {
    const scriptPath = wranglerBundle(outdir);
    return { scriptPath, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(outdir, { recursive: true, force: true });
    throw e;
  }
}

export interface Layer {
  /** Miniflare's own URL (the browser goes through the counting front instead). */
  url: string;
  close(): Promise<void>;
}

/** Bindings are the Worker's vars: CORS_POLICY (JSON text) and UPSTREAM_URL; absent = default. */
export async function startLayer(
  scriptPath: string,
  bindings: Record<string, string>,
): Promise<Layer> {
  const mf = new Miniflare({
    scriptPath,
    modules: true,
    // Module names are relative to this root; the bundle lives outside the working directory.
    modulesRoot: dirname(scriptPath),
    compatibilityDate: COMPATIBILITY_DATE,
    host: "127.0.0.1",
    port: 0,
    bindings,
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      forward(stdout, process.stdout);
      forward(stderr, process.stderr);
    },
  });
  const url = await mf.ready;
  return { url: url.origin, close: () => mf.dispose() };
}

/**
 * workerd's output, minus one known-harmless report: a browser drops the connection after a
 * refused preflight, and workerd logs the failed write ("Broken pipe") with a stack line.
 */
function forward(from: Readable, to: NodeJS.WriteStream): void {
  let skipStack = false;
  createInterface({ input: from }).on("line", (line) => {
    if (line.includes("disconnected: ::write") && line.includes("Broken pipe")) {
      skipStack = true;
      return;
    }
    if (skipStack && line.startsWith("stack:")) {
      skipStack = false;
      return;
    }
    skipStack = false;
    to.write(`${line}\n`);
  });
}
