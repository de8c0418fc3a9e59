/** Local 127.0.0.1 HTTP servers for the probe tests: bounded in requests and time, stopped by the tests. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type CorsPolicy, createCors } from "@edge-cors/core";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** Requests seen: method, url, lower-case headers. */
  seen: Array<{ method: string; url: string; headers: IncomingMessage["headers"] }>;
  close(): Promise<void>;
}

export interface Limits {
  /** Requests answered before the server refuses more (503 and close). */
  maxRequests?: number;
  /** The server closes itself after this long even if a test forgets to. */
  lifetimeMs?: number;
}

export async function startServer(handler: Handler, limits: Limits = {}): Promise<TestServer> {
  const maxRequests = limits.maxRequests ?? 50;
  const seen: TestServer["seen"] = [];
  const server = createServer(async (req, res) => {
    if (seen.length >= maxRequests) {
      res.writeHead(503, { connection: "close" }).end();
      return;
    }
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    res.sendDate = false;
    try {
      await handler(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed = false;
  const close = () =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      closed = true;
      clearTimeout(timer);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const timer = setTimeout(close, limits.lifetimeMs ?? 60_000);
  timer.unref();
  return { origin: `http://127.0.0.1:${port}`, port, seen, close };
}

/** A server whose CORS is handled by @edge-cors/core itself; the app answers 200 with a JSON body. */
export function coreHandler(policy: CorsPolicy): Handler {
  const cors = createCors(policy);
  return async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    const request = new Request(`http://127.0.0.1${req.url ?? "/"}`, {
      method: req.method ?? "GET",
      headers,
    });
    req.resume();
    const response = await cors.handle(
      request,
      () =>
        new Response('{"ok":true}', {
          status: 200,
          headers: { "content-type": "application/json", "x-request-id": "r-1", etag: '"v1"' },
        }),
    );
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      out[k] = v;
    });
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}

/** A port that was just free: nothing listens on it (connection refused). */
export async function closedPort(): Promise<number> {
  const s = await startServer(() => {});
  await s.close();
  return s.port;
}
