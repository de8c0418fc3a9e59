/** How long each engine, and the Fetch standard, cache a preflight result, from the raw Access-Control-Max-Age. */
import {
  DEFAULT_PREFLIGHT_CACHE_SECONDS,
  ENGINE_MAX_AGE_CAPS,
  type Engine,
} from "@edge-cors/core/spec";
import { allDigits, compareDigits } from "./bytes.ts";

export interface MaxAge {
  /** ACMA as `Headers.get` returns it, or null when absent. */
  raw: string | null;
  /** True when `raw` is delta-seconds (1*DIGIT), the only valid form. */
  valid: boolean;
  /** Seconds each engine keeps the result; 0 means not cached. */
  seconds: Record<Engine, number>;
  /** The Fetch standard's answer: `raw` when valid (the cap is left to the user agent), else 5. */
  standard: number;
}

const INT64_MAX = "9223372036854775807";
const INT64_MIN_ABS = "9223372036854775808";

/**
 * Chromium (preflight_result.cc, base::StringToInt64) and WebKit (CrossOriginPreflightResultCache.cpp,
 * parseInteger<int64_t>): an optional sign and digits within int64, else 5 s; a negative value is
 * not cached; capped at the engine's limit. Measured by the browser suite (`-1`, `+5`, `abc`).
 */
function int64Seconds(raw: string | null, cap: number): number {
  if (raw === null) return DEFAULT_PREFLIGHT_CACHE_SECONDS;
  const negative = raw.startsWith("-");
  const digits = negative || raw.startsWith("+") ? raw.slice(1) : raw;
  if (!allDigits(digits)) return DEFAULT_PREFLIGHT_CACHE_SECONDS;
  if (compareDigits(digits, negative ? INT64_MIN_ABS : INT64_MAX) > 0) {
    return DEFAULT_PREFLIGHT_CACHE_SECONDS;
  }
  if (negative) return 0;
  return compareDigits(digits, String(cap)) >= 0 ? cap : Number(digits);
}

export const chromiumMaxAgeSeconds = (raw: string | null): number =>
  int64Seconds(raw, ENGINE_MAX_AGE_CAPS.chromium);

export const webkitMaxAgeSeconds = (raw: string | null): number =>
  int64Seconds(raw, ENGINE_MAX_AGE_CAPS.webkit);

/** Firefox nsCORSListenerProxy.cpp: empty → 5 s; any non-digit → not cached; else min(n, 86400). */
export function firefoxMaxAgeSeconds(raw: string | null): number {
  if (raw === null || raw === "") return DEFAULT_PREFLIGHT_CACHE_SECONDS;
  if (!allDigits(raw)) return 0;
  const cap = ENGINE_MAX_AGE_CAPS.firefox;
  return compareDigits(raw, String(cap)) >= 0 ? cap : Number(raw);
}

/**
 * Fetch §CORS-preflight fetch: max-age is the extracted delta-seconds, 5 when missing or not
 * 1*DIGIT, then clamped to "an imposed limit" the standard leaves to the user agent (none here).
 */
export function standardMaxAgeSeconds(raw: string | null): number {
  return raw !== null && allDigits(raw) ? Number(raw) : DEFAULT_PREFLIGHT_CACHE_SECONDS;
}

/** Per-engine preflight cache time, each engine as its source parses the header. */
export function preflightCacheSeconds(raw: string | null): MaxAge {
  return {
    raw,
    valid: raw !== null && allDigits(raw),
    seconds: {
      chromium: chromiumMaxAgeSeconds(raw),
      firefox: firefoxMaxAgeSeconds(raw),
      webkit: webkitMaxAgeSeconds(raw),
    },
    standard: standardMaxAgeSeconds(raw),
  };
}
