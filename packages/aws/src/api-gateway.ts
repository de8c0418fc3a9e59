/**
 * API Gateway and Lambda function URL shapes ⇄ Web Request/Response.
 *
 * - payload 1.0 (REST APIs, HTTP APIs set to 1.0): `httpMethod`, `path`, `multiValueHeaders`;
 *   results carry `headers` and/or `multiValueHeaders` (API Gateway merges the two).
 * - payload 2.0 (HTTP APIs, function URLs): `requestContext.http.method`, `rawPath`,
 *   comma-joined `headers`, `cookies`; results carry `headers` and `cookies`, and a result
 *   without `statusCode` is inferred as 200 `application/json` with the JSON text as body.
 */
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import { appendHeader, bodyText, webRequest } from "./web.ts";

/** Header maps as Lambda results carry them. */
type SingleHeaders = Record<string, boolean | number | string>;
type MultiHeaders = Record<string, Array<boolean | number | string>>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Payload 1.0 events carry `httpMethod`; 2.0 events (HTTP API, function URL) do not. */
/** Append every defined value of a single-value header record. */
function appendRecord(headers: Headers, record: unknown): void {
  if (!isObject(record)) return;
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value !== undefined && value !== null) appendHeader(headers, name, String(value));
  }
}

export function isPayloadV1(event: unknown): event is APIGatewayProxyEvent {
  return isObject(event) && typeof event.httpMethod === "string";
}

/** Payload 2.0 events carry `requestContext.http.method`. */
export function isPayloadV2(event: unknown): event is APIGatewayProxyEventV2 {
  return isObject(event) && isObject(event.requestContext) && isObject(event.requestContext.http);
}

/** The Web Request for a payload 1.0 event (all values of `multiValueHeaders`). */
export function fromV1Event(event: APIGatewayProxyEvent): Request | null {
  const headers = new Headers();
  const multi = event.multiValueHeaders;
  if (isObject(multi)) {
    for (const name of Object.keys(multi)) {
      const values = multi[name];
      if (Array.isArray(values)) for (const v of values) appendHeader(headers, name, String(v));
    }
  } else {
    appendRecord(headers, event.headers);
  }
  const query = new URLSearchParams();
  const mq = event.multiValueQueryStringParameters;
  if (isObject(mq)) {
    for (const name of Object.keys(mq)) for (const v of mq[name] ?? []) query.append(name, v);
  }
  const host = headers.get("host") ?? event.requestContext?.domainName;
  return webRequest(
    event.httpMethod,
    host ?? undefined,
    event.path ?? "/",
    query.toString(),
    headers,
  );
}

/** The Web Request for a payload 2.0 event; `cookies` become one `Cookie` header. */
export function fromV2Event(event: APIGatewayProxyEventV2): Request | null {
  const headers = new Headers();
  appendRecord(headers, event.headers);
  if (Array.isArray(event.cookies) && event.cookies.length > 0 && !headers.has("cookie")) {
    appendHeader(headers, "cookie", event.cookies.join("; "));
  }
  const host = headers.get("host") ?? event.requestContext.domainName;
  return webRequest(
    event.requestContext.http.method,
    host ?? undefined,
    event.rawPath ?? "/",
    event.rawQueryString ?? "",
    headers,
  );
}

/** Split Web headers into single values and (for `Set-Cookie`) lists. */
function splitHeaders(h: Headers): { single: Record<string, string>; cookies: string[] } {
  const single: Record<string, string> = {};
  for (const [name, value] of h) if (name !== "set-cookie") single[name] = value;
  return { single, cookies: h.getSetCookie() };
}

/** A payload 1.0 result from a Web Response (a generated preflight answer). */
export async function toV1Result(response: Response): Promise<APIGatewayProxyResult> {
  const { single, cookies } = splitHeaders(response.headers);
  const out: APIGatewayProxyResult = {
    statusCode: response.status,
    headers: single,
    body: (await bodyText(response)) ?? "",
    isBase64Encoded: false,
  };
  if (cookies.length > 0) out.multiValueHeaders = { "set-cookie": cookies };
  return out;
}

