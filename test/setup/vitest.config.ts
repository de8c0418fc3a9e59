import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "setup", root: import.meta.dirname, include: ["*.test.ts"] },
});
