import type { CorsPolicy } from "@edge-cors/core";

/**
 * The policy the edge layers serve when no `CORS_POLICY` is configured: local development
 * front ends (`localhost`, `127.0.0.1`, `[::1]`, any port, plain http) may call the API with
 * the usual methods and headers. No credentials: set your own `CORS_POLICY` with
 * `allowCredentials: true` when the front end sends cookies.
 */
export const DEFAULT_POLICY: CorsPolicy = {
  allowOrigins: ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"],
  allowMethods: ["PUT", "PATCH", "DELETE"],
  allowHeaders: ["Content-Type", "Authorization", "X-Requested-With", "X-Request-Id"],
  exposeHeaders: ["ETag", "Location", "X-Request-Id"],
  maxAge: "10m",
};
