/** The request header list a browser builds from script input, and its CORS-unsafe names. */
import {
  isForbiddenRequestHeader,
  isToken,
  METHOD_OVERRIDE_HEADERS,
  SAFELISTED_REQUEST_HEADERS_TOTAL_MAX_BYTES,
} from "@edge-cors/core/spec";
import { asciiLower, decodeAndSplit, headerValueError, trimHttpWhitespace } from "./bytes.ts";
import { isForbiddenMethod, safelistViolation } from "./safelist.ts";
import type { HeaderInput } from "./types.ts";

export interface HeaderIssue {
  name: string;
  reason: string;
}

/** The header list after `new Headers(init)` with the "request" guard. */
export interface RequestHeaderList {
  /** Lower-case name, normalized value, in append order (duplicates kept). */
  entries: Array<[string, string]>;
  /** Forbidden request-headers the browser silently drops (lower-case, sorted, unique). */
  ignoredForbiddenHeaders: string[];
  /** Names or values that make `fetch()` throw a TypeError. */
  invalidHeaders: HeaderIssue[];
}

function isHeadersObject(input: unknown): input is Headers {
  return (
    typeof input === "object" &&
    input !== null &&
    !Array.isArray(input) &&
    typeof (input as Headers).forEach === "function" &&
    typeof (input as Headers).get === "function"
  );
}

/** Flattens any header input into [name, value] pairs, as given. */
export function headerPairs(input: HeaderInput | undefined): Array<[string, string]> {
  if (input === undefined) return [];
  if (Array.isArray(input)) return input.map(([n, v]) => [String(n), String(v)]);
  if (isHeadersObject(input)) {
    const out: Array<[string, string]> = [];
    input.forEach((v, k) => {
      out.push([k, v]);
    });
    return out;
  }
  return Object.entries(input);
}

/** Fetch §forbidden request-header, including X-HTTP-Method(-Override) carrying a forbidden method. */
export function isForbiddenRequestHeaderEntry(lowerName: string, value: string): boolean {
  if (isForbiddenRequestHeader(lowerName)) return true;
  return METHOD_OVERRIDE_HEADERS.has(lowerName) && decodeAndSplit(value).some(isForbiddenMethod);
}

/** Mirrors `Headers` fill with the "request" guard: normalize, validate, drop forbidden. */
export function buildRequestHeaderList(input: HeaderInput | undefined): RequestHeaderList {
  const entries: Array<[string, string]> = [];
  const ignored = new Set<string>();
  const invalidHeaders: HeaderIssue[] = [];
  for (const [name, raw] of headerPairs(input)) {
    const value = trimHttpWhitespace(raw);
    if (!isToken(name)) {
      invalidHeaders.push({ name, reason: `"${name}" is not a valid header name` });
      continue;
    }
    const lower = asciiLower(name);
    const bad = headerValueError(value);
    if (bad !== null) {
      invalidHeaders.push({ name: lower, reason: `${lower} value ${bad}` });
      continue;
    }
    if (isForbiddenRequestHeaderEntry(lower, value)) {
      ignored.add(lower);
      continue;
    }
    entries.push([lower, value]);
  }
  return { entries, ignoredForbiddenHeaders: [...ignored].sort(), invalidHeaders };
}

/** Joins duplicate names with ", " (first-occurrence order), as engines do before sending. */
export function combineEntries(entries: Array<[string, string]>): Array<[string, string]> {
  const map = new Map<string, string>();
  for (const [name, value] of entries) {
    const prev = map.get(name);
    map.set(name, prev === undefined ? value : `${prev}, ${value}`);
  }
  return [...map];
}

export interface UnsafeNamesResult {
  /** CORS-unsafe request-header names: lower-case, unique, sorted (the ACRH content). */
  names: string[];
  /** Why each unsafe name is unsafe. */
  reasons: Record<string, string>;
  /** Sum of the safelisted values' lengths. */
  safelistedValueBytes: number;
  /** True when that sum exceeded 1024 and every safelisted name became unsafe. */
  overBudget: boolean;
}

/** Fetch §CORS-unsafe request-header names over an already-built header list. */
export function unsafeNamesOf(list: Array<[string, string]>): UnsafeNamesResult {
  const unsafe = new Set<string>();
  const reasons: Record<string, string> = {};
  const potentially: string[] = [];
  let size = 0;
  for (const [name, value] of list) {
    const why = safelistViolation(name, value);
    if (why === null) {
      potentially.push(name);
      size += value.length;
    } else {
      unsafe.add(name);
      reasons[name] ??= why;
    }
  }
  const overBudget = size > SAFELISTED_REQUEST_HEADERS_TOTAL_MAX_BYTES;
  if (overBudget) {
    for (const name of potentially) {
      unsafe.add(name);
      reasons[name] ??=
        `safelisted header values total ${size} bytes, more than ${SAFELISTED_REQUEST_HEADERS_TOTAL_MAX_BYTES}`;
    }
  }
  return { names: [...unsafe].sort(), reasons, safelistedValueBytes: size, overBudget };
}

export interface UnsafeHeaderAnalysis extends UnsafeNamesResult {
  /** The header list that was evaluated (lower-case names, normalized values). */
  headers: Array<[string, string]>;
  ignoredForbiddenHeaders: string[];
  invalidHeaders: HeaderIssue[];
}

export interface UnsafeNamesOptions {
  /**
   * "combine" (default) joins repeated names with ", " first, as Chromium and Firefox do
   * before the check; "separate" follows the spec text and checks each entry, which is the
   * only way the 1024-byte total can be exceeded.
   */
  duplicates?: "combine" | "separate";
}

/**
 * Fetch §CORS-unsafe request-header names for headers a script passes to `fetch()`.
 * Forbidden request-headers are dropped (reported in `ignoredForbiddenHeaders`) and invalid
 * ones reported in `invalidHeaders`, because the browser never sends either.
 */
export function corsUnsafeRequestHeaderNames(
  headers: HeaderInput | undefined,
  options: UnsafeNamesOptions = {},
): UnsafeHeaderAnalysis {
  const built = buildRequestHeaderList(headers);
  const list = options.duplicates === "separate" ? built.entries : combineEntries(built.entries);
  return {
    ...unsafeNamesOf(list),
    headers: list,
    ignoredForbiddenHeaders: built.ignoredForbiddenHeaders,
    invalidHeaders: built.invalidHeaders,
  };
}
