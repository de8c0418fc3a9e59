/**
 * Lambda@Edge: one handler for CloudFront's request and response triggers.
 *
 * - `viewer-request` / `origin-request`: a CORS preflight is answered with a generated
 *   response (status as a string, CloudFront headers, no body); any other request is returned
 *   unchanged, so CloudFront forwards it.
 * - `origin-response` / `viewer-response`: the CORS headers for the Origin of `cf.request`
 *   are put on `cf.response` (`Vary` merged); every other header stays as it was.
 *
 * Lambda@Edge has no environment variables: bundle the policy with the function
 * (`workers/lambda-edge` builds a zip with the policy inlined).
 */
import { type CorsPolicy, createCors, type PublicSuffixLookup } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import { type DecisionLogOptions, lambdaDecisionObserver } from "./decision-log.ts";
import { type EdgeHandler, edgeHandlerFor } from "./lambda-edge-handler.ts";

export {
  type EdgeEvent,
  type EdgeHandler,
  type EdgeResult,
  edgeHandlerFor,
} from "./lambda-edge-handler.ts";

/**
 * Compile `policy` once (with the Public Suffix List; throws `CorsConfigError` listing every
 * problem) and return the Lambda@Edge handler. It dispatches on
 * `Records[0].cf.config.eventType`. `decisionLog` / `decisionLogRate` set the decision log
 * (Lambda@Edge has no environment variables; default: on in `mode: "report"` only).
 *
 * @example
 * ```ts
 * import { createEdgeHandler } from "@edge-cors/aws/lambda-edge";
 * import policy from "./cors.json" with { type: "json" };
 * export const handler = createEdgeHandler(policy);
 * ```
 */
export function createEdgeHandler(
  policy: CorsPolicy,
  options: { publicSuffixes?: PublicSuffixLookup } & DecisionLogOptions = {},
): EdgeHandler {
  const observe = lambdaDecisionObserver(policy, options, {});
  return edgeHandlerFor(
    createCors(policy, { publicSuffixes: options.publicSuffixes ?? publicSuffixes, observe }),
  );
}
