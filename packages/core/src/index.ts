export { type Cors, createCors, type Next } from "./cors.ts";
export { CorsConfigError, type PolicyIssue } from "./errors.ts";
export { parsePolicy } from "./load.ts";
export { MAX_AGE_LIMIT } from "./max-age.ts";
export { ACRH_MAX_EMPTY, ACRH_MAX_LENGTH, ACRH_MAX_OWS } from "./names.ts";
export { MAX_ORIGIN_LENGTH } from "./origins.ts";
export { validatePolicy } from "./plan.ts";
export type {
  CorsOptions,
  CorsPolicy,
  Decision,
  NameList,
  OriginGrant,
  OriginPredicate,
  RequestKind,
  RoutePolicy,
} from "./policy.ts";
export { ENGINE_MAX_AGE_CAPS, type Engine, effectiveCacheSeconds } from "./spec.ts";
export { mergeVary } from "./vary.ts";
