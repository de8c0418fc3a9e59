/** Chromium (CDP) and Firefox (WebDriver BiDi, no geckodriver) through puppeteer-core. */
import puppeteer, { type Browser } from "puppeteer-core";
import { findChromium, findFirefox } from "./binaries.ts";
import type { EngineSession } from "./session.ts";

/** Flags from /work/shared/notes/toolchain.md; puppeteer adds --headless and its own profile. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Quiet, automation-friendly Firefox prefs (puppeteer sets the rest). */
const FIREFOX_PREFS = {
  "network.captive-portal-service.enabled": false,
  "network.connectivity-service.enabled": false,
  "browser.safebrowsing.malware.enabled": false,
  "browser.safebrowsing.phishing.enabled": false,
};

export async function launchPuppeteer(engine: "chromium" | "firefox"): Promise<EngineSession> {
  const browser: Browser =
    engine === "chromium"
      ? await puppeteer.launch({
          executablePath: findChromium(),
          headless: true,
          args: CHROMIUM_ARGS,
          timeout: 30_000,
        })
      : await puppeteer.launch({
          browser: "firefox",
          executablePath: findFirefox(),
          headless: true,
          extraPrefsFirefox: FIREFOX_PREFS,
          timeout: 60_000,
        });
  try {
    const [existing] = await browser.pages();
    const page = existing ?? (await browser.newPage());
    const raw = await browser.version(); // "Chrome/156.0…" or "firefox/153.8.0"
    const version = `${engine === "chromium" ? "Chromium" : "Firefox"} ${raw.split("/").at(-1)}`;
    return {
      engine,
      version,
      async goto(url) {
        await page.goto(url, { waitUntil: "load", timeout: 30_000 });
      },
      evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
      async screenshot(path, width, height) {
        await page.setViewport({ width, height });
        await page.screenshot({ path: path as `${string}.png`, fullPage: true });
      },
      close: () => browser.close().catch(() => {}),
    };
  } catch (e) {
    await browser.close().catch(() => {});
    throw e;
  }
}
