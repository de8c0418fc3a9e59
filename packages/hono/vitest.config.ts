import { defineProject } from "vitest/config";

// Node: the Hono middleware through app.request(). The same shared tests run inside workerd
// in vitest.workerd.config.ts (project "hono-workerd").
export default defineProject({
  test: { name: "hono", include: ["test/shared/**/*.test.ts", "test/node/**/*.test.ts"] },
});
