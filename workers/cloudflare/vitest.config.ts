import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";

// workerd: the deployable Worker (root wrangler.toml, reached through `exports.default`) and
// the shared edge layer, against a real upstream on 127.0.0.1 (test/upstream/global-setup.ts).
export default defineProject({
  plugins: [
    cloudflareTest({
      main: "./src/index.ts",
      wrangler: { configPath: "../../wrangler.toml" },
      miniflare: {
        // The default env stays zero-config (as on a fresh clone), plus an empty KV namespace.
        kvNamespaces: ["CORS_KV"],
        bindings: { CORS_POLICY_KV_KEY: "runtime-policy", CORS_POLICY_KV_TTL_MS: "60000" },
        serviceBindings: { API_WORKER: "api-worker" },
        workers: [
          {
            name: "api-worker",
            modules: true,
            compatibilityDate: "2026-05-01",
            script: `export default { fetch(r) {
              return Response.json({ via: "service binding", url: r.url, method: r.method },
                { headers: { "access-control-allow-origin": "*" } });
            } };`,
          },
        ],
      },
    }),
  ],
  test: {
    name: "cloudflare-worker",
    include: ["test/**/*.test.ts"],
    exclude: ["test/bundle/**"],
    globalSetup: ["./test/upstream/global-setup.ts"],
    testTimeout: 30_000,
  },
});
