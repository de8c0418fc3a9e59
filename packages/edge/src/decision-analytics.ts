/**
 * Decision metrics for a Workers Analytics Engine dataset (binding `CORS_ANALYTICS`): one data
 * point per preflight, actual and WebSocket decision, whatever the log level and the rate bound,
 * so a dashboard can count them. The columns (docs/cloudflare.md has the SQL):
 *
 * | column  | holds                                   |
 * |---------|-----------------------------------------|
 * | index1  | the origin, ASCII, at most 96 bytes (the sampling key) |
 * | blob1   | the origin (clipped like the log line)  |
 * | blob2   | kind: preflight, actual, websocket      |
 * | blob3   | `allowed` or `refused`                  |
 * | blob4   | the refusal code, or `""`               |
 * | blob5   | the matched route pattern, or `""` for the top level |
 * | blob6   | mode: enforce or report                 |
 * | double1 | 1 (sum it, weighted by `_sample_interval`) |
 * | double2 | 1 when allowed, 0 when refused          |
 */
import type { Decision } from "@edge-cors/core";
import { clip, FIELD_LIMITS } from "./decision-log-line.ts";

/** The part of an Analytics Engine dataset binding the metrics use. */
export interface AnalyticsDataset {
  writeDataPoint(point: { indexes?: string[]; blobs?: string[]; doubles?: number[] }): void;
}

/** Is `value` an Analytics Engine dataset binding (anything with `writeDataPoint`)? */
export function isAnalyticsDataset(value: unknown): value is AnalyticsDataset {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AnalyticsDataset).writeDataPoint === "function"
  );
}

/** Analytics Engine's limit on an index, in bytes. */
export const ANALYTICS_INDEX_MAX_BYTES = 96;

/** The origin as a sampling key: printable ASCII only (so bytes = characters), 96 at most. */
function indexOf(origin: string | null): string {
  if (origin === null) return "";
  let out = "";
  for (let i = 0; i < origin.length && i < ANALYTICS_INDEX_MAX_BYTES; i++) {
    const c = origin.charCodeAt(i);
    out += c >= 0x20 && c <= 0x7e ? origin[i] : "?";
  }
  return out;
}

/** The data point for one decision (see the column table above). */
export function decisionDataPoint(decision: Decision): {
  indexes: string[];
  blobs: string[];
  doubles: number[];
} {
  return {
    indexes: [indexOf(decision.origin)],
    blobs: [
      decision.origin === null ? "" : clip(decision.origin, FIELD_LIMITS.origin),
      decision.kind,
      decision.allowed ? "allowed" : "refused",
      decision.refusal?.code ?? "",
      decision.route === null ? "" : clip(decision.route, FIELD_LIMITS.route),
      decision.mode,
    ],
    doubles: [1, decision.allowed ? 1 : 0],
  };
}
