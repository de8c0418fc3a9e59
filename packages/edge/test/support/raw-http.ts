/**
 * A raw HTTP/1.1 client (node:net; Node and Deno): the request line and headers are written
 * exactly as given, so tests can send what fetch() would refuse or normalise (a `Host` with a
 * backslash, a path with dot segments). Bounded by a timeout; the connection is closed after
 * the response.
 */
import { connect } from "node:net";

export interface RawResponse {
  status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Map<string, string>;
  body: string;
}

/** The largest response the client keeps (then it stops reading). */
const MAX_RESPONSE_BYTES = 1024 * 1024;

function decodeChunked(body: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf("\r\n", at);
    if (lineEnd < 0) return out;
    const size = Number.parseInt(body.slice(at, lineEnd), 16);
    if (!(size > 0)) return out;
    out += body.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

export function parseResponse(raw: string): RawResponse | null {
  const headEnd = raw.indexOf("\r\n\r\n");
  if (headEnd < 0) return null;
  const lines = raw.slice(0, headEnd).split("\r\n");
  const status = Number(lines[0]!.split(" ")[1]);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  let body = raw.slice(headEnd + 4);
  if (headers.get("transfer-encoding")?.toLowerCase() === "chunked") body = decodeChunked(body);
  return { status, headers, body };
}

/** Has `raw` a complete response (by Content-Length, the last chunk, or a body-less status)? */
function isComplete(raw: string): boolean {
  const parsed = parseResponse(raw);
  if (parsed === null) return false;
  const { status, headers } = parsed;
  if (status < 200 || status === 204 || status === 304) return true;
  const body = raw.slice(raw.indexOf("\r\n\r\n") + 4);
  if (headers.get("transfer-encoding")?.toLowerCase() === "chunked")
    return body.endsWith("0\r\n\r\n");
  const length = headers.get("content-length");
  return length !== undefined && body.length >= Number(length);
}

/**
 * Sends `requestLine` and `headers` (each written as given, then `Connection: close`) to
 * 127.0.0.1:`port` and reads the response until it is complete or the server closes.
 */
export function rawRequest(
  port: number,
  requestLine: string,
  headers: ReadonlyArray<readonly [string, string]>,
  timeoutMs = 5000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let raw = "";
    const socket = connect(port, "127.0.0.1", () => {
      let head = `${requestLine}\r\n`;
      for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
      socket.write(`${head}Connection: close\r\n\r\n`);
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no complete response within ${timeoutMs} ms: ${JSON.stringify(raw.slice(0, 300))}`,
        ),
      );
    }, timeoutMs);
    socket.on("data", (chunk: Uint8Array) => {
      raw += new TextDecoder("latin1").decode(chunk);
      if (raw.length > MAX_RESPONSE_BYTES || isComplete(raw)) socket.destroy();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      const parsed = parseResponse(raw);
      if (parsed === null)
        reject(new Error(`no HTTP response: ${JSON.stringify(raw.slice(0, 300))}`));
      else resolve(parsed);
    });
  });
}
