/**
 * Sends one request exactly as planned (method case, header names and values as given) over a
 * raw socket and returns the raw response head. Node's HTTP client would upper-case `patch`.
 */
import { connect } from "node:net";

export interface RawExchange {
  request: { method: string; url: string; headers: Array<[string, string]> };
  response: { status: number; statusText: string; headers: Array<[string, string]> } | null;
  error?: string;
}

const HEAD_LIMIT = 64 * 1024;
const TIMEOUT_MS = 10_000;

export function replay(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | null,
): Promise<RawExchange> {
  const target = new URL(url);
  const lines: Array<[string, string]> = [["host", target.host], ...Object.entries(headers)];
  if (body !== null) lines.push(["content-length", String(Buffer.byteLength(body))]);
  lines.push(["connection", "close"]);
  const exchange: RawExchange = { request: { method, url, headers: lines }, response: null };
  const head =
    `${method} ${target.pathname}${target.search} HTTP/1.1\r\n` +
    lines.map(([n, v]) => `${n}: ${v}\r\n`).join("") +
    "\r\n";
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const end = buf.indexOf("\r\n\r\n");
      if (end >= 0) {
        const [statusLine = "", ...rest] = buf.subarray(0, end).toString("latin1").split("\r\n");
        const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
        exchange.response = {
          status: m ? Number(m[1]) : 0,
          statusText: m?.[2] ?? "",
          headers: rest.map((l): [string, string] => {
            const i = l.indexOf(":");
            return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
          }),
        };
      } else if (error === undefined) {
        error = "the connection closed before a response head arrived";
      }
      if (error !== undefined && exchange.response === null) exchange.error = error;
      resolve(exchange);
    };
    const timer = setTimeout(() => finish(`no response within ${TIMEOUT_MS} ms`), TIMEOUT_MS);
    const socket = connect({ host: target.hostname, port: Number(target.port || 80) }, () =>
      socket.write(Buffer.concat([Buffer.from(head, "latin1"), Buffer.from(body ?? "", "utf8")])),
    );
    socket.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      // Only the head is shown: stop once it is complete (or too large).
      if (buf.indexOf("\r\n\r\n") >= 0 || buf.length > HEAD_LIMIT) finish();
    });
    socket.on("error", (e) => finish(e.message));
    socket.on("close", () => finish());
  });
}