/** A payload 2.0 result from a Web Response (a generated preflight answer). */
export async function toV2Result(response: Response): Promise<APIGatewayProxyStructuredResultV2> {
  const { single, cookies } = splitHeaders(response.headers);
  const out: APIGatewayProxyStructuredResultV2 = { statusCode: response.status, headers: single };
  if (cookies.length > 0) out.cookies = cookies;
  const body = await bodyText(response);
  if (body !== undefined) out.body = body;
  return out;
}

/**
 * The headers a client receives for a payload 1.0 result: every `multiValueHeaders` value,
 * plus each `headers` value not already listed there for that name (API Gateway's merge rule).
 */
export function v1ResultHeaders(
  result: Pick<APIGatewayProxyResult, "headers" | "multiValueHeaders">,
): Headers {
  const h = new Headers();
  const listed = new Map<string, Set<string>>();
  if (isObject(result.multiValueHeaders)) {
    for (const name of Object.keys(result.multiValueHeaders)) {
      const values = result.multiValueHeaders[name];
      if (!Array.isArray(values)) continue;
      const lower = name.toLowerCase();
      const seen = listed.get(lower) ?? new Set<string>();
      for (const v of values) {
        appendHeader(h, name, String(v));
        seen.add(String(v));
      }
      listed.set(lower, seen);
    }
  }
  if (isObject(result.headers)) {
    for (const name of Object.keys(result.headers)) {
      const v = result.headers[name];
      if (v === undefined || v === null) continue;
      if (listed.get(name.toLowerCase())?.has(String(v))) continue;
      appendHeader(h, name, String(v));
    }
  }
  return h;
}

/** The headers of a payload 2.0 structured result (`cookies` excluded: they are not headers here). */
export function v2ResultHeaders(
  result: Pick<APIGatewayProxyStructuredResultV2, "headers">,
): Headers {
  const h = new Headers();
  appendRecord(h, result.headers);
  return h;
}

/** Is this a payload 1.0 result API Gateway accepts (an object with `statusCode`)? */
export function isV1Result(result: unknown): result is APIGatewayProxyResult {
  return isObject(result) && result.statusCode !== undefined && result.statusCode !== null;
}

/**
 * A payload 2.0 result as a structured result: returned as is when it has `statusCode`,
 * otherwise built with API Gateway's inference rule (200, `content-type: application/json`,
 * the JSON text of the result as body, not base64).
 */
export function structuredV2Result(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (isObject(result) && result.statusCode !== undefined && result.statusCode !== null) {
    return result as APIGatewayProxyStructuredResultV2;
  }
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(result ?? null) ?? "null",
    isBase64Encoded: false,
  };
}

/**
 * A copy of `result` with `changes` (lower-case name → value, or `null` to remove) written
 * into `headers`; every spelling of a changed name is first removed from `headers` and
 * `multiValueHeaders`, so API Gateway's merge cannot duplicate it. Everything else (other
 * headers, `multiValueHeaders`, `cookies`, `body`, `isBase64Encoded`, `statusCode`) is kept.
 */
export function withHeaderChanges<
  T extends { headers?: SingleHeaders; multiValueHeaders?: MultiHeaders },
>(result: T, changes: ReadonlyMap<string, string | null>): T {
  if (changes.size === 0) return result;
  const headers: SingleHeaders = isObject(result.headers) ? { ...result.headers } : {};
  const multi: MultiHeaders | undefined = isObject(result.multiValueHeaders)
    ? { ...result.multiValueHeaders }
    : undefined;
  for (const [name, value] of changes) {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === name) delete headers[k];
    if (multi !== undefined)
      for (const k of Object.keys(multi)) if (k.toLowerCase() === name) delete multi[k];
    if (value !== null) headers[name] = value;
  }
  const out: T = { ...result, headers };
  if (multi !== undefined) out.multiValueHeaders = multi;
  return out;
}
