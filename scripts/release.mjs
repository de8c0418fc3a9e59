// Publishes the @edge-cors packages one at a time, in the documented release order
// (docs/release.md): every package after the packages it depends on, so an interrupted release
// never leaves a published package whose dependencies are missing. Changesets bumps the versions
// and writes the changelogs (`pnpm changeset version`), but its `publish` runs in parallel.
//
// Usage: node scripts/release.mjs [pnpm publish flags…]   e.g. --dry-run, --otp 123456, --tag next
// A version that the registry already has is skipped, so a failed release can simply be rerun.
// Run `pnpm build` first (`pnpm release` does).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ORDER = JSON.parse(readFileSync(join(ROOT, "scripts", "release-order.json"), "utf8"));
const flags = process.argv.slice(2);
const registryAt = flags.indexOf("--registry");
const registry = registryAt >= 0 ? ["--registry", flags[registryAt + 1]] : [];

function published(name, version) {
  const r = spawnSync("npm", ["view", `${name}@${version}`, "version", ...registry], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return r.status === 0 && r.stdout.trim() === version;
}

for (const dir of ORDER) {
  const cwd = join(ROOT, "packages", dir);
  const { name, version } = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8"));
  if (!existsSync(join(cwd, "dist"))) {
    console.error(`${name}: no dist/ (run pnpm build first)`);
    process.exit(1);
  }
  if (!flags.includes("--dry-run") && published(name, version)) {
    console.log(`${name}@${version} is already published: skipped`);
    continue;
  }
  console.log(`publishing ${name}@${version}`);
  const r = spawnSync("pnpm", ["publish", ...flags], { cwd, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`${name}@${version}: pnpm publish exited ${r.status}; fix it and rerun`);
    process.exit(r.status ?? 1);
  }
}
