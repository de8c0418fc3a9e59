/**
 * An upstream that writes exact bytes (node:net; Node and Deno), for answers node:http will not produce:
 * informational and out-of-range status lines (L1), a `Connection` header naming end-to-end
 * headers (L5), a 205 with a body. The request path picks the answer. A connection stays
 * open for the client's next request (a client that pools connections, as workerd does, may
 * reuse it at any moment: closing it under its feet reads as "connection lost"), except after
 * an answer without a length, which only the end of the connection can complete.
 */
import { createServer, type Socket } from "node:net";
import { listenBounded, type Upstream } from "./listen.ts";

/** The largest request head read before the connection is dropped. */
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_REQUESTS = 2000;

const ok = (extra = "") =>
  `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n${extra}content-length: 2\r\n\r\nok`;

/** The canned answers, by request path. */
export const RAW_ANSWERS: Record<string, string> = {
  "/status/103": "HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n",
  "/status/103-then-200": `HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n${ok()}`,
  "/status/101": "HTTP/1.1 101 Switching Protocols\r\n\r\n",
  "/status/600": "HTTP/1.1 600 Beyond\r\ncontent-length: 2\r\n\r\nno",
  "/status/999": "HTTP/1.1 999 Way Beyond\r\ncontent-length: 2\r\n\r\nno",
  "/status/099": "HTTP/1.1 099 Below\r\ncontent-length: 2\r\n\r\nno",
  "/status/garbage": "HTTP/1.1 abc Nope\r\ncontent-length: 2\r\n\r\nno",
  "/status/205-with-body": "HTTP/1.1 205 Reset Content\r\ncontent-length: 5\r\n\r\nhello",
  "/connection-names-end-to-end": ok(
    "connection: vary, x-hop, access-control-allow-origin, access-control-expose-headers\r\n" +
      "vary: Accept-Encoding\r\nx-hop: 1\r\naccess-control-allow-origin: *\r\n" +
      "access-control-expose-headers: x-hop\r\n",
  ),
};

/** Answers one request head; returns whether the connection can carry another. */
function answer(socket: Socket, head: string): boolean {
  const line = head.slice(0, head.indexOf("\r\n"));
  const target = line.split(" ")[1] ?? "/";
  const path = target.split("?")[0]!;
  const bytes = RAW_ANSWERS[path] ?? "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n";
  if (!bytes.includes("content-length")) {
    socket.end(bytes);
    return false;
  }
  socket.write(bytes);
  return true;
}

export function startRawUpstream(): Promise<Upstream> {
  let count = 0;
  const server = createServer((socket) => {
    socket.on("error", () => {});
    if (++count > MAX_REQUESTS) return void socket.destroy();
    let buffered = "";
    let open = true;
    socket.on("data", (chunk: Buffer) => {
      if (!open) return;
      buffered += chunk.toString("latin1");
      // Requests carry no body here (the tests send GETs): each head is one request.
      for (
        let end = buffered.indexOf("\r\n\r\n");
        open && end >= 0;
        end = buffered.indexOf("\r\n\r\n")
      ) {
        open = answer(socket, buffered.slice(0, end + 4));
        buffered = buffered.slice(end + 4);
      }
      if (buffered.length > MAX_HEAD_BYTES) socket.destroy();
    });
  });
  return listenBounded(server);
}
