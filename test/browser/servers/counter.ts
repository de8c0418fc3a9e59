/**
 * A transparent TCP front for the edge layer that records every request reaching it, so the
 * suite counts preflights at the layer without touching the layer. Bytes pass through
 * unchanged in both directions; a copy of the client's bytes is parsed just far enough to
 * read each request line and head. (Node's HTTP server cannot be used here: its parser
 * refuses methods such as `patch` that browsers send as written.)
 *
 * Only answered requests count: a request whose connection closes before any response byte
 * comes back (a kept-alive connection the server had just closed) is retried by the browser on
 * a new connection, and counting both copies would see one request twice.
 */
import { createConnection, createServer, type Socket } from "node:net";

export interface LayerHit {
  method: string;
  path: string;
  scenario: string | null;
  origin: string | null;
  acrm: string | null;
  acrh: string | null;
  cookie: boolean;
  /** Arrival order across every counter in this process. */
  seq: number;
  /** A response started coming back for it. */
  answered: boolean;
}

let nextSeq = 0;

export interface Counter {
  url: string;
  hits: LayerHit[];
  preflightsFor(scenario: string): LayerHit[];
  actualsFor(scenario: string): LayerHit[];
  close(): Promise<void>;
}

const MAX_HEAD = 64 * 1024;

/** Incremental HTTP/1.1 request-head reader for one connection (Content-Length bodies). */
class HeadReader {
  #buf = Buffer.alloc(0);
  #skip = 0;
  #opaque = false;
  constructor(private readonly onHead: (head: string) => void) {}

  push(chunk: Buffer): void {
    if (this.#opaque) return;
    this.#buf = Buffer.concat([this.#buf, chunk]);
    for (;;) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, this.#buf.length);
        this.#buf = this.#buf.subarray(n);
        this.#skip -= n;
        if (this.#skip > 0) return;
      }
      const end = this.#buf.indexOf("\r\n\r\n");
      if (end < 0) {
        if (this.#buf.length > MAX_HEAD) this.#opaque = true;
        return;
      }
      const head = this.#buf.subarray(0, end).toString("latin1");
      this.#buf = this.#buf.subarray(end + 4);
      this.onHead(head);
      const te = /^transfer-encoding:/im.test(head);
      const cl = /^content-length:\s*(\d+)\s*$/im.exec(head);
      if (te) {
        // Chunked request bodies are not used by the suite; stop parsing this connection.
        this.#opaque = true;
        return;
      }
      this.#skip = cl ? Number(cl[1]) : 0;
    }
  }
}

function parseHead(head: string): LayerHit {
  const [requestLine = "", ...lines] = head.split("\r\n");
  const [method = "", target = "/"] = requestLine.split(" ");
  const headers = new Map<string, string>();
  for (const line of lines) {
    const i = line.indexOf(":");
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const url = new URL(target, "http://layer.invalid");
  return {
    method,
    path: url.pathname,
    scenario: url.searchParams.get("s"),
    origin: headers.get("origin") ?? null,
    acrm: headers.get("access-control-request-method") ?? null,
    acrh: headers.get("access-control-request-headers") ?? null,
    cookie: headers.has("cookie"),
    seq: nextSeq++,
    answered: false,
  };
}

export async function startCounter(target: string, name: string, maxHits = 3000): Promise<Counter> {
  const to = new URL(target);
  const hits: LayerHit[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: to.hostname, port: Number(to.port) });
    sockets.add(client);
    sockets.add(upstream);
    // Browsers do not pipeline: the next request on a connection follows the whole response.
    const unanswered: LayerHit[] = [];
    const reader = new HeadReader((head) => {
      if (hits.length >= maxHits) return client.destroy(new Error(`${name}: hit limit`));
      const hit = parseHead(head);
      hits.push(hit);
      unanswered.push(hit);
    });
    client.on("data", (chunk: Buffer) => reader.push(chunk));
    upstream.on("data", () => {
      const hit = unanswered.shift();
      if (hit !== undefined) hit.answered = true;
    });
    client.pipe(upstream).pipe(client);
    const done = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", done).on("close", done);
    upstream.on("error", done).on("close", done);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const timer = setTimeout(() => void close(), 10 * 60_000);
  timer.unref();
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
    return closing;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    preflightsFor: (s) =>
      hits.filter(
        (h) => h.answered && h.scenario === s && h.method === "OPTIONS" && h.acrm !== null,
      ),
    actualsFor: (s) =>
      hits.filter(
        (h) => h.answered && h.scenario === s && !(h.method === "OPTIONS" && h.acrm !== null),
      ),
    close,
  };
}
