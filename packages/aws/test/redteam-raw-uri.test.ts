/**
 * Red team (pass 2): Lambda@Edge decides routes on the WHATWG-normalised URI, while CloudFront
 * hands Lambda@Edge — and the origin — the URI as the viewer sent it ("Even if the URI is
 * normalized for matching, Lambda@Edge gets the original request URI", AWS Support on
 * re:Post, "cloudfront behaviour path pattern matching"). `webRequest` builds
 * `new Request("https://host" + uri)`, which removes `.`/`..`/`%2e` segments and reads `\` as
 * `/` before the core sees the path, so the core's "raw" reading (routers on the raw path) is
 * lost and "what is matched is not what is forwarded": the handler returns `cf.request`
 * unchanged, so the origin receives `/admin/../x`.
 *
 * The generated CloudFront Function gets the same `event.request.uri` but decides on it raw
 * (`answerPlainRequest`), and refuses it as ambiguous: the two AWS runtimes answer the same
 * preflight differently (CloudFront Function 403, Lambda@Edge 204 with the top level's
 * credentialed grant for an origin the /admin route does not trust).
 *
 * FAILS on the code at the time of writing.
 * Run: npx vitest run --project aws packages/aws/test/redteam-raw-uri.test.ts
 */
import vm from "node:vm";
import type { CloudFrontRequestEvent, CloudFrontResultResponse } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCloudFrontFunction } from "../src/cloudfront-function.ts";
import type { FunctionHandler, FunctionResponse } from "../src/cloudfront-function-handler.ts";
import { createEdgeHandler } from "../src/lambda-edge.ts";

const APP = "https://app.example.com";
const PARTNER = "https://partner.example.net";
const POLICY = {
  allowOrigins: [APP, PARTNER],
  allowCredentials: true,
  allowMethods: ["PUT", "DELETE"],
  routes: [{ path: "/admin/*", allowOrigins: [APP] }],
};

/** Spellings whose raw path is under /admin/ but whose WHATWG path is not. */
const SPELLINGS = ["/admin/../x", "/admin/%2e%2e/x", "/admin/./../x", "/admin/%2E%2E/users/../x"];

let cff: FunctionHandler;
beforeAll(async () => {
  const { code } = await buildCloudFrontFunction({ policy: POLICY });
  cff = vm.runInNewContext(`${code}\n;handler`, { URL: undefined, Request: undefined });
}, 60_000);

function edgeEvent(uri: string): CloudFrontRequestEvent {
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: "d111111abcdef8.cloudfront.net",
            distributionId: "EDFDVBD6EXAMPLE",
            eventType: "viewer-request",
            requestId: "r",
          },
          request: {
            clientIp: "203.0.113.178",
            method: "OPTIONS",
            uri,
            querystring: "",
            headers: {
              host: [{ key: "Host", value: "d111111abcdef8.cloudfront.net" }],
              origin: [{ key: "Origin", value: PARTNER }],
              "access-control-request-method": [
                { key: "Access-Control-Request-Method", value: "PUT" },
              ],
            },
          },
        },
      },
    ],
  };
}

describe("red team: Lambda@Edge vs the CloudFront Function on a raw uri", () => {
  const handler = createEdgeHandler(POLICY);

  it.each(SPELLINGS)(
    "%s: both refuse PARTNER, as a raw-path router serves /admin/",
    async (uri) => {
      const fn = cff({
        request: {
          method: "OPTIONS",
          uri,
          querystring: {},
          headers: {
            host: { value: "d111111abcdef8.cloudfront.net" },
            origin: { value: PARTNER },
            "access-control-request-method": { value: "PUT" },
          },
          cookies: {},
        },
      } as never) as FunctionResponse;
      expect(fn.statusCode).toBe(403); // the CloudFront Function: refused (ambiguous path)

      const edge = (await handler(edgeEvent(uri))) as CloudFrontResultResponse;
      // Observed: status "204", access-control-allow-origin PARTNER, credentials true.
      expect(edge.status).toBe("403");
      expect(edge.headers?.["access-control-allow-origin"]).toBeUndefined();
    },
  );
});
