/**
 * Builds the three Workers under load into one temporary directory:
 * - edge:  the deployable Worker, bundled exactly as shipped (`wrangler deploy --dry-run`);
 * - floor: workers/floor.ts, with the preflight headers the core computes for the benchmark
 *          preflight baked in (so the floor's answer is byte-for-byte the layer's answer);
 * - hono:  workers/hono-cors.ts (Hono + hono/cors), bundled with esbuild;
 * - core:  workers/core-only.ts, the core's preflight() alone (a profiling aid).
 */
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { createCors } from "@edge-cors/core";
import { build } from "esbuild";
import { wranglerBundle } from "../../scripts/wrangler-bundle.ts";
import { PATH, POLICY, PREFLIGHT_HEADERS } from "./policy.ts";

export const ROOT = resolve(import.meta.dirname, "../..");

export interface Bundle {
  /** Entry module (ES module, self-contained). */
  script: string;
  /** Directory holding it (Miniflare's modulesRoot). */
  dir: string;
  bytes: number;
  gzipBytes: number;
  /** How it was built, for the report. */
  builtWith: string;
}

export interface Bundles {
  edge: Bundle;
  floor: Bundle;
  hono: Bundle;
  /** Profiling aid: the core's preflight() alone in a Worker. */
  core: Bundle;
  /** The preflight headers baked into the floor (the core's answer for the benchmark preflight). */
  floorHeaders: [string, string][];
}

function describe(script: string, dir: string, builtWith: string): Bundle {
  const code = readFileSync(script);
  return {
    script,
    dir,
    bytes: statSync(script).size,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    builtWith,
  };
}

function buildEdge(outdir: string): Bundle {
  const script = wranglerBundle(outdir);
  return describe(script, outdir, "wrangler 4.86.0 deploy --dry-run");
}

/** The core's own answer to the benchmark preflight, as header pairs. */
async function corePreflightHeaders(): Promise<[string, string][]> {
  const cors = createCors(POLICY);
  const res = await cors.preflight(
    new Request(`http://127.0.0.1${PATH}`, { method: "OPTIONS", headers: PREFLIGHT_HEADERS }),
  );
  if (res === null || res.status !== 204)
    throw new Error(`the benchmark preflight is not granted by the policy (${res?.status})`);
  return [...res.headers];
}

async function esbuildWorker(
  entry: string,
  outdir: string,
  define: Record<string, string> = {},
): Promise<Bundle> {
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, "index.js");
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    define,
    logLevel: "warning",
  });
  return describe(outfile, outdir, "esbuild 0.27.3 (bundle, esm, not minified)");
}

export async function buildAll(dir: string): Promise<Bundles> {
  const floorHeaders = await corePreflightHeaders();
  const [floor, hono, core] = await Promise.all([
    esbuildWorker(join(import.meta.dirname, "workers/floor.ts"), join(dir, "floor"), {
      __PREFLIGHT_HEADERS__: JSON.stringify(floorHeaders),
    }),
    esbuildWorker(join(import.meta.dirname, "workers/hono-cors.ts"), join(dir, "hono")),
    esbuildWorker(join(import.meta.dirname, "workers/core-only.ts"), join(dir, "core")),
  ]);
  const edge = buildEdge(join(dir, "edge"));
  return { edge, floor, hono, core, floorHeaders };
}
