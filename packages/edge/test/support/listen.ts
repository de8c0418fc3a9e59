import type { AddressInfo, Server, Socket } from "node:net";

/** How long a test upstream lives at most; `stop()` closes it earlier, at teardown. */
export const LIFETIME_MS = 10 * 60_000;

export interface Upstream {
  url: string;
  stop(): Promise<void>;
}

/**
 * Listens on 127.0.0.1, on an ephemeral port; `stop()` destroys open connections and closes
 * the server, which also closes itself after LIFETIME_MS.
 */
export async function listenBounded(server: Server): Promise<Upstream> {
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
    return stopped;
  };
  const lifetime = setTimeout(() => void stop(), LIFETIME_MS);
  lifetime.unref();
  return { url: `http://127.0.0.1:${port}`, stop };
}
