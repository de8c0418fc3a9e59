import { isWebSocketHandshake, rawPathOf } from "@edge-cors/core";
import type { UpstreamCorsMode } from "./config.ts";
import { stripHopByHop, upstreamRequestHeaders } from "./forward-headers.ts";
import type { ForwardTarget } from "./forward-target.ts";
import { failureResponse } from "./responses.ts";

/** Anything with a `fetch(request)`: a Cloudflare service binding, the demo upstream, a test app. */
export interface UpstreamFetcher {
  fetch(request: Request): Promise<Response>;
}

/** A WebSocket opening handshake on its way to the upstream. */
export interface WebSocketHandshake {
  /** The request exactly as the runtime delivered it (`Deno.upgradeWebSocket` needs that object). */
  request: Request;
  /** The upstream URL (`http:` or `https:`, canonical path and query). */
  url: string;
  /**
   * The headers for the upstream: the client's end-to-end headers (its `Origin` and
   * `Sec-WebSocket-*` included), the layer's forwarding headers, `Upgrade` and `Connection`.
   */
  headers: Headers;
  /** Aborted when the upstream has not answered the handshake within the timeout. */
  signal: AbortSignal;
}

/**
 * Forwards a WebSocket handshake whose origin the policy allowed: answers with the upgraded
 * connection (a `101`), or with the upstream's own non-`101` answer, or throws (then 502).
 * The default sends the handshake with fetch, which upgrades in workerd; Deno's fetch cannot
 * upgrade, so the Deno layer passes its own (see workers/deno/websocket.ts).
 */
export type WebSocketForwarder = (handshake: WebSocketHandshake) => Promise<Response>;

export interface ProxyOptions {
  /** An upstream origin (with an optional path prefix), or a fetcher (a service binding). */
  upstream: URL | UpstreamFetcher;
  /** Milliseconds until the upstream's response headers; then 504. */
  timeoutMs: number;
  upstreamCors: UpstreamCorsMode;
  /** Sends the request to a URL upstream. Default: the global `fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Forwards WebSocket handshakes. Default: the handshake goes through `fetch` (or the fetcher). */
  webSocket?: WebSocketForwarder;
  /** Told about every upstream failure (the client gets only a generic detail). Default: console.error. */
  onError?: (error: unknown, request: Request) => void;
}

/**
 * Sends `request` (the decision request: canonical URL, the client's method, headers and
 * body) to `target.upstreamUrl`. `original` is the request as the runtime delivered it.
 */
export type Proxy = (
  request: Request,
  target: ForwardTarget,
  original: Request,
) => Promise<Response>;

function unavailable(): Response {
  return failureResponse(
    502,
    "upstream_unavailable",
    "The upstream could not be reached or closed the connection before answering.",
  );
}

function invalidAnswer(status: number): Response {
  return failureResponse(
    502,
    "upstream_invalid_response",
    `The upstream answered with status ${status}, which cannot be passed on.`,
  );
}

/** Statuses whose response has no body (Fetch: null body status). */
function isNullBodyStatus(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}

function discard(body: ReadableStream | null): void {
  body?.cancel().catch(() => {});
}

/**
 * The upstream's answer, ready for CORS decoration: a mutable copy (the upstream's object,
 * which a cache may share, stays untouched) without hop-by-hop headers, and in replace mode
 * without the upstream's own `Access-Control-*`. An upgraded handshake (`101`) is returned
 * as it is. A status no Response can carry (1xx, 600+) is a 502.
 */
function upstreamAnswer(res: Response, handshake: boolean, mode: UpstreamCorsMode): Response {
  if (res.status === 101 && handshake) return res;
  if (res.status < 200 || res.status > 599) {
    discard(res.body);
    return invalidAnswer(res.status);
  }
  const nullBody = isNullBodyStatus(res.status);
  if (nullBody) discard(res.body);
  const out = new Response(nullBody ? null : res.body, res);
  stripHopByHop(out.headers);
  if (mode === "replace") {
    const own: string[] = [];
    for (const [name] of out.headers) if (name.startsWith("access-control-")) own.push(name);
    for (const name of own) out.headers.delete(name);
  }
  return out;
}

const TIMED_OUT: unique symbol = Symbol("timed out");

/**
 * A `Next` that forwards each request to the upstream, streaming the body both ways, and
 * returns a mutable response (never the upstream's own object) ready for CORS decoration.
 * Whatever the upstream does (refuse, reset, hang, answer a status no Response can carry),
 * the answer is a Response: 502 or 504 with a JSON body.
 */
export function createProxy(options: ProxyOptions): Proxy {
  const { upstream, timeoutMs, upstreamCors } = options;
  const send =
    upstream instanceof URL
      ? (options.fetch ?? ((r: Request) => fetch(r)))
      : (r: Request) => upstream.fetch(r);
  const forwardWebSocket: WebSocketForwarder =
    options.webSocket ??
    ((h) => send(new Request(h.url, { headers: h.headers, redirect: "manual", signal: h.signal })));
  const onError =
    options.onError ??
    ((e: unknown, r: Request) =>
      console.error(`edge-cors: upstream ${r.method} ${rawPathOf(r.url)} failed:`, e));

  return async function proxy(request, target, original) {
    const handshake = isWebSocketHandshake(request.method, request.headers);
    const headers = upstreamRequestHeaders(request.headers, target, handshake);
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    let res: Response | typeof TIMED_OUT;
    try {
      let sent: Promise<Response>;
      if (handshake) {
        sent = forwardWebSocket({
          request: original,
          url: target.upstreamUrl,
          headers,
          signal: abort.signal,
        });
      } else {
        const hasBody =
          request.method !== "GET" && request.method !== "HEAD" && request.body !== null;
        const init: RequestInit & { duplex?: "half" } = {
          method: request.method,
          headers,
          body: hasBody ? request.body : null,
          redirect: "manual",
          signal: abort.signal,
        };
        // Fetch requires duplex "half" for a streamed body (Deno, Node); workerd ignores it.
        if (hasBody) init.duplex = "half";
        sent = send(new Request(target.upstreamUrl, init));
      }
      // The race makes the deadline hold even for a fetcher that ignores the abort signal.
      res = await Promise.race([sent, deadline]);
    } catch (e) {
      onError(e, request);
      return unavailable();
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    if (res === TIMED_OUT) {
      abort.abort();
      return failureResponse(
        504,
        "upstream_timeout",
        `The upstream did not answer within ${timeoutMs} ms.`,
      );
    }
    try {
      return upstreamAnswer(res, handshake, upstreamCors);
    } catch (e) {
      onError(e, request);
      discard(res.body);
      return invalidAnswer(res.status);
    }
  };
}
