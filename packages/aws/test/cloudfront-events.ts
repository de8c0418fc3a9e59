/**
 * CloudFront (Lambda@Edge) events built from the shared conformance vectors, in the shapes
 * of the samples in the CloudFront Developer Guide ("Lambda@Edge event structure"): a
 * viewer-request carries the viewer's headers; an origin-request adds `origin` and the
 * headers CloudFront sets (Via, X-Forwarded-For); response events add `cf.response` with a
 * string status and CloudFront's own headers (Via, X-Cache, X-Amz-Cf-*), which a function
 * must leave alone.
 */
import type {
  CloudFrontHeaders,
  CloudFrontRequest,
  CloudFrontRequestEvent,
  CloudFrontResponse,
  CloudFrontResponseEvent,
} from "aws-lambda";
import { appResponse, type Vector } from "../../../test/vectors/index.ts";
import type { EdgeHandler, EdgeResult } from "../src/lambda-edge.ts";
import { checkEdgeResult, type EdgeEventType } from "./cloudfront-rules.ts";

export const DISTRIBUTION = "d111111abcdef8.cloudfront.net";
const CLIENT_IP = "203.0.113.178";

function titleCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

function line(name: string, value: string): { key: string; value: string } {
  return { key: titleCase(name), value };
}

function config(eventType: EdgeEventType) {
  return {
    distributionDomainName: DISTRIBUTION,
    distributionId: "EDFDVBD6EXAMPLE",
    eventType,
    requestId: "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==",
  } as const;
}

/** The vector's request headers as CloudFront lines; two vectors arrive as several lines. */
function vectorHeaders(v: Vector): CloudFrontHeaders {
  const out: CloudFrontHeaders = {};
  for (const [name, value] of Object.entries(v.request.headers)) {
    const split =
      (name === "access-control-request-headers" && v.name.includes("split ACRH")) ||
      (name === "origin" && v.name.includes("two origins"));
    out[name] = split ? value.split(", ").map((part) => line(name, part)) : [line(name, value)];
  }
  return out;
}

/** A viewer-request or origin-request event for the vector. */
export function requestEvent(
  v: Vector,
  eventType: "viewer-request" | "origin-request",
): CloudFrontRequestEvent {
  const [uri, querystring = ""] = v.request.path.split("?") as [string, string?];
  const viewer: CloudFrontHeaders = {
    host: [line("host", DISTRIBUTION)],
    "user-agent": [line("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")],
    accept: [line("accept", "*/*")],
  };
  const request: CloudFrontRequest =
    eventType === "viewer-request"
      ? {
          clientIp: CLIENT_IP,
          method: v.request.method,
          uri,
          querystring,
          headers: { ...viewer, ...vectorHeaders(v) },
        }
      : {
          clientIp: CLIENT_IP,
          method: v.request.method,
          uri,
          querystring,
          headers: {
            "x-forwarded-for": [line("x-forwarded-for", CLIENT_IP)],
            "user-agent": [line("user-agent", "Amazon CloudFront")],
            via: [line("via", "2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)")],
            host: [line("host", "api.example.com")],
            ...vectorHeaders(v),
          },
          origin: {
            custom: {
              customHeaders: {},
              domainName: "api.example.com",
              keepaliveTimeout: 5,
              path: "",
              port: 443,
              protocol: "https",
              readTimeout: 30,
              sslProtocols: ["TLSv1.2"],
            },
          },
        };
  return { Records: [{ cf: { config: config(eventType), request } }] };
}

const REASONS: Record<number, string> = {
  200: "OK",
  204: "No Content",
  302: "Found",
  404: "Not Found",
  500: "Internal Server Error",
};

/** The vector's app response as CloudFront's `cf.response`, with the headers CloudFront adds. */
export function appCloudFrontResponse(
  v: Vector,
  eventType: "origin-response" | "viewer-response",
): CloudFrontResponse {
  const app = appResponse(v);
  const headers: CloudFrontHeaders = {
    server: [line("server", "nginx")],
    date: [line("date", "Mon, 02 Nov 2026 10:00:00 GMT")],
    "set-cookie": [
      line("set-cookie", "theme=light"),
      line("set-cookie", "session=abc123; Secure; HttpOnly"),
    ],
  };
  for (const [name, value] of app.headers) headers[name] = [line(name, value)];
  if (eventType === "origin-response") {
    headers["transfer-encoding"] = [line("transfer-encoding", "chunked")];
  } else {
    headers["content-length"] = [line("content-length", "3")];
    headers.via = [line("via", "1.1 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)")];
    headers["x-cache"] = [line("x-cache", "Miss from cloudfront")];
    headers["x-amz-cf-pop"] = [line("x-amz-cf-pop", "FRA56-P1")];
    headers["x-amz-cf-id"] = [
      line("x-amz-cf-id", "HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ4TyzHTaYWb1GX1qTfsHhEqV6=="),
    ];
  }
  return { status: String(app.status), statusDescription: REASONS[app.status] ?? "", headers };
}

/** An origin-response or viewer-response event for `request` (what the request trigger forwarded). */
export function responseEvent(
  v: Vector,
  eventType: "origin-response" | "viewer-response",
  request: CloudFrontRequest,
): CloudFrontResponseEvent {
  const { body: _body, ...forwarded } = request;
  return {
    Records: [
      {
        cf: {
          config: config(eventType),
          request: forwarded,
          response: appCloudFrontResponse(v, eventType),
        },
      },
    ],
  };
}

/** The outcome of one vector through a request trigger and, if forwarded, a response trigger. */
export interface EdgeRun {
  /** The final result: a generated response, or the decorated `cf.response`. */
  result: { status: string; headers?: CloudFrontHeaders };
  reachedApp: boolean;
  /** Every CloudFront rule broken by any result along the way. */
  ruleProblems: string[];
}

/**
 * Run `v` through `handler` as CloudFront would with the handler on both triggers of one
 * side: `viewer` (viewer-request + viewer-response) or `origin` (origin-request + origin-response).
 */
export async function runThroughEdge(
  handler: EdgeHandler,
  v: Vector,
  side: "viewer" | "origin",
): Promise<EdgeRun> {
  const reqType = `${side}-request` as const;
  const resType = `${side}-response` as const;
  const reqEvent = requestEvent(v, reqType);
  const reqInput = structuredClone(reqEvent.Records[0]!.cf);
  const first: EdgeResult = await handler(reqEvent);
  const ruleProblems = checkEdgeResult(reqType, reqInput, first).map((p) => `${reqType}: ${p}`);
  if ("status" in first) return { result: first, reachedApp: false, ruleProblems };
  const resEvent = responseEvent(v, resType, first as CloudFrontRequest);
  const resInput = structuredClone(resEvent.Records[0]!.cf);
  const second = await handler(resEvent);
  ruleProblems.push(...checkEdgeResult(resType, resInput, second).map((p) => `${resType}: ${p}`));
  return { result: second as CloudFrontResponse, reachedApp: true, ruleProblems };
}

/** A CloudFront result as what the browser sees: numeric status and a Web `Headers`. */
export function asSeenByBrowser(result: { status: string; headers?: CloudFrontHeaders }): {
  status: number;
  headers: Headers;
} {
  const headers = new Headers();
  for (const [name, lines] of Object.entries(result.headers ?? {})) {
    for (const l of lines) headers.append(name, l.value);
  }
  return { status: Number(result.status), headers };
}
