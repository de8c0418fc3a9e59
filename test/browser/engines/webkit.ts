/**
 * WebKit: WebKitGTK's MiniBrowser, driven through WebKitWebDriver by selenium-webdriver. It
 * needs an X display, so a private Xvfb runs for the session. MiniBrowser refuses automation
 * without `--automation` (SessionNotCreatedError).
 */
import { writeFileSync } from "node:fs";
import { Builder, type WebDriver } from "selenium-webdriver";
import { findWebKit } from "./binaries.ts";
import { type Helper, startWebKitDriver, startXvfb } from "./processes.ts";
import type { EngineSession } from "./session.ts";

export async function launchWebKit(): Promise<EngineSession> {
  const bin = findWebKit();
  const helpers: Helper[] = [];
  const stopHelpers = async () => {
    for (const h of helpers.reverse()) await h.stop();
  };
  let driver: WebDriver | undefined;
  try {
    const xvfb = await startXvfb(bin.xvfb);
    helpers.push(xvfb);
    const server = await startWebKitDriver(bin.driver, xvfb.display);
    helpers.push(server);
    driver = await new Builder()
      .usingServer(server.url)
      .withCapabilities({
        browserName: "MiniBrowser",
        "webkitgtk:browserOptions": { binary: bin.miniBrowser, args: ["--automation"] },
      })
      .build();
    await driver.manage().setTimeouts({ pageLoad: 30_000, script: 30_000 });
    const caps = await driver.getCapabilities();
    const d = driver;
    return {
      engine: "webkit",
      version: `WebKitGTK ${String(caps.get("browserVersion") ?? "unknown")}`,
      async goto(url) {
        await d.get(url);
      },
      evaluate: <T>(expression: string) => d.executeScript(`return (${expression});`) as Promise<T>,
      async screenshot(path, width, height) {
        await d.manage().window().setRect({ width, height });
        writeFileSync(path, Buffer.from(await d.takeScreenshot(), "base64"));
      },
      async close() {
        await d.quit().catch(() => {});
        await stopHelpers();
      },
    };
  } catch (e) {
    await driver?.quit().catch(() => {});
    await stopHelpers();
    throw e;
  }
}
