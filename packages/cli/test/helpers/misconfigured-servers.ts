/**
 * Hand-written CORS servers for the audit tests, each misconfigured one way (the classes of
 * docs/cli.md's finding table): which Origin values they grant, and how they answer preflights.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { isPreflight } from "./cors-grants.ts";
import type { Handler } from "./servers.ts";

export interface CorsServerSpec {
  /** Whether the server grants this Origin (it then sends it back, or `*`). */
  grants(origin: string): boolean;
  /** What a grant puts in Access-Control-Allow-Origin. Default: the request's Origin. */
  allowOrigin?: "origin" | "*";
  /** Access-Control-Allow-Credentials: true on grants. Default true. */
  credentials?: boolean;
  /** Vary: Origin on every response. Default true. */
  vary?: boolean;
  /** Access-Control-Allow-Methods on granted preflights; "reflect" echoes the request's. */
  methods?: string;
  /** Access-Control-Allow-Headers on granted preflights; "reflect" echoes the request's. */
  headers?: string;
  /** Access-Control-Max-Age on granted preflights. */
  maxAge?: string;
  /** Access-Control-Expose-Headers on granted actual responses. */
  expose?: string;
}

/** The correct answer's defaults: PUT and DELETE, Content-Type and X-Api-Key, 10 minutes. */
const DEFAULTS = { methods: "PUT, DELETE", headers: "content-type, x-api-key", maxAge: "600" };

function granted(spec: CorsServerSpec, req: IncomingMessage): OutgoingHttpHeaders {
  const origin = req.headers.origin;
  if (origin === undefined || !spec.grants(origin)) return {};
  const out: OutgoingHttpHeaders = {
    "access-control-allow-origin": spec.allowOrigin === "*" ? "*" : origin,
  };
  if (spec.credentials !== false) out["access-control-allow-credentials"] = "true";
  if (!isPreflight(req)) {
    if (spec.expose !== undefined) out["access-control-expose-headers"] = spec.expose;
    return out;
  }
  const echo = (value: string, asked: string | string[] | undefined) =>
    value === "reflect" ? String(asked ?? "") : value;
  out["access-control-allow-methods"] = echo(
    spec.methods ?? DEFAULTS.methods,
    req.headers["access-control-request-method"],
  );
  out["access-control-allow-headers"] = echo(
    spec.headers ?? DEFAULTS.headers,
    req.headers["access-control-request-headers"],
  );
  out["access-control-max-age"] = spec.maxAge ?? DEFAULTS.maxAge;
  return out;
}

/** Preflights: 204 with the grant (403 without); everything else: 200 JSON. */
export function corsServer(spec: CorsServerSpec): Handler {
  return (req, res) => {
    req.resume();
    const headers = granted(spec, req);
    if (spec.vary !== false) headers.vary = "Origin";
    if (isPreflight(req)) {
      res.writeHead("access-control-allow-origin" in headers ? 204 : 403, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, "content-type": "application/json" }).end('{"ok":true}');
  };
}

/** Grants exactly one origin. */
export const only = (allowed: string) => (origin: string) => origin === allowed;
