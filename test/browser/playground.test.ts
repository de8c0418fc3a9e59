/**
 * The playground page in the real Chromium: each preset is sent from the page (or its
 * sandboxed iframe) to the Worker running the root wrangler.toml as-is (embedded default
 * policy, built-in demo upstream), and the page must show the browser model agreeing with
 * what Chromium did.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../playground/server.ts";
import { type Chromium, launchChromium } from "./chromium.ts";
import { type Bundle, bundleWorker, type Layer, startLayer } from "./servers/layer.ts";

/** Preset label → does Chromium's fetch resolve? (sanity column; the page computes the rest). */
const PRESETS: Array<[string, boolean]> = [
  ["simple GET", true],
  ["PUT + JSON", true],
  ["Authorization", true],
  ["lowercase patch", false],
  ["unlisted header", false],
  ["credentials", false],
  ["Origin: null", false],
  ["upstream 404", true],
];

let bundle: Bundle | undefined;
let layer: Layer | undefined;
let playground: Playground | undefined;
let browser: Chromium | undefined;
let page: Page;

beforeAll(async () => {
  bundle = bundleWorker();
  // No bindings at all: exactly what `pnpm start` serves with the committed wrangler.toml.
  layer = await startLayer(bundle.scriptPath, {});
  playground = await startPlayground({ layerUrl: layer.url, port: 0 });
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(playground.url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await playground?.close();
  await layer?.close();
  bundle?.dispose();
});

describe("playground", () => {
  it.each(PRESETS)("%s", async (label, resolves) => {
    await page.getByRole("button", { name: label, exact: true }).click();
    await page.getByRole("button", { name: "Send from the browser" }).click();
    await page.waitForSelector("#result[data-state=done]", { timeout: 15_000 });
    const banner = page.locator("#result .banner");
    expect(await banner.getAttribute("class")).toBe(`banner ${resolves ? "ok" : "bad"}`);
    expect(await banner.locator(".agree").textContent()).toBe("✓ the browser model agrees");
    // The raw exchange is shown: a preflight card when one was needed, always the actual one
    // unless the preflight failed.
    expect(await page.locator("#result [data-step]").count()).toBeGreaterThan(0);
  });
});
