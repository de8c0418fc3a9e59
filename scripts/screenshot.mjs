#!/usr/bin/env node
// `pnpm screenshot`: starts the same stack as `pnpm start` (on spare ports), opens the
// playground in the Debian Chromium the browser suite uses, sends a preflighted PUT with
// cache: "no-store" (where the engines differ in preflight reuse) and saves
// the page to docs/playground.png (the README's screenshot).
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { tsImport } from "tsx/esm/api";

const root = join(import.meta.dirname, "..");
const out = join(root, "docs/playground.png");
const { startStack } = await tsImport("../playground/stack.ts", import.meta.url);
const { launchEngine } = await tsImport("../test/browser/engines/session.ts", import.meta.url);

const stack = await startStack({
  layerPort: Number(process.env.LAYER_PORT ?? 8797),
  pagePort: Number(process.env.PLAYGROUND_PORT ?? 5179),
  wranglerArgs: ["--inspector-port", String(process.env.INSPECTOR_PORT ?? 9339)],
  quiet: true,
});

/** Polls a DOM expression in the page until it is true (bounded). */
async function until(session, expression, what) {
  const deadline = Date.now() + 15_000;
  while (!(await session.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`${what} within 15 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let session;
let failed = false;
try {
  session = await launchEngine("chromium");
  await session.goto(stack.pageUrl);
  await until(session, `document.body.dataset.ready === "true"`, "the playground did not load");
  await session.evaluate(`(() => {
    [...document.querySelectorAll("#presets button")].find((b) => b.textContent === "PUT, cache: no-store").click();
    document.querySelector("#request button[type=submit]").click();
  })()`);
  await until(session, `document.getElementById("result").dataset.state === "done"`, "no result");
  mkdirSync(dirname(out), { recursive: true });
  await session.screenshot(out, 1360, 900);
  console.log(`saved ${out} (${session.version}, playground ${stack.pageUrl})`);
} catch (e) {
  failed = true;
  console.error("screenshot failed:", e);
} finally {
  await session?.close();
  await stack.close();
}
process.exit(failed ? 1 : 0);
