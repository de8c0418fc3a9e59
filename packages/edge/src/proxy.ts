import type { UpstreamCorsMode } from "./config.ts";

/** Anything with a `fetch(request)`: a Cloudflare service binding, the demo upstream, a test app. */
export interface UpstreamFetcher {
  fetch(request: Request): Promise<Response>;
}

export interface ProxyOptions {
  /**
   * An upstream origin (requests keep their path and query, appended to its path), or a
   * fetcher that receives each request with its original URL (a service binding).
   */
  upstream: URL | UpstreamFetcher;
  /** Milliseconds until the upstream's response headers; then 504. */
  timeoutMs: number;
  upstreamCors: UpstreamCorsMode;
  /** Sends the request to a URL upstream. Default: the global `fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Told about every upstream failure (the client gets only a generic detail). Default: console.error. */
  onError?: (error: unknown, request: Request) => void;
}

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1, plus the legacy ones proxies also drop): they describe
 * one connection, so they are never forwarded in either direction.
 */
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];

function stripHopByHop(headers: Headers): void {
  const listed = headers.get("connection");
  if (listed !== null) {
    for (const name of listed.split(",")) {
      const n = name.trim().toLowerCase();
      if (n !== "") headers.delete(n);
    }
  }
  for (const name of HOP_BY_HOP) headers.delete(name);
}

/** `Upgrade: websocket` (any case, possibly in a list): the request is passed on untouched. */
export function isWebSocketUpgrade(request: Request): boolean {
  const up = request.headers.get("upgrade");
  return up?.toLowerCase().includes("websocket") ?? false;
}

/** The upstream URL for `incoming`: upstream origin + upstream path prefix + path + query. */
export function upstreamUrl(upstream: URL, incoming: URL): string {
  const prefix = upstream.pathname.endsWith("/")
    ? upstream.pathname.slice(0, -1)
    : upstream.pathname;
  return upstream.origin + prefix + incoming.pathname + incoming.search;
}

/** A failure the browser app can read: small JSON, never cached (CORS headers come later). */
export function failureResponse(status: 502 | 504, error: string, detail: string): Response {
  return new Response(JSON.stringify({ error, detail }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

function unavailable(): Response {
  return failureResponse(
    502,
    "upstream_unavailable",
    "The upstream could not be reached or closed the connection before answering.",
  );
}

const TIMED_OUT: unique symbol = Symbol("timed out");

/**
 * A `Next` that forwards each request to the upstream, streaming the body both ways, and
 * returns a mutable response (never the upstream's own object) ready for CORS decoration.
 */
export function createProxy(options: ProxyOptions): (request: Request) => Promise<Response> {
  const { upstream, timeoutMs, upstreamCors } = options;
  const send =
    upstream instanceof URL
      ? (options.fetch ?? ((r: Request) => fetch(r)))
      : (r: Request) => upstream.fetch(r);
  const onError =
    options.onError ??
    ((e: unknown, r: Request) =>
      console.error(`edge-cors: upstream ${r.method} ${new URL(r.url).pathname} failed:`, e));

  return async function proxy(request: Request): Promise<Response> {
    const incoming = new URL(request.url);
    const target = upstream instanceof URL ? upstreamUrl(upstream, incoming) : request.url;

    if (isWebSocketUpgrade(request)) {
      // Hop-by-hop headers are the handshake here: forward the request as it came.
      try {
        return await send(new Request(target, request));
      } catch (e) {
        onError(e, request);
        return unavailable();
      }
    }

    const headers = new Headers(request.headers);
    stripHopByHop(headers);
    // The upstream sees its own host (fetch derives Host from the URL); the original goes along.
    headers.delete("host");
    headers.set("x-forwarded-host", incoming.host);
    headers.set("x-forwarded-proto", incoming.protocol.slice(0, -1));

    const abort = new AbortController();
    const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== null;
    const init: RequestInit & { duplex?: "half" } = {
      method: request.method,
      headers,
      body: hasBody ? request.body : null,
      redirect: "manual",
      signal: abort.signal,
    };
    // Fetch requires duplex "half" for a streamed body (Deno, Node); workerd ignores it.
    if (hasBody) init.duplex = "half";

    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    let res: Response | typeof TIMED_OUT;
    try {
      // The race makes the deadline hold even for a fetcher that ignores the abort signal.
      res = await Promise.race([send(new Request(target, init)), deadline]);
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

    // A copy: its headers are ours to change, and a cached/shared upstream object stays untouched.
    const out = new Response(res.body, res);
    stripHopByHop(out.headers);
    if (upstreamCors === "replace") {
      const own: string[] = [];
      out.headers.forEach((_v, name) => {
        if (name.startsWith("access-control-")) own.push(name);
      });
      for (const name of own) out.headers.delete(name);
    }
    return out;
  };
}
