/**
 * CORS response headers for the hand-written test servers of the audit and redirect tests:
 * what a server sends when it grants the request everything it asks for.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";

/**
 * Grants whatever the request asks: its own Origin (`null` included), credentials, and on a
 * preflight its Access-Control-Request-Method / -Headers. The "reflect everything" server.
 */
export function reflectEverything(req: IncomingMessage): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  const origin = req.headers.origin;
  if (origin !== undefined) {
    headers["access-control-allow-origin"] = origin;
    headers["access-control-allow-credentials"] = "true";
  }
  const method = req.headers["access-control-request-method"];
  if (method !== undefined) headers["access-control-allow-methods"] = method;
  const names = req.headers["access-control-request-headers"];
  if (names !== undefined) headers["access-control-allow-headers"] = names;
  return headers;
}

/** True for a CORS preflight (OPTIONS with Access-Control-Request-Method). */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
}
