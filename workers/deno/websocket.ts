/**
 * WebSocket forwarding for the Deno layer. Deno's fetch sends a handshake but cannot hand
 * back the upgraded connection, so a handshake the policy allowed is forwarded in two legs:
 * the layer opens a WebSocket to the upstream (with the client's end-to-end headers, its
 * Origin and sub-protocols, and the layer's forwarding headers), waits until the upstream
 * accepts, then upgrades the client's connection (`Deno.upgradeWebSocket`) with the protocol
 * the upstream chose, and relays messages both ways. If the upstream refuses or does not
 * answer in time, the client gets the layer's 502/504 (Deno's WebSocket client does not
 * expose the upstream's own refusal).
 */
import type { WebSocketForwarder, WebSocketHandshake } from "@edge-cors/edge";

/** Messages from the upstream held while the client's socket opens, at most (then 1009). */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Headers Deno's WebSocket client sets itself (or takes as `protocols`): not passed on. */
const HANDSHAKE_HEADERS = [
  "upgrade",
  "connection",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
  "sec-websocket-accept",
  "content-length",
];

/** The comma-separated sub-protocols the client offered, trimmed, empty ones dropped. */
function offeredProtocols(headers: Headers): string[] {
  const list = headers.get("sec-websocket-protocol");
  if (list === null) return [];
  return list
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/** A close code a script may send (1000, 3000-4999); anything else closes with 1000. */
function sendableCode(code: number): number {
  return code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000;
}

function closeQuietly(ws: WebSocket, code = 1000, reason = ""): void {
  try {
    if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN)
      ws.close(sendableCode(code), reason.slice(0, 120));
  } catch {
    // Already closing.
  }
}

/** Resolves when `ws` opens; rejects when it fails, closes first, or `signal` aborts. */
function opened(ws: WebSocket, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const settled = new AbortController();
    const once = { once: true, signal: settled.signal };
    const fail = (why: string) => () => {
      settled.abort();
      closeQuietly(ws);
      reject(new Error(`upstream WebSocket ${why}`));
    };
    if (signal.aborted) return fail("handshake timed out")();
    const open = () => {
      settled.abort();
      resolve();
    };
    ws.addEventListener("open", open, once);
    ws.addEventListener("error", fail("handshake failed"), once);
    ws.addEventListener("close", fail("closed during the handshake"), once);
    signal.addEventListener("abort", fail("handshake timed out"), once);
  });
}

/** Relay messages and closes between the client's socket and the upstream's. */
function relay(client: WebSocket, upstream: WebSocket): void {
  client.binaryType = "arraybuffer";
  upstream.binaryType = "arraybuffer";
  const held: Array<string | ArrayBuffer> = [];
  let heldBytes = 0;
  upstream.onmessage = (e: MessageEvent) => {
    if (client.readyState === WebSocket.OPEN) return client.send(e.data);
    const data = e.data as string | ArrayBuffer;
    heldBytes += typeof data === "string" ? data.length : data.byteLength;
    if (heldBytes > MAX_BUFFERED_BYTES) {
      closeQuietly(upstream, 1000);
      closeQuietly(client, 1000);
      return;
    }
    held.push(data);
  };
  client.onopen = () => {
    for (const data of held) client.send(data);
    held.length = 0;
  };
  client.onmessage = (e: MessageEvent) => {
    if (upstream.readyState === WebSocket.OPEN) upstream.send(e.data);
  };
  client.onclose = (e: CloseEvent) => closeQuietly(upstream, e.code, e.reason);
  upstream.onclose = (e: CloseEvent) => closeQuietly(client, e.code, e.reason);
  client.onerror = () => closeQuietly(upstream);
  upstream.onerror = () => closeQuietly(client);
}

/** The WebSocket URL of an http(s) upstream URL. */
function webSocketUrl(url: string): string {
  const u = new URL(url);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  return u.href;
}

/** Forwards allowed handshakes from `Deno.serve` requests (see the module comment). */
export function denoWebSocketForwarder(): WebSocketForwarder {
  return async (handshake: WebSocketHandshake) => {
    const headers = new Headers(handshake.headers);
    for (const name of HANDSHAKE_HEADERS) headers.delete(name);
    const protocols = offeredProtocols(handshake.headers);
    // Deno's WebSocket client takes headers as an extension of the standard constructor.
    const Client = WebSocket as unknown as new (
      url: string,
      options: { headers: Headers; protocols: string[] },
    ) => WebSocket;
    const upstream = new Client(webSocketUrl(handshake.url), { headers, protocols });
    await opened(upstream, handshake.signal);
    let upgraded: { socket: WebSocket; response: Response };
    try {
      upgraded = Deno.upgradeWebSocket(
        handshake.request,
        upstream.protocol === "" ? {} : { protocol: upstream.protocol },
      );
    } catch (e) {
      closeQuietly(upstream);
      throw e;
    }
    relay(upgraded.socket, upstream);
    return upgraded.response;
  };
}
