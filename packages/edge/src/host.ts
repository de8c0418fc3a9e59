/**
 * Is a `Host` header (or the authority of a request URL) well formed? The layer derives the
 * request's URL, `X-Forwarded-Host` and the upstream request from it, and some runtimes (Deno)
 * build `request.url` by pasting the `Host` header in front of the path: a `\`, `/`, `?`, `#`
 * or `@` there would move the path, the query or the host. One pass over the characters.
 */

/** A DNS name is at most 253 characters; with brackets, an IPv6 literal and `:65535`, 262. */
export const MAX_HOST_LENGTH = 262;

const COLON = 58;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** RFC 3986 reg-name without %-escapes or sub-delims: ALPHA / DIGIT / "-" / "." / "_" / "~". */
function isNameChar(c: number): boolean {
  return (
    isDigit(c) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 45 ||
    c === 46 ||
    c === 95 ||
    c === 126
  );
}

/** `:port` from `from` to the end: 1 to 5 digits, at most 65535. */
function isPortSuffix(value: string, from: number): boolean {
  if (from === value.length) return true;
  if (value.charCodeAt(from) !== COLON) return false;
  const digits = value.length - from - 1;
  if (digits < 1 || digits > 5) return false;
  for (let i = from + 1; i < value.length; i++) if (!isDigit(value.charCodeAt(i))) return false;
  return Number(value.slice(from + 1)) <= 65535;
}

/**
 * `host [":" port]`: a name of letters, digits, `-`, `.`, `_`, `~`, or a bracketed IPv6
 * literal (hex digits, `:` and `.`), then an optional port. Nothing else: no userinfo, no
 * path, query or fragment characters, no spaces, no %-escapes.
 */
export function isValidHost(value: string): boolean {
  if (value.length === 0 || value.length > MAX_HOST_LENGTH) return false;
  if (value.charCodeAt(0) === OPEN_BRACKET) {
    let colons = 0;
    let i = 1;
    for (; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === CLOSE_BRACKET) break;
      if (c === COLON) colons++;
      else if (!isHexDigit(c) && c !== 46) return false;
    }
    if (i === value.length || colons < 2) return false;
    return isPortSuffix(value, i + 1);
  }
  let i = 0;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === COLON) break;
    if (!isNameChar(c)) return false;
  }
  return i > 0 && isPortSuffix(value, i);
}
