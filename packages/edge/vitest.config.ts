import { defineProject } from "vitest/config";

// Node: the shared edge module's own logic (the decision log). The proxy and the layers are
// tested through the real runtimes (workers/cloudflare in workerd, workers/deno in Deno).
export default defineProject({
  test: { name: "edge", include: ["test/**/*.test.ts"] },
});
