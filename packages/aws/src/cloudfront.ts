/**
 * CloudFront (Lambda@Edge) shapes ⇄ Web Request/Response. CloudFront headers are
 * `{ lowercase: [{ key, value }, …] }`, one array entry per header line; statuses are strings.
 */
import type { CloudFrontHeaders, CloudFrontRequest, CloudFrontResultResponse } from "aws-lambda";
import { appendHeader, bodyText, displayName, webRequest } from "./web.ts";

/** CloudFront headers as a Web `Headers` (several lines of one name are joined by `, `). */
export function fromCloudFrontHeaders(headers: CloudFrontHeaders | undefined): Headers {
  const out = new Headers();
  if (headers === undefined) return out;
  for (const name of Object.keys(headers)) {
    const lines = headers[name];
    if (!Array.isArray(lines)) continue;
    for (const line of lines)
      if (typeof line?.value === "string") appendHeader(out, name, line.value);
  }
  return out;
}

/** A Web `Headers` as CloudFront headers; each `Set-Cookie` stays its own entry. */
export function toCloudFrontHeaders(headers: Headers): CloudFrontHeaders {
  const out: CloudFrontHeaders = {};
  for (const [name, value] of headers) {
    const lines = out[name] ?? [];
    lines.push({ key: displayName(name), value });
    out[name] = lines;
  }
  return out;
}

/** The Web Request for a CloudFront request (viewer or origin side), without its body. */
export function fromCloudFrontRequest(
  request: Pick<CloudFrontRequest, "method" | "uri" | "querystring" | "headers">,
): Request | null {
  const headers = fromCloudFrontHeaders(request.headers);
  const host = request.headers?.host?.[0]?.value;
  return webRequest(request.method, host, request.uri ?? "/", request.querystring ?? "", headers);
}

/**
 * A generated CloudFront response from a Web Response: status as a string, CloudFront
 * headers, and a text body only when there is one (a 204 never gets `body`).
 */
export async function toCloudFrontResponse(response: Response): Promise<CloudFrontResultResponse> {
  const out: CloudFrontResultResponse = {
    status: String(response.status),
    headers: toCloudFrontHeaders(response.headers),
  };
  if (response.statusText !== "") out.statusDescription = response.statusText;
  const body =
    response.status === 204 || response.status === 304 ? undefined : await bodyText(response);
  if (body !== undefined) {
    out.body = body;
    out.bodyEncoding = "text";
  }
  return out;
}

/**
 * Write `changes` (lower-case name → value, or `null` to remove) into CloudFront headers in
 * place, keeping the `key` spelling the header already had. Other headers are not touched.
 */
export function applyToCloudFrontHeaders(
  headers: CloudFrontHeaders,
  changes: ReadonlyMap<string, string | null>,
): void {
  for (const [name, value] of changes) {
    if (value === null) {
      delete headers[name];
      continue;
    }
    const key = headers[name]?.[0]?.key ?? displayName(name);
    headers[name] = [{ key, value }];
  }
}
