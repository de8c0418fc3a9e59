/**
 * Lambda@Edge: the handler for a compiled policy, for CloudFront's request and response triggers.
 *
 * - `viewer-request` / `origin-request`: a CORS preflight is answered with a generated
 *   response (status as a string, CloudFront headers, no body); any other request is returned
 *   unchanged, so CloudFront forwards it.
 * - `origin-response` / `viewer-response`: the CORS headers for the Origin of `cf.request`
 *   are put on `cf.response` (`Vary` merged); every other header stays as it was.
 *
 * This module does not load the Public Suffix List: the build (`@edge-cors/aws/build`) checks
 * the policy against it and inlines the verdicts, so the zip stays small.
 */
import type { Cors, RequestOptions } from "@edge-cors/core";
import type {
  CloudFrontRequest,
  CloudFrontRequestEvent,
  CloudFrontResponse,
  CloudFrontResponseEvent,
  CloudFrontResultResponse,
} from "aws-lambda";
import {
  applyToCloudFrontHeaders,
  fromCloudFrontHeaders,
  fromCloudFrontRequest,
  toCloudFrontResponse,
} from "./cloudfront.ts";
import { corsHeaderChanges } from "./web.ts";

/** The four Lambda@Edge event types. */
export type EdgeEvent = CloudFrontRequestEvent | CloudFrontResponseEvent;
/** A forwarded request (request triggers), a generated response, or the decorated response. */
export type EdgeResult = CloudFrontRequest | CloudFrontResultResponse | CloudFrontResponse;
/** Attach the same handler to a request trigger and a response trigger. */
export type EdgeHandler = (event: EdgeEvent) => Promise<EdgeResult>;

/** The Lambda@Edge handler for a compiled policy; it dispatches on `Records[0].cf.config.eventType`. */
export function edgeHandlerFor(cors: Cors): EdgeHandler {
  return async (event) => {
    const cf = event.Records[0]!.cf;
    switch (cf.config.eventType) {
      case "origin-response":
      case "viewer-response":
        return decorateResponse(
          cors,
          (cf as ResponseRecord).request,
          (cf as ResponseRecord).response,
        );
      default:
        return answerPreflight(cors, (cf as RequestRecord).request);
    }
  };
}

type RequestRecord = CloudFrontRequestEvent["Records"][number]["cf"];
type ResponseRecord = CloudFrontResponseEvent["Records"][number]["cf"];

/**
 * The request as CloudFront forwards it: the `uri` as the viewer sent it (the Web Request's URL
 * is normalised by the URL parser, which would hide `..`, `%2e` and `\` from route matching).
 */
function asForwarded(cfRequest: CloudFrontRequest): RequestOptions {
  const uri = cfRequest.uri ?? "/";
  return { path: uri.startsWith("/") ? uri : `/${uri}` };
}

/** viewer-request / origin-request: answer a preflight, forward everything else untouched. */
async function answerPreflight(cors: Cors, cfRequest: CloudFrontRequest): Promise<EdgeResult> {
  const request = fromCloudFrontRequest(cfRequest);
  if (request === null) return cfRequest;
  const answer = await cors.preflight(request, asForwarded(cfRequest));
  return answer === null ? cfRequest : toCloudFrontResponse(answer);
}

/** origin-response / viewer-response: put the CORS headers on the response CloudFront is about to use. */
async function decorateResponse(
  cors: Cors,
  cfRequest: ResponseRecord["request"],
  response: CloudFrontResponse,
): Promise<EdgeResult> {
  const request = fromCloudFrontRequest(cfRequest);
  if (request === null) return response;
  response.headers ??= {};
  const before = fromCloudFrontHeaders(response.headers);
  const changes = await corsHeaderChanges(
    cors,
    request,
    Number(response.status),
    before,
    asForwarded(cfRequest),
  );
  applyToCloudFrontHeaders(response.headers, changes);
  return response;
}
