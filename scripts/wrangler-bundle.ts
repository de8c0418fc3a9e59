// Bundles the deployable Worker (root wrangler.toml) exactly as `wrangler deploy` ships it, with
// `--dry-run --outdir`. Shared by the Worker's black-box test, the browser suite and the load bench.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "..");

/** Writes the bundle into `outdir` and returns the entry module's path; throws with wrangler's output. */
export function wranglerBundle(outdir: string, timeoutMs = 120_000): string {
  const r = spawnSync(
    join(REPO_ROOT, "node_modules/.bin/wrangler"),
    ["deploy", "--dry-run", "--outdir", outdir],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: timeoutMs,
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_SEND_ERROR_REPORTS: "false",
        XDG_CONFIG_HOME: join(outdir, ".config"),
      },
    },
  );
  const script = join(outdir, "index.js");
  if (r.status !== 0 || !existsSync(script)) {
    throw new Error(`wrangler deploy --dry-run failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return script;
}
