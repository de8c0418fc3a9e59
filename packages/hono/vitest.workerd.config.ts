import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";

// workerd: the shared tests, plus a Worker whose default export is a Hono app using the
// middleware (test/workerd/worker.ts), reached through `exports.default.fetch`.
export default defineProject({
  plugins: [
    cloudflareTest({
      main: "./test/workerd/worker.ts",
      miniflare: {
        compatibilityDate: "2026-05-01",
        compatibilityFlags: ["nodejs_compat"],
        bindings: {
          CORS_POLICY: JSON.stringify({
            allowOrigins: ["https://app.example.com"],
            allowMethods: ["PUT"],
            allowCredentials: true,
          }),
        },
      },
    }),
  ],
  test: {
    name: "hono-workerd",
    include: ["test/shared/**/*.test.ts", "test/workerd/**/*.test.ts"],
  },
});
