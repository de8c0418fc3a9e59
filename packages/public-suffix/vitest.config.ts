import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "public-suffix", include: ["test/**/*.test.ts"] },
});
