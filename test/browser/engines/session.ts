/**
 * One browser engine, launched once for the whole suite: Chromium over CDP and Firefox over
 * WebDriver BiDi (puppeteer-core), WebKit (WebKitGTK MiniBrowser) over classic WebDriver
 * (selenium-webdriver → WebKitWebDriver) under Xvfb. Every profile is fresh and temporary.
 */
import type { Engine } from "@edge-cors/browser";
import { launchPuppeteer } from "./puppeteer.ts";
import { launchWebKit } from "./webkit.ts";

export interface EngineSession {
  engine: Engine;
  /** Product and version, e.g. "Chromium 156.0.8078.114". */
  version: string;
  /** Navigates the one tab and waits for its load event. */
  goto(url: string): Promise<void>;
  /** Evaluates a JavaScript expression in the page; a promise is awaited. JSON results only. */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the page, `width` × `height` CSS pixels. */
  screenshot(path: string, width: number, height: number): Promise<void>;
  close(): Promise<void>;
}

export function launchEngine(engine: Engine): Promise<EngineSession> {
  return engine === "webkit" ? launchWebKit() : launchPuppeteer(engine);
}
