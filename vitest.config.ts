import { defineConfig } from "vitest/config";

// Each package and worker owns its vitest project (Node or workerd); this file only lists them.
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "packages/hono/vitest.workerd.config.ts",
      "workers/*/vitest.config.ts",
      "workers/cloudflare/vitest.bundle.config.ts",
      "test/*/vitest.config.ts",
      // Real Chromium, Firefox, WebKit + workerd, set up by scripts/ensure-browsers.sh: `pnpm test:browser`.
      "!test/browser/vitest.config.ts",
      // Packs, installs and runs the published packages: `pnpm test:consumer` (builds first).
      "!test/consumer/vitest.config.ts",
    ],
  },
});
