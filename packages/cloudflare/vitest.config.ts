import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";

// workerd: withCors around real ExportedHandlers, called the way the runtime calls them.
export default defineProject({
  plugins: [cloudflareTest({ miniflare: { compatibilityDate: "2026-05-01" } })],
  test: { name: "cloudflare", include: ["test/**/*.test.ts"] },
});
