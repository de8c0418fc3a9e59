/** Fetch safelists: methods and CORS-safelisted request-headers (name, value). */
import {
  FORBIDDEN_METHODS,
  isToken,
  NORMALIZED_METHODS,
  SAFELISTABLE_REQUEST_HEADERS,
  SAFELISTED_CONTENT_TYPES,
  SAFELISTED_METHODS,
  SAFELISTED_REQUEST_HEADER_MAX_BYTES,
} from "@edge-cors/core/spec";
import {
  asciiLower,
  asciiUpper,
  compareDigits,
  describeByte,
  isDigit,
  isHttpWhitespace,
  isTabOrSpace,
  trimHttpWhitespace,
} from "./bytes.ts";

/** Fetch §normalize a method: upper-cases DELETE GET HEAD OPTIONS POST PUT only. */
export function normalizeMethod(method: string): string {
  const upper = asciiUpper(method);
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

/** Fetch §CORS-safelisted method (byte-exact: `get` is not, but normalizes to `GET`). */
export function isSafelistedMethod(method: string): boolean {
  return SAFELISTED_METHODS.has(method);
}

/** Fetch §forbidden method (case-insensitive): `fetch()` throws for these. */
export function isForbiddenMethod(method: string): boolean {
  return FORBIDDEN_METHODS.has(asciiUpper(method));
}

/** Fetch §CORS-unsafe request-header byte. */
const UNSAFE_BYTE = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) if (c !== 0x09) UNSAFE_BYTE[c] = 1;
for (const ch of '"():<>?@[\\]{}') UNSAFE_BYTE[ch.charCodeAt(0)] = 1;
UNSAFE_BYTE[0x7f] = 1;

export function isCorsUnsafeRequestHeaderByte(c: number): boolean {
  return c < 128 && UNSAFE_BYTE[c] === 1;
}

/** Bytes allowed in Accept-Language / Content-Language values. */
const LANGUAGE_BYTE = new Uint8Array(128);
for (const ch of "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz *,-.;=") {
  LANGUAGE_BYTE[ch.charCodeAt(0)] = 1;
}

function firstUnsafeByte(value: string): number {
  for (let i = 0; i < value.length; i++) {
    if (isCorsUnsafeRequestHeaderByte(value.charCodeAt(i))) return value.charCodeAt(i);
  }
  return -1;
}

/**
 * WHATWG MIME Sniffing §parse a MIME type, reduced to what the safelist needs:
 * the lower-cased essence, or null on failure (parameters never make parsing fail).
 */
export function parseMimeEssence(input: string): string | null {
  const s = trimHttpWhitespace(input);
  let pos = 0;
  while (pos < s.length && s[pos] !== "/") pos++;
  const type = s.slice(0, pos);
  if (!isToken(type) || pos >= s.length) return null;
  pos++;
  const subStart = pos;
  while (pos < s.length && s[pos] !== ";") pos++;
  let subEnd = pos;
  while (subEnd > subStart && isHttpWhitespace(s.charCodeAt(subEnd - 1))) subEnd--;
  const subtype = s.slice(subStart, subEnd);
  if (!isToken(subtype)) return null;
  return `${asciiLower(type)}/${asciiLower(subtype)}`;
}

/** A parsed `bytes=` range; bounds are digit strings (any size), null when omitted. */
export interface ByteRange {
  start: string | null;
  end: string | null;
}

/** Fetch §parse a single range header value. */
export function parseSingleRange(value: string, allowWhitespace: boolean): ByteRange | null {
  if (!value.startsWith("bytes")) return null;
  let pos = 5;
  const skip = () => {
    if (allowWhitespace) while (pos < value.length && isTabOrSpace(value.charCodeAt(pos))) pos++;
  };
  const digits = (): string | null => {
    const from = pos;
    while (pos < value.length && isDigit(value.charCodeAt(pos))) pos++;
    return pos > from ? value.slice(from, pos) : null;
  };
  skip();
  if (value[pos] !== "=") return null;
  pos++;
  skip();
  const start = digits();
  skip();
  if (value[pos] !== "-") return null;
  pos++;
  skip();
  const end = digits();
  if (pos < value.length) return null;
  if (start === null && end === null) return null;
  if (start !== null && end !== null && compareDigits(start, end) > 0) return null;
  return { start, end };
}

/**
 * Why (name, value) is not a CORS-safelisted request-header, or null when it is.
 * The value is normalized first (leading/trailing HTTP whitespace stripped), as `Headers` does.
 */
export function safelistViolation(name: string, rawValue: string): string | null {
  const lower = asciiLower(name);
  const value = trimHttpWhitespace(rawValue);
  if (!SAFELISTABLE_REQUEST_HEADERS.has(lower)) {
    return `${lower} is not a CORS-safelisted request header`;
  }
  if (value.length > SAFELISTED_REQUEST_HEADER_MAX_BYTES) {
    return `${lower} value is ${value.length} bytes, more than ${SAFELISTED_REQUEST_HEADER_MAX_BYTES}`;
  }
  switch (lower) {
    case "accept": {
      const c = firstUnsafeByte(value);
      return c < 0 ? null : `accept value contains the CORS-unsafe byte ${describeByte(c)}`;
    }
    case "accept-language":
    case "content-language": {
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 128 || LANGUAGE_BYTE[c] === 0) {
          return `${lower} value contains ${describeByte(c)}; only 0-9 A-Z a-z space * , - . ; = are safelisted`;
        }
      }
      return null;
    }
    case "content-type": {
      const c = firstUnsafeByte(value);
      if (c >= 0) return `content-type value contains the CORS-unsafe byte ${describeByte(c)}`;
      const essence = parseMimeEssence(value);
      if (essence === null) return `content-type value "${value}" is not a valid MIME type`;
      if (!SAFELISTED_CONTENT_TYPES.has(essence)) {
        return `content-type ${essence} is not application/x-www-form-urlencoded, multipart/form-data or text/plain`;
      }
      return null;
    }
    default: {
      // range
      const range = parseSingleRange(value, false);
      if (range === null) {
        return `range value "${value}" is not bytes=N- or bytes=N-M (N <= M, no whitespace)`;
      }
      if (range.start === null) return `range value "${value}" is a suffix range, never safelisted`;
      return null;
    }
  }
}

/** Fetch §CORS-safelisted request-header. */
export function isCorsSafelistedRequestHeader(name: string, value: string): boolean {
  return safelistViolation(name, value) === null;
}
