import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "cli",
    environment: "node",
    include: ["test/**/*.test.ts"],
    // End-to-end tests spawn the real CLI (tsx start-up ≈ 1 s each on 2 cores).
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
