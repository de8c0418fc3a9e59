/**
 * The local upstream: a minimal node:http server on 127.0.0.1 answering every request with a
 * small JSON body. Bounded: it refuses (503) after `maxRequests`, and the caller stops it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UPSTREAM_BODY } from "./policy.ts";

export interface Upstream {
  url: string;
  served(): number;
  stop(): Promise<void>;
}

export async function startUpstream(maxRequests = 20_000_000): Promise<Upstream> {
  const body = Buffer.from(UPSTREAM_BODY);
  let served = 0;
  const server: Server = createServer((req, res) => {
    served++;
    req.resume();
    if (served > maxRequests) {
      res.writeHead(503, { "content-length": "0" }).end();
      return;
    }
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": String(body.byteLength),
      etag: '"v1"',
    });
    res.end(body);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", ok);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => served,
    stop: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
