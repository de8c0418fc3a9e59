/**
 * A test oracle: what a browser concludes from a response, per Fetch (CORS check,
 * CORS-preflight fetch). Used to show that an app written for hono/cors gets the same
 * outcome from the drop-in, whatever the exact header spelling.
 */
export interface CorsCall {
  origin: string;
  credentials?: boolean;
  /** The actual request's method (a preflight asks for it). */
  method?: string;
  /** CORS-unsafe request-header names the preflight lists. */
  headers?: string[];
}

const SAFELISTED_METHODS = new Set(["GET", "HEAD", "POST"]);

function list(value: string | null): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Fetch §CORS check. */
export function corsCheck(res: Response, call: CorsCall): boolean {
  const acao = res.headers.get("access-control-allow-origin");
  if (acao === null) return false;
  if (!call.credentials && acao === "*") return true;
  if (acao !== call.origin) return false;
  return !call.credentials || res.headers.get("access-control-allow-credentials") === "true";
}

/** Does a browser accept this preflight response for `call`? */
export function preflightPasses(res: Response, call: CorsCall): boolean {
  if (res.status < 200 || res.status > 299 || !corsCheck(res, call)) return false;
  const methods = list(res.headers.get("access-control-allow-methods"));
  const method = call.method ?? "GET";
  const methodOk =
    SAFELISTED_METHODS.has(method) ||
    methods.includes(method) ||
    (!call.credentials && methods.includes("*"));
  if (!methodOk) return false;
  const allowed = list(res.headers.get("access-control-allow-headers")).map((h) => h.toLowerCase());
  return (call.headers ?? []).every((h) => {
    const name = h.toLowerCase();
    return (
      allowed.includes(name) ||
      (!call.credentials && allowed.includes("*") && name !== "authorization")
    );
  });
}

/** Does a browser let the script read this (non-preflight) response? */
export function actualPasses(res: Response, call: CorsCall): boolean {
  return corsCheck(res, call);
}

/** The header names a script may read beyond the safelisted ones, lower-cased. */
export function exposed(res: Response): string[] {
  return list(res.headers.get("access-control-expose-headers")).map((h) => h.toLowerCase());
}

/** A preflight as a browser sends it. */
export function preflightRequest(url: string, call: CorsCall): Request {
  const headers: Record<string, string> = {
    origin: call.origin,
    "access-control-request-method": call.method ?? "GET",
  };
  if (call.headers?.length)
    headers["access-control-request-headers"] = [...call.headers].sort().join(",");
  return new Request(url, { method: "OPTIONS", headers });
}

/** The actual request as a browser sends it. */
export function actualRequest(url: string, call: CorsCall): Request {
  return new Request(url, { method: call.method ?? "GET", headers: { origin: call.origin } });
}
