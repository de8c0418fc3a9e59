/**
 * The policies the suite runs, one edge-layer instance (Miniflare) each. They name the test
 * page's origin, which is known only once its server listens, hence functions.
 */
import type { CorsPolicy } from "@edge-cors/core";

export type LayerName = "strict" | "star" | "creds" | "cache" | "default";

/** `null`: no CORS_POLICY binding, so the layer serves its embedded default policy. */
export function policies(pageA: string): Record<LayerName, CorsPolicy | null> {
  return {
    // An explicit list: one origin, a few methods and headers, two exposed headers.
    strict: {
      allowOrigins: [pageA],
      allowMethods: ["PUT", "DELETE", "PATCH"],
      allowHeaders: ["Content-Type", "X-Request-Id"],
      exposeHeaders: ["ETag", "X-Request-Id"],
      maxAge: 600,
    },
    // Public API: `*` everywhere (no credentials); /auth/* also lists Authorization.
    star: {
      allowOrigins: "*",
      allowMethods: "*",
      allowHeaders: "*",
      exposeHeaders: "*",
      maxAge: 600,
      routes: [{ path: "/auth/*", allowHeaders: ["*", "Authorization"] }],
    },
    // Credentialed: `*` for methods/headers is answered with what the preflight asked for.
    creds: {
      allowOrigins: [pageA],
      allowCredentials: true,
      allowMethods: "*",
      allowHeaders: "*",
      exposeHeaders: ["X-Request-Id", "X-Cookie-Seen"],
      maxAge: 600,
    },
    // Preflight caching: no maxAge (browsers' 5 s default) except on the routes.
    cache: {
      allowOrigins: [pageA],
      allowMethods: ["PUT"],
      allowHeaders: ["X-Custom"],
      routes: [
        { path: "/nocache/*", maxAge: 0 },
        { path: "/short/*", maxAge: 1 },
        { path: "/long/*", maxAge: "2h" },
      ],
    },
    default: null,
  };
}
