/** Byte-level helpers over header values (JS strings holding one byte per char). No regex. */
import { isToken } from "@edge-cors/core/spec";

/** HTTP whitespace: TAB, LF, CR, SP. */
export function isHttpWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

export function isTabOrSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function trimBy(s: string, pred: (c: number) => boolean): string {
  let start = 0;
  let end = s.length;
  while (start < end && pred(s.charCodeAt(start))) start++;
  while (end > start && pred(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Fetch §normalize a header value: strip leading and trailing HTTP whitespace. */
export function trimHttpWhitespace(s: string): string {
  return trimBy(s, isHttpWhitespace);
}

export function trimTabOrSpace(s: string): string {
  return trimBy(s, isTabOrSpace);
}

/** ASCII-only case mapping (String#toUpperCase maps e.g. U+017F to "S"). */
export function asciiUpper(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x61 && c <= 0x7a ? String.fromCharCode(c - 0x20) : s[i];
  }
  return out;
}

export function asciiLower(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : s[i];
  }
  return out;
}

export function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** Compares two non-empty ASCII digit strings numerically (no size limit). */
export function compareDigits(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length - 1 && a[i] === "0") i++;
  while (j < b.length - 1 && b[j] === "0") j++;
  const la = a.length - i;
  const lb = b.length - j;
  if (la !== lb) return la < lb ? -1 : 1;
  const x = a.slice(i);
  const y = b.slice(j);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Why a (normalized) value is not a valid header value for `Headers`, or null. */
export function headerValueError(v: string): string | null {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c > 0xff) return `contains U+${c.toString(16).toUpperCase().padStart(4, "0")}, not a byte`;
    if (c === 0x00 || c === 0x0a || c === 0x0d) return "contains NUL, CR or LF";
  }
  return null;
}

/** Readable form of one byte for messages: `'@' (0x40)`. */
export function describeByte(c: number): string {
  const hex = `0x${c.toString(16).toUpperCase().padStart(2, "0")}`;
  return c > 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}' (${hex})` : hex;
}

/** Result of Fetch §extract header list values for a `#token` list header. */
export type ListParse =
  | { kind: "absent" }
  | { kind: "invalid"; bad: string }
  | { kind: "ok"; items: string[] };

/**
 * Parses an `1#token`-style list (ACAM, ACAH, ACEH) the way browsers do:
 * split on `,`, trim SP/HT, skip empty elements, every element must be a token.
 */
export function parseTokenList(value: string | null): ListParse {
  if (value === null) return { kind: "absent" };
  const items: string[] = [];
  for (const part of value.split(",")) {
    const item = trimTabOrSpace(part);
    if (item === "") continue;
    if (!isToken(item)) return { kind: "invalid", bad: item };
    items.push(item);
  }
  return { kind: "ok", items };
}

/** Fetch §get, decode, and split (used for X-HTTP-Method-Override and friends). */
export function decodeAndSplit(value: string): string[] {
  const values: string[] = [];
  let pos = 0;
  let temp = "";
  for (;;) {
    while (pos < value.length && value[pos] !== '"' && value[pos] !== ",") temp += value[pos++];
    if (pos < value.length && value[pos] === '"') {
      const start = pos++;
      while (pos < value.length) {
        const ch = value[pos++];
        if (ch === "\\") {
          if (pos < value.length) pos++;
        } else if (ch === '"') break;
      }
      temp += value.slice(start, pos);
      if (pos < value.length) continue;
    }
    values.push(trimTabOrSpace(temp));
    temp = "";
    if (pos >= value.length) return values;
    pos++; // the comma
  }
}

/** True when a Vary value contains `Origin` or `*`. */
export function varyCoversOrigin(vary: string | null): boolean {
  if (vary === null) return false;
  for (const part of vary.split(",")) {
    const v = asciiLower(trimTabOrSpace(part));
    if (v === "origin" || v === "*") return true;
  }
  return false;
}
