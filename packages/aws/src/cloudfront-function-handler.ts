/**
 * The CloudFront Functions (`cloudfront-js-2.0`, viewer-request) preflight answerer that
 * `buildCloudFrontFunction` bundles with a compiled policy. It only translates: the event's
 * method, `uri` and headers go to the core's `answerPreflight`, and its answer comes back as a
 * generated response. A request that is not a CORS preflight is returned unchanged.
 *
 * This module is bundled into the function: no `Request`/`Response`/`Headers` here.
 */
import {
  answerPlainRequest,
  answerWithRules,
  type CompiledPolicy,
  type PlainAnswer,
  type PlainRequest,
} from "@edge-cors/core/internal";
import type { CloudFrontFunctionsEvent, CloudFrontFunctionsHeaders } from "aws-lambda";

/** `event.request` of a viewer-request event: header names are lower-case, values `{ value, multiValue? }`. */
export type FunctionRequest = CloudFrontFunctionsEvent["request"];

/** A viewer-request event (`response` is only present at viewer-response). */
export type FunctionEvent = Omit<CloudFrontFunctionsEvent, "response">;

/**
 * A generated response: the status is a number, headers are `{ name: { value } }`. No
 * `statusDescription` (optional in CloudFront Functions: CloudFront sends the standard reason
 * phrase), to stay within the 10 KB code limit.
 */
export interface FunctionResponse {
  statusCode: number;
  headers: Record<string, { value: string }>;
}

export type FunctionHandler = (
  event: Pick<FunctionEvent, "request">,
) => FunctionRequest | FunctionResponse;

/** A header's value as `Headers.get` gives it: several lines joined with `, `; `null` if absent. */
function headerValue(headers: CloudFrontFunctionsHeaders, name: string): string | null {
  const h = headers[name];
  if (h === undefined) return null;
  const lines = h.multiValue;
  if (lines === undefined || lines.length < 2) return h.value;
  let value = lines[0]!.value;
  for (let i = 1; i < lines.length; i++) value += `, ${lines[i]!.value}`;
  return value;
}

/** The parts of a compiled policy the function inlines. */
export type FunctionPlans = Pick<
  CompiledPolicy,
  "base" | "patterns" | "routes" | "ambiguous" | "pathCase" | "foldPatterns"
>;

/** The handler for a compiled policy with routes (no origin predicate). */
export function createFunctionHandler(plans: FunctionPlans): FunctionHandler {
  return handlerFor((request) => answerPlainRequest(plans, request));
}

/** The handler for a compiled policy without routes: its top level answers everything. */
export function createTopLevelHandler(plans: Pick<CompiledPolicy, "base">): FunctionHandler {
  return handlerFor((request) => answerWithRules(plans.base, request));
}

function handlerFor(answerFor: (request: PlainRequest) => PlainAnswer | null): FunctionHandler {
  return (event) => {
    const request = event.request;
    const h = request.headers || {};
    const answer = answerFor({
      method: request.method,
      path: request.uri,
      headers: { get: (name) => headerValue(h, name) },
    });
    if (answer === null) return request;
    const headers: Record<string, { value: string }> = {};
    for (const name in answer.headers) headers[name] = { value: answer.headers[name]! };
    return { statusCode: answer.status, headers };
  };
}
