/** A bounded 127.0.0.1 HTTP server: limited in requests and lifetime, always closable. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Listening {
  url: string;
  port: number;
  /** Requests served so far (including refused ones). */
  requests(): number;
  close(): Promise<void>;
}

export interface ListenOptions {
  name: string;
  /** Beyond this many requests the server answers 503 (a runaway test shows up as failures). */
  maxRequests?: number;
  /** The server closes itself after this long, even if a test forgets to. */
  lifetimeMs?: number;
  port?: number;
}

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  options: ListenOptions,
): Promise<Listening> {
  const max = options.maxRequests ?? 2000;
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    if (count > max) {
      res.writeHead(503, { "content-type": "text/plain" }).end(`${options.name}: request limit`);
      return;
    }
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`${options.name}: ${String(err)}`);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  const timer = setTimeout(close, options.lifetimeMs ?? 10 * 60_000);
  timer.unref();
  return { url: `http://127.0.0.1:${port}`, port, requests: () => count, close };
}

/** Reads a request body, refusing more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
