import { defineProject } from "vitest/config";

// The consumer test (`pnpm test:consumer`, part of `pnpm test`): builds and packs every
// package, publishes the tarballs to a Verdaccio on 127.0.0.1, installs them into fresh projects
// outside the workspace and runs those in real runtimes. Kept out of the root `vitest run` glob
// (see /vitest.config.ts) because it needs the build; docs/release.md describes it.
export default defineProject({
  test: {
    name: "consumer",
    root: import.meta.dirname,
    include: ["*.test.ts"],
    globalSetup: ["./global-setup.ts"],
    // npm installs through the local registry, wrangler bundles, Deno's first npm resolution.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Two cores: one project installs while another runs.
    maxWorkers: 2,
  },
});
