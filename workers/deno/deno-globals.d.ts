/**
 * The few Deno APIs that the layer's files use, declared for `tsc` (`pnpm typecheck`) only.
 * Deno never reads this file (nothing imports it): `deno check` and `deno test` type-check the
 * same sources against the real Deno types, and they run in `pnpm test`.
 */
declare namespace Deno {
  const env: { get(key: string): string | undefined };
  const build: { readonly os: string };
  function exit(code?: number): never;
  function addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  interface NetAddr {
    transport: "tcp" | "udp";
    hostname: string;
    port: number;
  }
  interface ServeOptions {
    port?: number;
    hostname?: string;
    onListen?: (localAddr: NetAddr) => void;
  }
  interface HttpServer {
    readonly finished: Promise<void>;
    shutdown(): Promise<void>;
  }
  function serve(
    options: ServeOptions,
    handler: (request: Request) => Response | Promise<Response>,
  ): HttpServer;
  interface ServeDefaultExport {
    fetch(request: Request): Response | Promise<Response>;
  }
  function upgradeWebSocket(
    request: Request,
    options?: { protocol?: string },
  ): { socket: WebSocket; response: Response };
}
