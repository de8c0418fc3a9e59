import { describe, expect, it } from "vitest";
import { vectors } from "../../../test/vectors/index.ts";
import { appCloudFrontResponse, requestEvent } from "./cloudfront-events.ts";
import { checkEdgeResult, type EdgeEventType, type EdgeInput } from "./cloudfront-rules.ts";

const v = vectors.find((x) => x.name === "actual GET allowed")!;
const viewerIn: EdgeInput = requestEvent(v, "viewer-request").Records[0]!.cf;
const originIn: EdgeInput = requestEvent(v, "origin-request").Records[0]!.cf;
const originResIn: EdgeInput = {
  request: originIn.request,
  response: appCloudFrontResponse(v, "origin-response"),
};
const viewerResIn: EdgeInput = {
  request: viewerIn.request,
  response: appCloudFrontResponse(v, "viewer-response"),
};
const inputs: Record<EdgeEventType, EdgeInput> = {
  "viewer-request": viewerIn,
  "origin-request": originIn,
  "origin-response": originResIn,
  "viewer-response": viewerResIn,
};

const ok204 = {
  status: "204",
  headers: {
    "access-control-allow-origin": [
      { key: "Access-Control-Allow-Origin", value: "https://a.example" },
    ],
  },
};
const clone = <T>(x: T): T => structuredClone(x);
function withHeader(base: { headers: Record<string, unknown> }, name: string, lines: unknown) {
  const c = clone(base) as { headers: Record<string, unknown> };
  c.headers[name] = lines;
  return c;
}
const big = "x".repeat(41 * 1024);

