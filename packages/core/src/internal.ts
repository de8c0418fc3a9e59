/**
 * `@edge-cors/core/internal`: the compiled policy and a Request-free preflight decision, for
 * code generators that run the core where there is no `Request`/`Response`/`Headers`
 * (CloudFront Functions). Not a stable API for applications: use `createCors`.
 */
export { type CompiledPolicy, compilePolicy, type Plan } from "./plan.ts";
export {
  answerPreflight,
  type PreflightAnswer,
  type PreflightFacts,
  type PreflightPlans,
  planForPath,
} from "./preflight-answer.ts";
