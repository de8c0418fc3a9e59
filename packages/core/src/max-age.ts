import { describeValue, type IssueSink } from "./issues.ts";
import { ENGINE_MAX_AGE_CAPS } from "./spec.ts";

/** The largest Access-Control-Max-Age edge-cors accepts: Firefox's cap, the highest of all engines. */
export const MAX_AGE_LIMIT = 86400;

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parse `maxAge` (seconds or `"30s" | "10m" | "2h" | "1d"`) into whole seconds, pushing
 * errors and engine-cap warnings. Returns `undefined` when absent or invalid.
 */
export function parseMaxAge(value: unknown, sink: IssueSink): number | undefined {
  const path = "maxAge";
  if (value === undefined) return undefined;
  let seconds: number;
  if (typeof value === "number") {
    seconds = value;
  } else if (typeof value === "string") {
    const match = /^(\d{1,9})([smhd]?)$/.exec(value);
    if (!match) {
      sink.errors.push({
        code: "max-age-invalid",
        path,
        message: `${describeValue(value)} is not a duration: use seconds (600) or a number with s, m, h or d ("10m", "2h")`,
      });
      return undefined;
    }
    seconds = Number(match[1]) * (UNIT[match[2] || "s"] ?? 1);
  } else {
    sink.errors.push({
      code: "max-age-invalid",
      path,
      message: `must be a number of seconds or a duration string such as "2h", got ${describeValue(value)}`,
    });
    return undefined;
  }
  if (!Number.isInteger(seconds) || seconds < 0) {
    sink.errors.push({
      code: "max-age-invalid",
      path,
      message: `must be a whole number of seconds ≥ 0, got ${describeValue(value)}`,
    });
    return undefined;
  }
  if (seconds > MAX_AGE_LIMIT) {
    sink.errors.push({
      code: "max-age-too-large",
      path,
      message: `${seconds} s is above 86400 s (24 h), the longest any browser caches a preflight (Firefox); Chromium caps at 7200 s`,
    });
    return undefined;
  }
  for (const [engine, cap] of Object.entries(ENGINE_MAX_AGE_CAPS)) {
    if (seconds > cap) {
      sink.warnings.push({
        code: "max-age-above-engine-cap",
        path,
        message: `${seconds} s is above ${engine}'s cap of ${cap} s; ${engine} caches the preflight for ${cap} s`,
      });
    }
  }
  return seconds;
}
