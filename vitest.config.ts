import { defineConfig } from "vitest/config";

// Each package and worker owns its vitest project (Node or workerd); this file only lists them.
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "workers/*/vitest.config.ts",
      "test/*/vitest.config.ts",
    ],
  },
});