/** Purpose-made bad results: each must be caught, with a message naming the rule. */
const bad: Array<[string, EdgeEventType, unknown, string]> = [
  ["null result", "viewer-request", null, "must be an object"],
  ["numeric status", "viewer-request", { ...ok204, status: 204 }, "status must be a string"],
  ["status not a code", "origin-request", { ...ok204, status: "2xx" }, "is not an HTTP status"],
  [
    "upper-case header key",
    "viewer-request",
    withHeader(ok204, "Vary", [{ key: "Vary", value: "Origin" }]),
    "not lower-case",
  ],
  [
    "header value not an array",
    "viewer-request",
    withHeader(ok204, "vary", "Origin"),
    "non-empty array",
  ],
  ["empty header array", "origin-request", withHeader(ok204, "vary", []), "non-empty array"],
  [
    "entry without string value",
    "viewer-request",
    withHeader(ok204, "vary", [{ key: "Vary", value: 1 }]),
    "string value",
  ],
  [
    "entry key of another header",
    "viewer-request",
    withHeader(ok204, "vary", [{ key: "Origin", value: "x" }]),
    "does not match",
  ],
  [
    "CRLF in a value",
    "origin-request",
    withHeader(ok204, "vary", [{ key: "Vary", value: "a\r\nX: y" }]),
    "CR, LF",
  ],
  [
    "disallowed Connection in a generated response",
    "viewer-request",
    withHeader(ok204, "connection", [{ key: "Connection", value: "close" }]),
    "disallowed",
  ],
  [
    "disallowed X-Amz-Cf-Id in a generated response",
    "origin-request",
    withHeader(ok204, "x-amz-cf-id", [{ key: "X-Amz-Cf-Id", value: "x" }]),
    "disallowed",
  ],
  [
    "disallowed X-Edge-* in a generated response",
    "viewer-request",
    withHeader(ok204, "x-edge-location", [{ key: "X-Edge-Location", value: "x" }]),
    "disallowed",
  ],
  [
    "read-only Content-Length in a generated viewer-request response",
    "viewer-request",
    withHeader(ok204, "content-length", [{ key: "Content-Length", value: "0" }]),
    "read-only at viewer-request",
  ],
  ["a 204 with a body", "viewer-request", { ...ok204, body: "" }, "must not have a body"],
  [
    "a 304 with a body",
    "origin-request",
    { ...ok204, status: "304", body: "x" },
    "must not have a body",
  ],
  [
    "bad bodyEncoding",
    "origin-request",
    { status: "200", body: "x", bodyEncoding: "gzip" },
    "bodyEncoding",
  ],
  [
    "generated response over 40 KB at viewer-request",
    "viewer-request",
    { status: "200", body: big },
    "over the 40960-byte quota",
  ],
  [
    "generated response over 1 MB at origin-request",
    "origin-request",
    { status: "200", body: "x".repeat(1024 * 1024) },
    "quota",
  ],
  [
    "forwarded request with Via changed",
    "viewer-request",
    withHeader(viewerIn.request, "via", [{ key: "Via", value: "1.1 me" }]),
    "read-only at viewer-request",
  ],
  [
    "forwarded request with Host changed",
    "viewer-request",
    withHeader(viewerIn.request, "host", [{ key: "Host", value: "x.example" }]),
    "read-only",
  ],
  [
    "forwarded request with If-None-Match added",
    "origin-request",
    withHeader(originIn.request, "if-none-match", [{ key: "If-None-Match", value: '"1"' }]),
    "read-only at origin-request",
  ],
  [
    "forwarded request with X-Forwarded-Proto added",
    "origin-request",
    withHeader(originIn.request, "x-forwarded-proto", [
      { key: "X-Forwarded-Proto", value: "https" },
    ]),
    "disallowed",
  ],
  [
    "forwarded request with the method changed",
    "viewer-request",
    { ...clone(viewerIn.request), method: "POST" },
    "method is read-only",
  ],
  [
    "forwarded request with a relative uri",
    "viewer-request",
    { ...clone(viewerIn.request), uri: "api" },
    "uri must start with /",
  ],
  [
    "origin-response with Transfer-Encoding changed",
    "origin-response",
    withHeader(originResIn.response!, "transfer-encoding", [
      { key: "Transfer-Encoding", value: "gzip" },
    ]),
    "read-only at origin-response",
  ],
  [
    "viewer-response with Warning added",
    "viewer-response",
    withHeader(viewerResIn.response!, "warning", [{ key: "Warning", value: "199 x" }]),
    "read-only at viewer-response",
  ],
  [
    "viewer-response with X-Cache modified",
    "viewer-response",
    withHeader(viewerResIn.response!, "x-cache", [{ key: "X-Cache", value: "Hit" }]),
    "disallowed",
  ],
  [
    "viewer-response with X-Amz-Cf-Pop removed",
    "viewer-response",
    (() => {
      const r = clone(viewerResIn.response!);
      delete (r.headers as Record<string, unknown>)["x-amz-cf-pop"];
      return r;
    })(),
    "disallowed",
  ],
  [
    "viewer-response with the status changed",
    "viewer-response",
    { ...clone(viewerResIn.response!), status: "500" },
    "cannot be changed at viewer-response",
  ],
  [
    "response event with a numeric status",
    "origin-response",
    { ...clone(originResIn.response!), status: 200 },
    "status must be a string",
  ],
];

describe("the CloudFront rule checker", () => {
  it.each(bad)("catches: %s", (_name, type, result, message) => {
    const problems = checkEdgeResult(type, inputs[type], result);
    expect(
      problems.some((p) => p.includes(message)),
      problems.join("\n"),
    ).toBe(true);
  });

  const good: Array<[string, EdgeEventType, unknown]> = [
    ["a 204 without body", "viewer-request", ok204],
    [
      "a generated 200 just under 40 KB",
      "viewer-request",
      { status: "200", body: "x".repeat(40 * 1024 - 100) },
    ],
    ["a generated 200 of 41 KB at origin-request", "origin-request", { status: "200", body: big }],
    ["the request forwarded unchanged", "origin-request", clone(originIn.request)],
    [
      "the response with a CORS header added",
      "viewer-response",
      withHeader(viewerResIn.response!, "access-control-allow-origin", [
        { key: "Access-Control-Allow-Origin", value: "*" },
      ]),
    ],
    ["the origin response unchanged", "origin-response", clone(originResIn.response!)],
  ];
  it.each(good)("accepts: %s", (_name, type, result) => {
    expect(checkEdgeResult(type, inputs[type], result)).toEqual([]);
  });
});
