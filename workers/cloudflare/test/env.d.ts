// The test runtime's bindings (vitest.config.ts): the Worker's own plus a test-only service.
declare namespace Cloudflare {
  interface Env {
    CORS_KV: KVNamespace;
    CORS_POLICY_KV_KEY: string;
    CORS_POLICY_KV_TTL_MS: string;
    /** A service binding to a tiny Worker, to test the UPSTREAM binding. */
    API_WORKER: Fetcher;
  }
  interface Exports {
    default: Fetcher;
  }
}
