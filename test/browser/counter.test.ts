/**
 * Regression: the counting front counted a request twice when the server closed a kept-alive
 * connection just as the browser reused it (the browser retries on a new connection; seen once
 * in Chromium). Only answered requests count.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, expect, it } from "vitest";
import { type Counter, startCounter } from "./servers/counter.ts";

const PREFLIGHT =
  "OPTIONS /x?s=retry HTTP/1.1\r\nHost: t\r\nOrigin: http://a\r\nAccess-Control-Request-Method: PUT\r\n\r\n";

let server: Server | undefined;
let counter: Counter | undefined;
afterAll(async () => {
  await counter?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
});

/** Sends `head` on a fresh connection; resolves with what came back before the close. */
function send(url: string, head: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let got = "";
    const s = connect({ host: hostname, port: Number(port) }, () => s.write(head));
    s.on("data", (d) => {
      got += d.toString();
      s.end();
    });
    s.on("close", () => resolve(got));
    s.on("error", () => resolve(got));
  });
}

it("counts a request the server dropped unanswered, and its retry, once", async () => {
  let connections = 0;
  server = createServer((socket: Socket) => {
    const first = ++connections === 1;
    socket.once("data", () => {
      // The first connection dies without a response byte; the retry is answered.
      if (first) socket.destroy();
      else socket.end("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  counter = await startCounter(`http://127.0.0.1:${port}`, "retry-test");

  expect(await send(counter.url, PREFLIGHT)).toBe("");
  expect(await send(counter.url, PREFLIGHT)).toContain("204");
  expect(counter.hits.map((h) => h.answered)).toEqual([false, true]);
  expect(counter.preflightsFor("retry")).toHaveLength(1);
});
