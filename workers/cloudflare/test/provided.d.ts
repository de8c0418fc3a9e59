declare module "vitest" {
  export interface ProvidedContext {
    /** The real test upstream (test/upstream/server.ts), e.g. http://127.0.0.1:41234. */
    upstreamUrl: string;
    /** A 127.0.0.1 URL where nothing listens. */
    deadUrl: string;
  }
}

export {};
