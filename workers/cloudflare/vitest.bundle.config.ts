import { defineProject } from "vitest/config";

// Node: builds the Worker exactly as `wrangler deploy` would (--dry-run) and runs that bundle,
// black-box, in Miniflare (workerd) against a real upstream on 127.0.0.1.
export default defineProject({
  test: {
    name: "cloudflare-bundle",
    environment: "node",
    include: ["test/bundle/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
