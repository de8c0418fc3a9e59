/**
 * `audit --verify`: the edge layer (@edge-cors/edge) served in-process with node:http on
 * 127.0.0.1 and an ephemeral port, in front of the audited URL's origin, in replace mode (the
 * upstream's own Access-Control-* headers are dropped). Stopped by `close()`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { CorsPolicy } from "@edge-cors/core";
import { createEdgeLayer, type EdgeLayer } from "@edge-cors/edge";

export interface LocalEdge {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = { method, headers };
  if (hasBody) {
    init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    init.duplex = "half";
  } else {
    req.resume();
  }
  return new Request(new URL(req.url ?? "/", origin), init);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    res.write(chunk.value);
  }
  res.end();
}

/** Starts the edge layer with `policy` in front of `upstream` (an origin URL). */
export async function startLocalEdge(
  policy: CorsPolicy,
  upstream: string,
  timeoutMs: number,
): Promise<LocalEdge> {
  const layer: EdgeLayer = createEdgeLayer({
    policy,
    upstream,
    upstreamCors: "replace",
    timeoutMs,
    onError: () => {},
  });
  let origin = "";
  const server = createServer((req, res) => {
    layer(toRequest(req, origin))
      .then((response) => send(res, response))
      .catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
