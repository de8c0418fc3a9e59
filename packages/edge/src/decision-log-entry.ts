/**
 * `@edge-cors/edge/decision-log`: the decision log alone, without the proxy, for runtimes that
 * bundle only what they import (Lambda@Edge, the Lambda wrapper). Web-standard only.
 */
export {
  ANALYTICS_INDEX_MAX_BYTES,
  type AnalyticsDataset,
  decisionDataPoint,
  isAnalyticsDataset,
} from "./decision-analytics.ts";
export {
  DECISION_LOG_WINDOW_MS,
  DEFAULT_DECISION_LOG_RATE,
  DecisionLog,
  type DecisionLogLevel,
  type DecisionLogOptions,
  type DecisionObserver,
  levelFor,
  MAX_DECISION_LOG_RATE,
} from "./decision-log.ts";
export {
  clip,
  DECISION_EVENT,
  type DecisionLine,
  DROPPED_EVENT,
  type DroppedLine,
  decisionLine,
  decisionRecord,
  droppedLine,
  FIELD_LIMITS,
  isLoggedKind,
  type LoggedKind,
} from "./decision-log-line.ts";
export {
  type DecisionLogVars,
  declaredMode,
  observerForPolicy,
  readDecisionLog,
  readDecisionLogLevel,
  readDecisionLogRate,
} from "./decision-log-settings.ts";
