/**
 * The playground page in a real engine: each preset is sent from the page (or its sandboxed
 * iframe) to the Worker running the root wrangler.toml as-is (embedded default policy, built-in
 * demo upstream). The page must name the engine it runs in, show every engine's verdict, and
 * report that its own engine's model agrees with what the engine did. Driven by evaluating
 * DOM expressions only, so the same checks run over CDP, BiDi and WebDriver.
 */
import { engineProfile, RULESETS } from "@edge-cors/browser";
import { beforeAll, expect, it } from "vitest";
import type { EngineSession } from "./engines/session.ts";

/** Preset label → does the fetch resolve? (sanity column; the page computes the rest). */
const PRESETS: Array<[string, boolean]> = [
  ["simple GET", true],
  ["PUT + JSON", true],
  ["PUT, cache: no-store", true],
  ["Authorization", true],
  ["lowercase patch", false],
  ["unlisted header", false],
  ["credentials", false],
  ["Origin: null", false],
  ["upstream 404", true],
];

async function waitFor(session: EngineSession, expression: string, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await session.evaluate<boolean>(expression))) {
    if (Date.now() > deadline) throw new Error(`${session.version}: ${what} within 15 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Shown {
  banner: string | null;
  agree: string | null;
  pageEngine: string | null;
  verdicts: Array<{ ruleset: string | null; ok: string | null; self: boolean }>;
  steps: number;
}

const SHOWN = `(() => {
  const q = (s) => document.querySelector(s);
  return {
    banner: q("#result .banner")?.getAttribute("class") ?? null,
    agree: q("#result .banner .agree")?.textContent ?? null,
    pageEngine: q("#page-engine")?.textContent ?? null,
    verdicts: [...document.querySelectorAll("#result [data-ruleset]")].map((r) => ({
      ruleset: r.getAttribute("data-ruleset"),
      ok: r.getAttribute("data-ok"),
      self: r.classList.contains("self"),
    })),
    steps: document.querySelectorAll("#result [data-step]").length,
  };
})()`;

/** Registers the playground tests for the session `current()` returns. */
export function playgroundChecks(current: () => EngineSession, url: () => string): void {
  beforeAll(async () => {
    const session = current();
    await session.goto(url());
    await waitFor(session, `document.body.dataset.ready === "true"`, "the playground did not load");
  });

  it.each(PRESETS)("%s", async (preset, resolves) => {
    const session = current();
    const label = engineProfile(session.engine).label;
    const clicked = await session.evaluate<boolean>(`(() => {
      const b = [...document.querySelectorAll("#presets button")].find((x) => x.textContent === ${JSON.stringify(preset)});
      if (!b) return false;
      b.click();
      document.getElementById("result").dataset.state = "sending";
      document.querySelector("#request button[type=submit]").click();
      return true;
    })()`);
    expect(clicked, `preset button "${preset}"`).toBe(true);
    await waitFor(
      session,
      `document.getElementById("result").dataset.state === "done"`,
      `no result for "${preset}"`,
    );
    const shown = await session.evaluate<Shown>(SHOWN);
    expect(shown.pageEngine, "the page names the engine it runs in").toBe(label);
    expect(shown.banner).toBe(`banner ${resolves ? "ok" : "bad"}`);
    expect(shown.agree).toBe(`✓ the ${label} model agrees`);
    // One verdict per ruleset, the page's own engine marked, its verdict the engine's outcome.
    expect(shown.verdicts.map((v) => v.ruleset)).toEqual([...RULESETS]);
    const own = shown.verdicts.filter((v) => v.self);
    expect(own).toEqual([{ ruleset: session.engine, ok: String(resolves), self: true }]);
    // The raw exchange is shown: a preflight card when one was needed, the actual one unless
    // the preflight failed.
    expect(shown.steps).toBeGreaterThan(0);
  });
}
