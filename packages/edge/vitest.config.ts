import { defineProject } from "vitest/config";

// Node: the edge layer's pure parts (Host check, canonical target, header hygiene) and the
// property test over path spellings × upstream readings. The runtimes test the layer itself
// (workers/cloudflare: workerd; workers/deno: the Deno binary).
export default defineProject({
  test: { name: "edge", include: ["test/**/*.test.ts"] },
});
