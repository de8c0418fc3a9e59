// Type-checks the root project and every package/worker that has its own tsconfig.json.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const projects = ["tsconfig.json"];
for (const dir of ["packages", "workers", "test"]) {
  for (const name of readdirSync(dir)) {
    const cfg = join(dir, name, "tsconfig.json");
    if (existsSync(cfg)) projects.push(cfg);
  }
}
let failed = 0;
for (const p of projects) {
  const r = spawnSync("tsc", ["-p", p, "--noEmit"], {
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  console.log(`${r.status === 0 ? "ok  " : "FAIL"} tsc -p ${p}`);
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
