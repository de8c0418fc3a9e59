/**
 * Translation between AWS's event shapes and Web-standard Request/Response, shared by the
 * Lambda@Edge handler and the Lambda wrapper. Nothing here decides anything about CORS:
 * the core's `preflight` and `decorate` do, on the Web objects built here.
 */
import type { Cors, RequestOptions } from "@edge-cors/core";

/** Append one header; a value a Web `Headers` refuses (control bytes) is skipped, never a 5xx. */
export function appendHeader(headers: Headers, name: string, value: string): void {
  try {
    headers.append(name, value);
  } catch {
    // Not representable as a Web header: the core never sees it.
  }
}

/** Is `host` a plain `name[:port]` or `[v6]:port` (no userinfo, path, query or spaces)? */
function isPlainHost(host: string): boolean {
  if (host.length === 0 || host.length > 300) return false;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    const ok =
      (c >= 97 && c <= 122) || // a-z
      (c >= 65 && c <= 90) || // A-Z
      (c >= 48 && c <= 58) || // 0-9 and ':'
      c === 45 || // -
      c === 46 || // .
      c === 91 || // [
      c === 93; // ]
    if (!ok) return false;
  }
  return true;
}

/**
 * The Web Request for one AWS request: method, `https://{host}{path}?{query}` and headers,
 * no body (CORS decisions never read it). `host` falls back to `localhost` when missing or
 * odd. Returns `null` when the method cannot be represented (not a token, or one of
 * CONNECT/TRACE/TRACK): CloudFront and API Gateway only deliver methods a Request accepts.
 */
export function webRequest(
  method: string,
  host: string | undefined,
  path: string,
  query: string,
  headers: Headers,
): Request | null {
  const h = host !== undefined && isPlainHost(host) ? host : "localhost";
  const p = path.startsWith("/") ? path : `/${path}`;
  const q = query === "" ? "" : query.startsWith("?") ? query : `?${query}`;
  try {
    return new Request(`https://${h}${p}${q}`, { method, headers });
  } catch {
    try {
      // An unparsable path or query: keep method and headers, drop what the URL parser refused.
      return new Request(`https://${h}/`, { method, headers });
    } catch {
      return null;
    }
  }
}

/** `access-control-allow-origin` → `Access-Control-Allow-Origin`, for platforms that show a key. */
export function displayName(name: string): string {
  let out = "";
  let up = true;
  for (const ch of name) {
    out += up ? ch.toUpperCase() : ch;
    up = ch === "-";
  }
  return out;
}

/** A status the `Response` constructor accepts (200-599), or 200 for anything else. */
function shellStatus(status: number): number {
  return Number.isInteger(status) && status >= 200 && status <= 599 ? status : 200;
}

/**
 * What the core changes on a response with these headers: builds a body-less Response from
 * `status` and `headers`, lets `cors.decorate` put the CORS headers on it, and returns each
 * header whose value differs from `headers` (lower-case name → new value, or `null` when the
 * core removed it). Everything else in the platform's response stays byte for byte as it was.
 */
export async function corsHeaderChanges(
  cors: Cors,
  request: Request,
  status: number,
  headers: Headers,
  options?: RequestOptions,
): Promise<Map<string, string | null>> {
  const shell = new Response(null, { status: shellStatus(status), headers });
  const decorated = (await cors.decorate(request, shell, options)).headers;
  const changes = new Map<string, string | null>();
  for (const [name] of decorated) {
    const value = decorated.get(name);
    if (value !== headers.get(name)) changes.set(name, value);
  }
  for (const [name] of headers) if (!decorated.has(name)) changes.set(name, null);
  return changes;
}

/** The body of a generated response as text, or `undefined` when it has none. */
export async function bodyText(response: Response): Promise<string | undefined> {
  if (response.body === null) return undefined;
  const text = await response.text();
  return text === "" ? undefined : text;
}
