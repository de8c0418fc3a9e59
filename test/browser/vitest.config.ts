import { defineProject } from "vitest/config";

// Real Chromium, Firefox and WebKit + workerd: run with `pnpm test:browser` (which installs the
// engines first). Kept out of the root `vitest run` glob, see /vitest.config.ts and
// docs/browser.md. One file: each engine is launched once, engines run one after another.
export default defineProject({
  test: {
    name: "browser",
    root: import.meta.dirname,
    include: ["*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
