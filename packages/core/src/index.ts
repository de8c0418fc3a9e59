export type { CompileOptions } from "./compile.ts";
export { validatePolicy } from "./compile.ts";
export { type Cors, corsFromCompiled, type Next, type RequestOptions } from "./cors.ts";
export { isWebSocketHandshake } from "./decide.ts";
export {
  CorsConfigError,
  formatIssues,
  ISSUE_CODES,
  type IssueCode,
  type OptionLabels,
  type OptionName,
  type PolicyIssue,
} from "./issues.ts";
export {
  createCors,
  type LoadOptions,
  type LoadResult,
  loadCors,
  MAX_POLICY_TEXT_BYTES,
  PolicyCache,
  type PolicyCacheOptions,
} from "./load.ts";
export { MAX_AGE_LIMIT } from "./max-age.ts";
export { ACRH_MAX_EMPTY, ACRH_MAX_LENGTH, ACRH_MAX_OWS } from "./names.ts";
export { MAX_ORIGIN_LENGTH, type PublicSuffixLookup } from "./origins.ts";
export {
  canonicalPath,
  forwardingProblem,
  MAX_PATH_LENGTH,
  MAX_ROUTED_PATH_LENGTH,
  pathInterpretations,
  rawPathOf,
} from "./paths.ts";
export type {
  CorsOptions,
  CorsPolicy,
  Decision,
  NameList,
  OriginGrant,
  OriginPredicate,
  RefusalCode,
  RequestKind,
  RoutePolicy,
} from "./policy.ts";
export { ENGINE_MAX_AGE_CAPS, type Engine, effectiveCacheSeconds } from "./spec.ts";
export { mergeVary } from "./vary.ts";
