declare module "vitest" {
  export interface ProvidedContext {
    /** The real test upstream (test/upstream/server.ts), e.g. http://127.0.0.1:41234. */
    upstreamUrl: string;
    /** A 127.0.0.1 URL where nothing listens. */
    deadUrl: string;
    /** The byte-exact upstream (test/upstream/raw-server.ts). */
    rawUpstreamUrl: string;
    /** The route-reporting upstreams by path reading (test/upstream/route-servers.ts). */
    routeServerUrls: Record<
      "python-http-server" | "strips-params" | "case-insensitive" | "hono",
      string
    >;
    /** A Python-http.server-like file server holding /v1/public.txt and /secret.txt. */
    filesUpstreamUrl: string;
  }
}

export {};
