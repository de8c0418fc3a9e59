/** How long each engine caches a preflight result, from the raw Access-Control-Max-Age. */
import {
  DEFAULT_PREFLIGHT_CACHE_SECONDS,
  ENGINE_MAX_AGE_CAPS,
  type Engine,
  effectiveCacheSeconds,
} from "@edge-cors/core/spec";
import { allDigits, compareDigits } from "./bytes.ts";

export interface MaxAge {
  /** ACAM as `Headers.get` returns it, or null when absent. */
  raw: string | null;
  /** True when `raw` is delta-seconds (1*DIGIT), the only valid form. */
  valid: boolean;
  /** Seconds each engine keeps the result; 0 means not cached. */
  seconds: Record<Engine, number>;
}

const INT64_MAX = "9223372036854775807";
const INT64_MIN_ABS = "9223372036854775808";

/**
 * Chromium preflight_result.cc: base::StringToInt64 (optional sign, digits only, in range);
 * unparsable → 5 s, negative → 0 (not cached), at least 7200 → 7200.
 */
function chromiumSeconds(raw: string | null): number {
  if (raw === null) return DEFAULT_PREFLIGHT_CACHE_SECONDS;
  const negative = raw.startsWith("-");
  const digits = negative || raw.startsWith("+") ? raw.slice(1) : raw;
  if (!allDigits(digits)) return DEFAULT_PREFLIGHT_CACHE_SECONDS;
  if (compareDigits(digits, negative ? INT64_MIN_ABS : INT64_MAX) > 0) {
    return DEFAULT_PREFLIGHT_CACHE_SECONDS;
  }
  if (negative) return 0;
  const cap = ENGINE_MAX_AGE_CAPS.chromium;
  return compareDigits(digits, String(cap)) >= 0 ? cap : Number(digits);
}

/** Firefox nsCORSListenerProxy.cpp: empty → 5 s; any non-digit → not cached; else min(n, 86400). */
function firefoxSeconds(raw: string | null): number {
  if (raw === null || raw === "") return DEFAULT_PREFLIGHT_CACHE_SECONDS;
  if (!allDigits(raw)) return 0;
  const cap = ENGINE_MAX_AGE_CAPS.firefox;
  return compareDigits(raw, String(cap)) >= 0 ? cap : Number(raw);
}

/**
 * Per-engine preflight cache time. Valid values follow `effectiveCacheSeconds` (spec: capped by
 * each engine's limit); invalid ones follow each engine's source (WebKit: the spec's 5 s fallback).
 */
export function preflightCacheSeconds(raw: string | null): MaxAge {
  const valid = raw !== null && allDigits(raw);
  const base = effectiveCacheSeconds(valid ? Number(raw) : undefined);
  return {
    raw,
    valid,
    seconds: { chromium: chromiumSeconds(raw), firefox: firefoxSeconds(raw), webkit: base.webkit },
  };
}
