#!/usr/bin/env node
// `pnpm screenshot`: starts the same stack as `pnpm start` (on spare ports), opens the
// playground in the Debian Chromium the browser suite uses, sends a preflighted PUT and saves
// the page to docs/playground.png (the README's screenshot).
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { tsImport } from "tsx/esm/api";

const root = join(import.meta.dirname, "..");
const out = join(root, "docs/playground.png");
const { startStack } = await tsImport("../playground/stack.ts", import.meta.url);
const { launchChromium } = await tsImport("../test/browser/chromium.ts", import.meta.url);

const stack = await startStack({
  layerPort: Number(process.env.LAYER_PORT ?? 8797),
  pagePort: Number(process.env.PLAYGROUND_PORT ?? 5179),
  wranglerArgs: ["--inspector-port", String(process.env.INSPECTOR_PORT ?? 9339)],
  quiet: true,
});
let browser;
let failed = false;
try {
  browser = await launchChromium();
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto(stack.pageUrl);
  await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 });
  await page.getByRole("button", { name: "PUT + JSON" }).click();
  await page.getByRole("button", { name: "Send from the browser" }).click();
  await page.waitForSelector("#result[data-state=done]", { timeout: 15_000 });
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out} (Chromium ${browser.version}, playground ${stack.pageUrl})`);
} catch (e) {
  failed = true;
  console.error("screenshot failed:", e);
} finally {
  await browser?.close();
  await stack.close();
}
process.exit(failed ? 1 : 0);
