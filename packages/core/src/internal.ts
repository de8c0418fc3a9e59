/**
 * `@edge-cors/core/internal`: the compiled policy and the request-free decision, for code
 * generators that run the core where there is no `Request`/`Response`/`Headers` (CloudFront
 * Functions) and for the edge layers' tooling. Not a stable API for applications: use
 * `createCors` / `loadCors`.
 */
export {
  type CompiledNameList,
  type CompiledPolicy,
  type CompileOptions,
  compilePolicy,
  type RouteRules,
} from "./compile.ts";
export {
  type CorsDecision,
  classify,
  decide,
  type HeaderSource,
  originAllowed,
  originListed,
  type RequestFacts,
  rulesForPath,
  rulesForUrl,
} from "./decide.ts";
export { decisionHeaderValue, describeDecision } from "./explain.ts";
export { MAX_ECHOED_METHOD_LENGTH } from "./names.ts";
export {
  answerPlainRequest,
  answerWithRules,
  type PlainAnswer,
  type PlainRequest,
} from "./preflight-answer.ts";
export { answerHeaders, answerStatus, decisionHeaders, fixedPreflightHeaders } from "./render.ts";
