/**
 * The decision log for the Lambda wrapper: configured like the other edge layers, from the
 * function's environment variables `CORS_DECISION_LOG` and `CORS_DECISION_LOG_RATE` (or the
 * `withCors` options, which win). Lines go to stdout, which Lambda sends to CloudWatch Logs.
 */
import { CorsConfigError, type PolicyIssue } from "@edge-cors/core";
import {
  type DecisionLogLevel,
  type DecisionObserver,
  observerForPolicy,
  readDecisionLog,
} from "@edge-cors/edge/decision-log";

/** The decision log's settings for `withCors`. */
export interface DecisionLogOptions {
  /** `refused`, `all` or `off`. Default: `CORS_DECISION_LOG`, else by the policy's mode. */
  decisionLog?: DecisionLogLevel;
  /** Lines per second per instance. Default: `CORS_DECISION_LOG_RATE`, else 100. */
  decisionLogRate?: number;
}

/** The observer to compile `policy` with (undefined when the log is off); throws for bad settings. */
export function lambdaDecisionObserver(
  policy: unknown,
  options: DecisionLogOptions,
  env: Record<string, string | undefined> = globalThis.process?.env ?? {},
): DecisionObserver | undefined {
  const issues: PolicyIssue[] = [];
  const log = readDecisionLog(
    {
      CORS_DECISION_LOG: options.decisionLog ?? env.CORS_DECISION_LOG,
      CORS_DECISION_LOG_RATE: options.decisionLogRate ?? env.CORS_DECISION_LOG_RATE,
    },
    issues,
  );
  if (issues.length > 0) throw new CorsConfigError(issues);
  return observerForPolicy(log, policy);
}
