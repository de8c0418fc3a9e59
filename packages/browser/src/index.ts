/**
 * @edge-cors/browser — a pure model of what a Fetch-conformant browser sends for a
 * cross-origin `fetch()` and how it judges the responses. Web-standard only, no I/O.
 */
export { varyCoversOrigin } from "./bytes.ts";
export { type CorsCheckResult, checkCors } from "./check.ts";
export { PROBLEM_CODES, type ProblemCode, WARNING_CODES, type WarningCode } from "./codes.ts";
export { type CompareOptions, simulateRulesets, verdictKey } from "./compare.ts";
export {
  ENGINE_PROFILES,
  ENGINES,
  type Engine,
  type EngineProfile,
  engineProfile,
  FETCH_CACHE_MODES,
  type FetchCacheMode,
  isEngine,
  isFetchCacheMode,
  type PreflightCacheMode,
  type PreflightCacheUse,
  RULESETS,
  type Ruleset,
} from "./engines.ts";
export { type ExposureResult, exposedHeaderNames } from "./expose.ts";
export { type MaxAge, preflightCacheSeconds } from "./max-age.ts";
export {
  isSerializedOrigin,
  type PlannedPreflight,
  planRequest,
  type RequestPlan,
} from "./plan.ts";
export { type CheckOptions, checkPreflight, type PreflightCheckResult } from "./preflight.ts";
export {
  PreflightCache,
  type PreflightCacheQuery,
  type PreflightGrant,
} from "./preflight-cache.ts";
export {
  corsUnsafeRequestHeaderNames,
  type HeaderIssue,
  isForbiddenRequestHeaderEntry,
  type UnsafeHeaderAnalysis,
  type UnsafeNamesOptions,
  type UnsafeNamesResult,
} from "./request-headers.ts";
export {
  type ByteRange,
  isCorsSafelistedRequestHeader,
  isCorsUnsafeRequestHeaderByte,
  isForbiddenMethod,
  isSafelistedMethod,
  normalizeMethod,
  parseMimeEssence,
  parseSingleRange,
  safelistViolation,
} from "./safelist.ts";
export {
  type Respond,
  type SimulateOptions,
  type SimulationReport,
  type SimulationStep,
  simulate,
} from "./simulate.ts";
export type {
  BrowserRequest,
  CredentialsMode,
  Finding,
  HeaderInput,
  Problem,
  ResponseHeaderInput,
  ResponseLike,
  Stage,
  Verdict,
  Warning,
  WireRequest,
} from "./types.ts";
