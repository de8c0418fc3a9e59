/** Launches the Debian Chromium through playwright-core, with the project's flags. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Flags from /work/shared/notes/toolchain.md (`--headless` is added by playwright itself). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The installed binary (`which chromium`); throws a loud, actionable error when absent. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  try {
    const path = execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
    if (path !== "") return path;
  } catch {
    // fall through to the error below
  }
  throw new Error(
    "Chromium not found on PATH. The browser suite needs a real Chromium: run `bash scripts/ensure-chromium.sh` (apt-get install -y chromium, as root) or `pnpm test:browser`, which runs it first.",
  );
}

export interface Chromium {
  context: BrowserContext;
  version: string;
  close(): Promise<void>;
}

/** A fresh profile (own --user-data-dir) per launch: no preflight cache, no cookies carried over. */
export async function launchChromium(): Promise<Chromium> {
  const executablePath = findChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), "edge-cors-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const version = context.browser()?.version() ?? "unknown";
  return {
    context,
    version,
    async close() {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
