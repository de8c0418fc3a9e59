/**
 * A real HTTP upstream for the Cloudflare tests (Node, 127.0.0.1 only). Bounded: it refuses
 * after MAX_REQUESTS and closes itself after LIFETIME_MS (listen.ts); `stop()` closes it at
 * teardown.
 *
 * Any request carrying `x-test-app: {"status":…,"headers":{…}}` is answered like a vector's
 * app (body "app", `x-app: 1`). Otherwise, by path:
 *   /echo            method, url, headers, body size and sha256 (body read as a stream)
 *   /sink?id=        consumes the body, recording progress for /progress?id=
 *   /source?bytes=&id=  streams `bytes` bytes; holds the last MiB until /ack?id= arrives
 *   /slow?ms=        answers after ms milliseconds
 *   /reset           destroys the connection without answering
 *   /cors            answers with its own Access-Control-* headers
 *   /cacheable       a public, cacheable response counting its hits
 *   /redirect        302 to /elsewhere
 *   /log?id=         the requests seen with `x-test-id: id` (WebSocket handshakes included)
 *   WebSocket upgrade on any path: sends "hello from upstream", echoes text frames; with
 *   `x-test-app` the handshake is answered like a vector's app instead (no upgrade).
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { listenBounded, type Upstream } from "../../../../packages/edge/test/support/listen.ts";

export type { Upstream } from "../../../../packages/edge/test/support/listen.ts";
export const MAX_REQUESTS = 5000;
const MIB = 1024 * 1024;
/** How long /source waits for the client's ack before giving up (the test then fails). */
const ACK_WAIT_MS = 10_000;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
}

/** Deterministic content: byte i of a stream is (i * 31 + 7) & 0xff. */
export function pattern(offset: number, length: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = ((offset + i) * 31 + 7) & 0xff;
  return b;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function wsAccept(key: string): string {
  return createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
}

function wsFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error("test frames are short");
  return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
}

/** The x-test-app answer, written on a raw socket (a handshake the app does not upgrade). */
function appAnswerOnSocket(spec: AppSpec, socket: Socket): void {
  const headers: Record<string, string> = {
    "content-type": "text/plain",
    "x-app": "1",
    ...(spec.headers ?? {}),
  };
  const body = spec.status === 204 || spec.status === 304 ? "" : "app";
  let head = `HTTP/1.1 ${spec.status} App\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  socket.end(`${head}content-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
}

interface AppSpec {
  status: number;
  headers?: Record<string, string>;
}

/** Minimal server side of RFC 6455: short masked text frames in, echoed back. */
function handleUpgrade(req: IncomingMessage, socket: Socket): void {
  socket.on("error", () => {});
  const app = req.headers["x-test-app"];
  if (typeof app === "string") return void appAnswerOnSocket(JSON.parse(app) as AppSpec, socket);
  const key = req.headers["sec-websocket-key"];
  if (typeof key !== "string") return void socket.destroy();
  const protocol = req.headers["sec-websocket-protocol"]?.split(",")[0]?.trim();
  socket.write(
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      `Sec-WebSocket-Accept: ${wsAccept(key)}\r\nX-Upstream-Path: ${req.url}\r\n` +
      `${protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : ""}\r\n`,
  );
  socket.write(wsFrame("hello from upstream"));
  socket.on("data", (buf: Buffer) => {
    const opcode = buf[0]! & 0x0f;
    if (opcode === 0x8) return void socket.end(Buffer.from([0x88, 0]));
    const len = buf[1]! & 0x7f;
    if (opcode !== 0x1 || len > 125) return;
    const mask = buf.subarray(2, 6);
    const data = Buffer.from(buf.subarray(6, 6 + len).map((b, i) => b ^ mask[i % 4]!));
    socket.write(wsFrame(`echo: ${data.toString()}`));
  });
}

