/** Runs client.ts as a separate process and returns its result. Killed if it overruns. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { LoadResult, LoadSpec } from "./types.ts";

const CLIENT = join(import.meta.dirname, "client.ts");
/** The repository root: `--import tsx` resolves from the child's working directory. */
const ROOT = join(import.meta.dirname, "../..");

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLIENT, JSON.stringify(spec)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d;
    });
    // The generator stops itself at durationSec; this is the backstop.
    const killer = setTimeout(() => child.kill("SIGKILL"), (spec.durationSec + 30) * 1000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(killer);
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || line === "")
        return reject(new Error(`load generator failed (exit ${code}):\n${err}${out}`));
      resolve(JSON.parse(line) as LoadResult);
    });
  });
}
