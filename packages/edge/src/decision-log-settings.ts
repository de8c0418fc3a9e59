/**
 * The decision log's variables, read like every other edge variable (problems are collected,
 * never thrown here): `CORS_DECISION_LOG` (`refused` | `all` | `off`), `CORS_DECISION_LOG_RATE`
 * (lines per second per isolate) and, on Cloudflare, the `CORS_ANALYTICS` binding.
 */
import { MAX_POLICY_TEXT_BYTES, type PolicyIssue } from "@edge-cors/core";
import { type AnalyticsDataset, isAnalyticsDataset } from "./decision-analytics.ts";
import {
  DEFAULT_DECISION_LOG_RATE,
  DecisionLog,
  type DecisionLogLevel,
  type DecisionObserver,
  MAX_DECISION_LOG_RATE,
} from "./decision-log.ts";
import { isUnset, numberOf } from "./var-values.ts";

/** The variables the decision log reads (part of `EdgeVars`). */
export interface DecisionLogVars {
  /** `refused`, `all` or `off`; unset: `refused` in report mode, `off` in enforce mode. */
  CORS_DECISION_LOG?: unknown;
  /** Lines per second per isolate, 1 to 100000. Default 100. */
  CORS_DECISION_LOG_RATE?: unknown;
  /** A Workers Analytics Engine dataset binding: every decision becomes a data point. */
  CORS_ANALYTICS?: unknown;
}

const LEVELS: readonly DecisionLogLevel[] = ["refused", "all", "off"];

/** `CORS_DECISION_LOG`, or `null` (unset: the policy's mode decides). */
export function readDecisionLogLevel(
  value: unknown,
  issues: PolicyIssue[],
): DecisionLogLevel | null {
  if (isUnset(value)) return null;
  const v = typeof value === "string" ? value.trim().toLowerCase() : value;
  if (LEVELS.includes(v as DecisionLogLevel)) return v as DecisionLogLevel;
  issues.push({
    code: "decision-log-invalid",
    path: "CORS_DECISION_LOG",
    message: `must be "refused" (log refused decisions), "all" or "off", got ${JSON.stringify(value)}`,
  });
  return null;
}

/** `CORS_DECISION_LOG_RATE`, or the default. */
export function readDecisionLogRate(value: unknown, issues: PolicyIssue[]): number {
  if (isUnset(value)) return DEFAULT_DECISION_LOG_RATE;
  const n = numberOf(value);
  if (Number.isInteger(n) && n >= 1 && n <= MAX_DECISION_LOG_RATE) return n;
  issues.push({
    code: "decision-log-rate-invalid",
    path: "CORS_DECISION_LOG_RATE",
    message: `must be a whole number of lines per second from 1 to ${MAX_DECISION_LOG_RATE}, got ${typeof value === "number" ? String(value) : JSON.stringify(value)}`,
  });
  return DEFAULT_DECISION_LOG_RATE;
}

function readAnalytics(value: unknown, issues: PolicyIssue[]): AnalyticsDataset | null {
  if (value === undefined || value === null) return null;
  if (isAnalyticsDataset(value)) return value;
  issues.push({
    code: "analytics-binding-invalid",
    path: "CORS_ANALYTICS",
    message:
      'must be a Workers Analytics Engine binding ([[analytics_engine_datasets]] binding = "CORS_ANALYTICS"), not a variable',
  });
  return null;
}

/** The isolate's decision log, configured from the variables (problems go to `issues`). */
export function readDecisionLog(vars: DecisionLogVars, issues: PolicyIssue[]): DecisionLog {
  return new DecisionLog({
    level: readDecisionLogLevel(vars.CORS_DECISION_LOG, issues),
    rate: readDecisionLogRate(vars.CORS_DECISION_LOG_RATE, issues),
    analytics: readAnalytics(vars.CORS_ANALYTICS, issues),
  });
}

/**
 * The `mode` a policy declares, read before it is compiled (the log's default level depends on
 * it, and the observer is fixed at compile time). Anything but `"report"` is `enforce`: an
 * invalid mode or unreadable text is the loader's to report.
 */
export function declaredMode(input: unknown): "enforce" | "report" {
  try {
    const value =
      typeof input === "string" && input.length <= MAX_POLICY_TEXT_BYTES
        ? JSON.parse(input)
        : input;
    return typeof value === "object" && value !== null && value.mode === "report"
      ? "report"
      : "enforce";
  } catch {
    return "enforce";
  }
}

/** The observer to compile `input` with: `undefined` when the log does nothing for it. */
export function observerForPolicy(
  log: DecisionLog | null | undefined,
  input: unknown,
): DecisionObserver | undefined {
  if (log === null || log === undefined) return undefined;
  // An explicit level does not depend on the mode: no need to read the policy twice.
  return log.observerFor(log.level === null ? declaredMode(input) : "enforce");
}