export function startUpstream(): Promise<Upstream> {
  let count = 0;
  let cacheableHits = 0;
  const seen = new Map<string, Seen[]>();
  const progress = new Map<string, number>();
  const acks = new Map<string, () => void>();
  const acked = new Set<string>();

  const record = (req: IncomingMessage) => {
    const id = req.headers["x-test-id"];
    if (typeof id === "string") {
      const list = seen.get(id) ?? [];
      list.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
      seen.set(id, list);
    }
  };

  // Hostile vectors carry up to ~60 kB of headers; in report mode they reach the upstream.
  const server = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
    count++;
    if (count > MAX_REQUESTS) return sendJson(res, 503, { error: "request budget exhausted" });
    const url = new URL(req.url ?? "/", "http://upstream.test");
    record(req);

    const app = req.headers["x-test-app"];
    if (typeof app === "string") {
      const spec = JSON.parse(app) as AppSpec;
      const noBody = spec.status === 204 || spec.status === 304 || req.method === "HEAD";
      res.writeHead(spec.status, {
        "content-type": "text/plain",
        "x-app": "1",
        ...(spec.headers ?? {}),
      });
      req.resume();
      return void res.end(noBody ? undefined : "app");
    }

    const q = url.searchParams;
    switch (url.pathname) {
      case "/echo": {
        const hash = createHash("sha256");
        let bytes = 0;
        req.on("data", (c: Buffer) => {
          bytes += c.length;
          hash.update(c);
        });
        req.on("end", () =>
          sendJson(res, 200, {
            method: req.method,
            url: req.url,
            headers: req.headers,
            bodyBytes: bytes,
            sha256: hash.digest("hex"),
          }),
        );
        return;
      }
      case "/sink": {
        const sid = q.get("id") ?? "";
        const hash = createHash("sha256");
        let bytes = 0;
        progress.set(sid, 0);
        req.on("data", (c: Buffer) => {
          bytes += c.length;
          hash.update(c);
          progress.set(sid, bytes);
        });
        req.on("end", () => sendJson(res, 200, { bytes, sha256: hash.digest("hex") }));
        return;
      }
      case "/progress":
        return sendJson(res, 200, { bytes: progress.get(q.get("id") ?? "") ?? 0 });
      case "/ack": {
        const aid = q.get("id") ?? "";
        acked.add(aid);
        acks.get(aid)?.();
        return sendJson(res, 200, { ok: true });
      }
      case "/source": {
        const sid = q.get("id") ?? "";
        const total = Number(q.get("bytes") ?? "0");
        const held = Math.min(MIB, total);
        res.writeHead(200, {
          "content-type": "application/octet-stream",
          "content-length": String(total),
        });
        const chunk = 64 * 1024;
        let at = 0;
        const writeUntil = (end: number, done: () => void) => {
          while (at < end) {
            const n = Math.min(chunk, end - at);
            const ok = res.write(pattern(at, n));
            at += n;
            if (!ok) return void res.once("drain", () => writeUntil(end, done));
          }
          done();
        };
        writeUntil(total - held, () => {
          const release = () => {
            clearTimeout(timer);
            writeUntil(total, () => res.end());
          };
          // Without the ack (the client got nothing yet: something buffered), fail the stream.
          const timer = setTimeout(() => res.destroy(), ACK_WAIT_MS);
          if (acked.has(sid)) release();
          else acks.set(sid, release);
        });
        return;
      }
      case "/slow": {
        const t = setTimeout(
          () => sendJson(res, 200, { slow: true }),
          Number(q.get("ms") ?? "1000"),
        );
        res.on("close", () => clearTimeout(t));
        return;
      }
      case "/reset":
        return void req.socket.destroy();
      case "/cors":
        return sendJson(
          res,
          200,
          { cors: "upstream" },
          {
            "access-control-allow-origin": "*",
            "access-control-expose-headers": "x-upstream-own",
            "access-control-max-age": "99",
            "x-upstream-own": "1",
            vary: "Accept-Encoding",
          },
        );
      case "/cacheable":
        cacheableHits++;
        return sendJson(
          res,
          200,
          { hits: cacheableHits },
          { "cache-control": "public, max-age=300" },
        );
      case "/cacheable-hits":
        return sendJson(res, 200, { hits: cacheableHits });
      case "/redirect":
        res.writeHead(302, { location: "/elsewhere" });
        return void res.end();
      case "/log":
        return sendJson(res, 200, seen.get(q.get("id") ?? "") ?? []);
      default:
        return sendJson(res, 404, { error: "not found", path: url.pathname });
    }
  });
  server.on("upgrade", (req, socket) => {
    count++;
    if (count > MAX_REQUESTS) return void socket.destroy();
    record(req);
    handleUpgrade(req, socket as Socket);
  });
  return listenBounded(server);
}

/** A 127.0.0.1 URL where nothing listens (a port just released). */
export async function deadUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
