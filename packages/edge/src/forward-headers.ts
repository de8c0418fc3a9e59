/**
 * The headers that cross the layer, in both directions: hop-by-hop headers are dropped (they
 * describe one connection), the client's own forwarding headers are never trusted, and the
 * layer's are set last, so nothing the client or the upstream sends can remove or forge them.
 */

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1, plus the legacy ones proxies also drop): never
 * forwarded in either direction.
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

/**
 * Headers a `Connection` list may never remove: what the CORS decision, the upstream's own
 * origin checks and caches rely on (`Origin`, `Sec-Fetch-*`, `Vary`, `Access-Control-*`), the
 * WebSocket handshake (`Sec-WebSocket-*`), and the host and forwarding headers the layer
 * derives itself. A client's `Connection: origin` must not hide the Origin from the upstream;
 * an upstream's `Connection: vary` must not drop its `Vary`.
 */
export function isProtectedFromConnection(name: string): boolean {
  return (
    name === "origin" ||
    name === "host" ||
    name === "vary" ||
    name === "forwarded" ||
    name === "x-real-ip" ||
    name.startsWith("x-forwarded-") ||
    name.startsWith("access-control-") ||
    name.startsWith("sec-fetch-") ||
    name.startsWith("sec-websocket-")
  );
}

/** The lower-cased, trimmed tokens of a comma-separated list (empty ones skipped). */
function listTokens(list: string): Set<string> {
  const tokens = new Set<string>();
  let start = 0;
  for (let i = 0; i <= list.length; i++) {
    if (i < list.length && list.charCodeAt(i) !== 44 /* , */) continue;
    let from = start;
    let to = i;
    while (from < to && (list.charCodeAt(from) === 32 || list.charCodeAt(from) === 9)) from++;
    while (to > from && (list.charCodeAt(to - 1) === 32 || list.charCodeAt(to - 1) === 9)) to--;
    if (to > from) tokens.add(list.slice(from, to).toLowerCase());
    start = i + 1;
  }
  return tokens;
}

/**
 * Remove the hop-by-hop headers and every header the `Connection` list names, except the
 * protected ones ({@link isProtectedFromConnection}). Only names actually present are
 * deleted, so a `Connection` list of malformed or thousands of names costs one pass.
 */
export function stripHopByHop(headers: Headers): void {
  const listed = headers.get("connection");
  if (listed !== null) {
    const names = listTokens(listed);
    const remove: string[] = [];
    for (const [name] of headers)
      if (names.has(name) && !isProtectedFromConnection(name)) remove.push(name);
    for (const name of remove) headers.delete(name);
  }
  for (const name of HOP_BY_HOP) headers.delete(name);
}

/** Forwarding headers a client may send but the layer never passes on (it sets its own). */
function isClientForwardingHeader(name: string): boolean {
  return name === "forwarded" || name === "x-real-ip" || name.startsWith("x-forwarded-");
}

/** Where the request came in: what the layer tells the upstream. */
export interface ForwardedFor {
  host: string;
  proto: string;
}

/**
 * The headers the upstream receives: the client's end-to-end headers, without hop-by-hop
 * headers, `Host` (fetch derives it from the URL) or any forwarding header the client sent,
 * then the layer's own `X-Forwarded-Host` and `X-Forwarded-Proto`. For a WebSocket handshake
 * the handshake's `Upgrade: websocket` and `Connection: Upgrade` are put back: they are the
 * handshake, not connection options to strip.
 */
export function upstreamRequestHeaders(
  incoming: Headers,
  via: ForwardedFor,
  webSocketHandshake: boolean,
): Headers {
  const headers = new Headers(incoming);
  stripHopByHop(headers);
  const forwarding: string[] = [];
  for (const [name] of headers) if (isClientForwardingHeader(name)) forwarding.push(name);
  for (const name of forwarding) headers.delete(name);
  headers.delete("host");
  headers.set("x-forwarded-host", via.host);
  headers.set("x-forwarded-proto", via.proto);
  if (webSocketHandshake) {
    headers.set("upgrade", "websocket");
    headers.set("connection", "Upgrade");
  }
  return headers;
}
