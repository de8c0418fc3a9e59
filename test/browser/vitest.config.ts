import { defineProject } from "vitest/config";

// Real Chromium + workerd: run with `pnpm test:browser` (which installs Chromium first).
// Kept out of the root `vitest run` glob, see /vitest.config.ts and docs/browser.md.
export default defineProject({
  test: {
    name: "browser",
    root: import.meta.dirname,
    include: ["*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
