/**
 * CloudFront's rules for what a Lambda@Edge function may return (a violation is a 502 at
 * the edge), as a checker: `checkEdgeResult(eventType, input, result)` lists every broken
 * rule, [] when the result is acceptable. Sources: CloudFront Developer Guide, "Lambda@Edge
 * event structure", "Generating HTTP responses in request triggers" and "Restrictions on
 * edge functions" (disallowed and read-only headers, size quotas). Where the guide is vague
 * the checker is stricter (e.g. no read-only header in a generated response either).
 */

export type EdgeEventType =
  | "viewer-request"
  | "origin-request"
  | "origin-response"
  | "viewer-response";

/** Headers no Lambda@Edge function may add or modify, in any event. */
export const DISALLOWED_HEADERS: readonly string[] = [
  "connection",
  "expect",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "trailer",
  "upgrade",
  "x-cache",
  "x-forwarded-proto",
  "x-real-ip",
];
/** Prefixes of disallowed headers (X-Accel-*, X-Amz-Cf-*, X-Amzn-*, X-Edge-*). */
export const DISALLOWED_PREFIXES: readonly string[] = [
  "x-accel-",
  "x-amz-cf-",
  "x-amzn-",
  "x-edge-",
];

/** Headers a function may read but not add or change, per event type. */
export const READ_ONLY_HEADERS: Record<EdgeEventType, readonly string[]> = {
  "viewer-request": ["content-length", "host", "transfer-encoding", "via"],
  "origin-request": [
    "accept-encoding",
    "content-length",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "transfer-encoding",
    "via",
  ],
  "origin-response": ["transfer-encoding", "via"],
  "viewer-response": ["content-encoding", "content-length", "transfer-encoding", "warning", "via"],
};

/** Size quota of a generated response (headers and body), per request event. */
export const GENERATED_RESPONSE_LIMIT = {
  "viewer-request": 40 * 1024,
  "origin-request": 1024 * 1024,
};

/** What CloudFront passed in: `cf.request`, and `cf.response` for response events. */
export interface EdgeInput {
  request: {
    method: string;
    uri: string;
    querystring: string;
    headers: Record<string, unknown>;
    clientIp?: string;
  };
  response?: { status: string; headers: Record<string, unknown> };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function isDisallowed(name: string): boolean {
  return DISALLOWED_HEADERS.includes(name) || DISALLOWED_PREFIXES.some((p) => name.startsWith(p));
}

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127 || '"(),/:;<=>?@[\\]{}'.includes(s[i]!)) return false;
  }
  return true;
}

/** Format rules for a `headers` object: lower-case token keys, arrays of `{ key?, value }`. */
function checkHeaderShape(where: string, headers: unknown, p: string[]): void {
  if (!isObj(headers)) {
    p.push(`${where}.headers must be an object`);
    return;
  }
  for (const [name, lines] of Object.entries(headers)) {
    if (name !== name.toLowerCase()) p.push(`${where}.headers["${name}"]: key is not lower-case`);
    if (!isToken(name)) p.push(`${where}.headers["${name}"]: not a header name`);
    if (!Array.isArray(lines) || lines.length === 0) {
      p.push(`${where}.headers["${name}"] must be a non-empty array of { key, value }`);
      continue;
    }
    for (const line of lines) {
      if (!isObj(line) || typeof line.value !== "string") {
        p.push(`${where}.headers["${name}"]: every entry needs a string value`);
        continue;
      }
      if (
        line.key !== undefined &&
        (typeof line.key !== "string" || line.key.toLowerCase() !== name)
      ) {
        p.push(
          `${where}.headers["${name}"]: key ${JSON.stringify(line.key)} does not match the lower-case name`,
        );
      }
      if (/[\r\n\0]/.test(line.value))
        p.push(`${where}.headers["${name}"]: value contains CR, LF or NUL`);
    }
  }
}

/** Every disallowed or read-only header must be exactly as CloudFront passed it. */
function checkUntouched(
  where: string,
  type: EdgeEventType,
  before: unknown,
  after: unknown,
  p: string[],
): void {
  const b = isObj(before) ? before : {};
  const a = isObj(after) ? after : {};
  for (const name of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const protectedName = isDisallowed(name) || READ_ONLY_HEADERS[type].includes(name);
    if (!protectedName) continue;
    if (JSON.stringify(b[name]) !== JSON.stringify(a[name])) {
      const why = isDisallowed(name) ? "disallowed" : `read-only at ${type}`;
      p.push(`${where}.headers["${name}"] was added or modified (${why})`);
    }
  }
}

function checkStatus(where: string, status: unknown, p: string[]): void {
  if (typeof status !== "string") {
    p.push(`${where}.status must be a string, got ${typeof status}`);
    return;
  }
  const n = Number(status);
  if (!/^\d{3}$/.test(status) || n < 200 || n > 599)
    p.push(`${where}.status "${status}" is not an HTTP status`);
}

function checkNoBodyStatus(where: string, r: Obj, p: string[]): void {
  if ((r.status === "204" || r.status === "304") && r.body !== undefined) {
    p.push(`${where}: a ${r.status} must not have a body (CloudFront answers 502)`);
  }
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Every CloudFront rule `result` breaks for an event of type `type` with input `input`. */
export function checkEdgeResult(type: EdgeEventType, input: EdgeInput, result: unknown): string[] {
  const p: string[] = [];
  if (!isObj(result))
    return [`result must be an object, got ${result === null ? "null" : typeof result}`];
  if (type === "viewer-request" || type === "origin-request") {
    if ("status" in result) {
      // A generated response.
      checkStatus("response", result.status, p);
      if (result.headers !== undefined) {
        checkHeaderShape("response", result.headers, p);
        checkUntouched("response", type, {}, result.headers, p);
      }
      checkNoBodyStatus("response", result, p);
      if (
        result.bodyEncoding !== undefined &&
        result.bodyEncoding !== "text" &&
        result.bodyEncoding !== "base64"
      ) {
        p.push(`response.bodyEncoding must be "text" or "base64"`);
      }
      if (result.body !== undefined && typeof result.body !== "string")
        p.push("response.body must be a string");
      const size = byteLength(JSON.stringify(result));
      const limit = GENERATED_RESPONSE_LIMIT[type];
      if (size > limit)
        p.push(`generated response is ${size} bytes, over the ${limit}-byte quota at ${type}`);
      return p;
    }
    // The request, forwarded.
    if (typeof result.uri !== "string" || !result.uri.startsWith("/"))
      p.push("request.uri must start with /");
    if (result.method !== input.request.method) p.push("request.method is read-only");
    if (result.clientIp !== input.request.clientIp) p.push("request.clientIp is read-only");
    if (typeof result.querystring !== "string") p.push("request.querystring must be a string");
    checkHeaderShape("request", result.headers, p);
    checkUntouched("request", type, input.request.headers, result.headers, p);
    return p;
  }
  // Response events: the (possibly updated) response.
  checkStatus("response", result.status, p);
  if (type === "viewer-response" && result.status !== input.response?.status) {
    p.push("response.status cannot be changed at viewer-response");
  }
  checkHeaderShape("response", result.headers, p);
  checkUntouched("response", type, input.response?.headers, result.headers, p);
  checkNoBodyStatus("response", result, p);
  return p;
}
