// Bundle sizes: the core (esbuild bundle, minified, platform neutral, gzip -9 with node:zlib),
// its other entry points when they exist, and — when their builds have been run — the
// Cloudflare Worker bundle and the Lambda@Edge zip. Never builds the Worker or the zip itself.
//
//   node scripts/size.mjs          human-readable lines
//   node scripts/size.mjs --json   one JSON object: { entries: [{ name, path, bytes, gzip, limit? }] }

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
/** Issue 13's target for `createCors` bundled alone (esbuild, minified, gzip -9). */
const CREATE_CORS_LIMIT = 6 * 1024;

const gz = (buf) => gzipSync(buf, { level: 9 }).length;

async function bundle(entry, contents) {
  const r = await build({
    ...(contents === undefined
      ? { entryPoints: [join(root, entry)] }
      : { stdin: { contents, resolveDir: root, sourcefile: "entry.ts", loader: "ts" } }),
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    // As bundlers for Workers and browsers resolve packages (tldts ships ESM under "module").
    mainFields: ["module", "main"],
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const code = r.outputFiles[0].contents;
  return { bytes: code.length, gzip: gz(code) };
}

/** Every file under `dir` whose name ends with one of `exts`, largest first. */
function filesUnder(dir, exts) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (exts.some((e) => name.endsWith(e))) out.push({ path: p, size: st.size });
    }
  };
  walk(abs);
  return out.sort((a, b) => b.size - a.size);
}

export async function sizes() {
  const entries = [];
  entries.push({
    name: "createCors alone",
    path: "packages/core/src/index.ts",
    ...(await bundle("", 'export { createCors } from "./packages/core/src/index.ts";')),
    limit: CREATE_CORS_LIMIT,
  });
  entries.push({
    name: "core, every export (@edge-cors/core)",
    path: "packages/core/src/index.ts",
    ...(await bundle("packages/core/src/index.ts")),
  });
  entries.push({
    name: "the request path alone (corsFromCompiled, a precompiled policy)",
    path: "packages/core/src/index.ts",
    ...(await bundle("", 'export { corsFromCompiled } from "./packages/core/src/index.ts";')),
  });
  for (const [name, entry] of [
    ["edge", "packages/edge/src/index.ts"],
    ["browser", "packages/browser/src/index.ts"],
  ]) {
    if (existsSync(join(root, entry)))
      entries.push({ name, path: entry, ...(await bundle(entry)) });
  }
  // Cloudflare Worker: whatever `wrangler deploy --dry-run --outdir dist…` left (largest .js).
  const worker = filesUnder("workers/cloudflare/dist", [".js", ".mjs"])[0];
  if (worker) {
    const buf = readFileSync(worker.path);
    entries.push({
      name: "Cloudflare Worker bundle",
      path: relative(root, worker.path),
      bytes: buf.length,
      gzip: gz(buf),
    });
  }
  // Lambda@Edge: the deployment zip, already compressed.
  const zip = filesUnder("workers/lambda-edge/dist", [".zip"])[0];
  if (zip)
    entries.push({
      name: "Lambda@Edge zip",
      path: relative(root, zip.path),
      bytes: zip.size,
      gzip: null,
    });
  return { entries };
}

function kb(n) {
  return `${(n / 1024).toFixed(2)} KB`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await sizes();
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(result));
  } else {
    for (const e of result.entries) {
      const gzip = e.gzip === null ? "" : `, ${e.gzip} B min+gzip (${kb(e.gzip)})`;
      const limit = e.limit
        ? ` — target ≤ ${kb(e.limit)}: ${e.gzip <= e.limit ? "met" : "NOT met"}`
        : "";
      console.log(
        `${e.name}: ${e.bytes} B${e.gzip === null ? "" : " minified"}${gzip}${limit}  [${e.path}]`,
      );
    }
    if (!result.entries.some((e) => e.name.startsWith("Cloudflare"))) {
      console.log("Cloudflare Worker bundle: not built (workers/cloudflare/dist absent)");
    }
    if (!result.entries.some((e) => e.name.startsWith("Lambda"))) {
      console.log("Lambda@Edge zip: not built (workers/lambda-edge/dist/*.zip absent)");
    }
  }
}
