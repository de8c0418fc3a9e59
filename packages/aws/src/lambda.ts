/**
 * `withCors(handler, policy)` for Lambda behind API Gateway REST (payload 1.0), HTTP APIs
 * (payload 2.0) and Lambda function URLs (2.0).
 *
 * Preflights are answered without calling the handler; every other request runs the handler
 * and gets the CORS headers on its result. `multiValueHeaders`, `cookies`, `isBase64Encoded`,
 * `body` and `statusCode` are kept; a 2.0 result without `statusCode` (a string, a plain
 * object) is turned into the structured result API Gateway would have inferred, so the
 * headers have somewhere to go.
 *
 * Turn the platform's own CORS off (HTTP API `cors` configuration, function URL `Cors`):
 * when it is on, API Gateway / Lambda answer preflights themselves and drop these headers.
 */
import { type CorsPolicy, createCors } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import {
  fromV1Event,
  fromV2Event,
  isPayloadV1,
  isPayloadV2,
  isV1Result,
  structuredV2Result,
  toV1Result,
  toV2Result,
  v1ResultHeaders,
  v2ResultHeaders,
  withHeaderChanges,
} from "./api-gateway.ts";
import { type DecisionLogOptions, lambdaDecisionObserver } from "./decision-log.ts";
import { corsHeaderChanges } from "./web.ts";

export type { DecisionLogOptions } from "./decision-log.ts";

/** A raw event path as routes read it: "/" when absent, a leading "/" added. */
function rawPathOf(path: string | undefined | null): string {
  if (typeof path !== "string" || path === "") return "/";
  return path.startsWith("/") ? path : `/${path}`;
}

/** Events `withCors` understands: payload 1.0 (REST) and 2.0 (HTTP API, function URL). */
export type LambdaHttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

/** What the wrapped handler returns for an event type. */
export type CorsResultFor<E> = E extends APIGatewayProxyEvent
  ? APIGatewayProxyResult
  : APIGatewayProxyStructuredResultV2;

/** An async (or synchronous) Lambda handler; callback-style handlers are not supported. */
export type LambdaHttpHandler<E, R> = (event: E, context: Context) => R | Promise<R>;

/**
 * Wrap `handler` with the CORS policy (compiled once, here: an invalid policy throws
 * `CorsConfigError` at cold start, listing every problem). The decision log (one JSON line per
 * refused decision on stdout, i.e. CloudWatch) follows `CORS_DECISION_LOG` /
 * `CORS_DECISION_LOG_RATE`, or `options`; by default it is on in `mode: "report"` only.
 *
 * @example
 * ```ts
 * import { withCors } from "@edge-cors/aws/lambda";
 * export const handler = withCors(async (event: APIGatewayProxyEventV2) => ({ ok: true }), policy);
 * ```
 */
export function withCors<E extends LambdaHttpEvent, R>(
  handler: LambdaHttpHandler<E, R>,
  policy: CorsPolicy,
  options: DecisionLogOptions = {},
): (event: E, context: Context) => Promise<CorsResultFor<E>> {
  const observe = lambdaDecisionObserver(policy, options);
  const cors = createCors(policy, { publicSuffixes, observe });
  return async (event, context) => {
    if (isPayloadV1(event)) {
      const request = fromV1Event(event);
      // Routes are matched on the path as the function received it, not the URL's normalised one.
      const forwarded = { path: rawPathOf(event.path) };
      const answer = request === null ? null : await cors.preflight(request, forwarded);
      if (answer !== null) return (await toV1Result(answer)) as CorsResultFor<E>;
      const result: unknown = await handler(event, context);
      // Not a 1.0 result (API Gateway answers 502 for it) or no Request: left as it is.
      if (request === null || !isV1Result(result)) return result as CorsResultFor<E>;
      const changes = await corsHeaderChanges(
        cors,
        request,
        result.statusCode,
        v1ResultHeaders(result),
        forwarded,
      );
      return withHeaderChanges(result, changes) as CorsResultFor<E>;
    }
    if (isPayloadV2(event)) {
      const request = fromV2Event(event);
      const forwarded = { path: rawPathOf(event.rawPath) };
      const answer = request === null ? null : await cors.preflight(request, forwarded);
      if (answer !== null) return (await toV2Result(answer)) as CorsResultFor<E>;
      const result: unknown = await handler(event, context);
      if (request === null) return result as CorsResultFor<E>;
      const structured = structuredV2Result(result);
      const status = structured.statusCode ?? 200;
      const changes = await corsHeaderChanges(
        cors,
        request,
        status,
        v2ResultHeaders(structured),
        forwarded,
      );
      return withHeaderChanges(structured, changes) as CorsResultFor<E>;
    }
    // Not an HTTP event (a direct invoke, a queue message): nothing to translate.
    return (await handler(event, context)) as CorsResultFor<E>;
  };
}
