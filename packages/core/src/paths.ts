/**
 * Request paths as the servers behind edge-cors may read them.
 *
 * A route is only as safe as the path it is matched on: the same bytes reach an app or an
 * upstream that percent-decodes, removes dot segments, collapses slashes, strips `;params`
 * or compares case-insensitively. edge-cors therefore matches routes on every *plausible
 * interpretation* of the path (see {@link pathInterpretations}); when they select different
 * routes the request is ambiguous and refused (fail closed), so no spelling of a path gets a
 * grant that the route of some interpretation would refuse.
 *
 * The edge layer forwards {@link canonicalPath} — "what you match is what you forward" — and
 * refuses paths for which {@link forwardingProblem} names a way out of the upstream's prefix.
 *
 * Every function here is a single bounded pass over characters: no regex runs on a path.
 */

/** The longest path the edge layer forwards (longer ones are a 400). */
export const MAX_PATH_LENGTH = 8192;

/**
 * The longest path whose readings are computed for route matching. A longer path that is not
 * plain (see {@link isPlainPath}) is ambiguous — refused — so that a hostile path costs a
 * bounded amount of work (about 20 linear passes over at most this many characters).
 */
export const MAX_ROUTED_PATH_LENGTH = 2048;

const SLASH = 47;
const BACKSLASH = 92;
const DOT = 46;
const PERCENT = 37;
const SEMICOLON = 59;
const QUESTION = 63;
const HASH = 35;
const SPACE = 32;

/** The value of a hex digit's char code, or -1. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** RFC 3986 §2.3 unreserved characters. */
const UNRESERVED = "-._~";

function isAlphanumeric(code: number): boolean {
  const lower = code | 32;
  return (lower >= 97 && lower <= 122) || (code >= 48 && code <= 57);
}

/**
 * The path of an absolute URL string, delimited as the WHATWG URL parser delimits it for
 * http(s): the authority ends at the first `/`, `\`, `?` or `#`; the path at `?` or `#`.
 * Nothing is decoded or removed. `"/"` when the URL has no path.
 */
export function rawPathOf(url: string): string {
  const scheme = url.indexOf("://");
  let start = scheme < 0 ? 0 : scheme + 3;
  for (; start < url.length; start++) {
    const c = url.charCodeAt(start);
    if (c === SLASH || c === BACKSLASH) break;
    if (c === QUESTION || c === HASH) return "/";
  }
  if (start >= url.length) return "/";
  let end = start;
  for (; end < url.length; end++) {
    const c = url.charCodeAt(end);
    if (c === QUESTION || c === HASH) break;
  }
  return url.slice(start, end);
}

/** Which percent-encodings a decoding pass turns back into characters. */
type DecodeSet = "unreserved" | "all";

/**
 * One percent-decoding pass. `unreserved` also upper-cases the hex of what it keeps encoded
 * (`%2f` → `%2F`), so that equal paths are equal strings. Malformed escapes stay as written.
 */
function percentDecode(path: string, set: DecodeSet): string {
  if (path.indexOf("%") < 0) return path;
  let out = "";
  let from = 0;
  for (let i = path.indexOf("%"); i >= 0 && i + 2 < path.length; i = path.indexOf("%", i + 1)) {
    // IIS (http.sys, PercentUAllowed) also decodes %uNNNN: a server that decodes everything does.
    if (set === "all" && (path.charCodeAt(i + 1) | 32) === 117 /* u */ && i + 5 < path.length) {
      const unit = unicodeEscape(path, i + 2);
      if (unit >= 0) {
        out += path.slice(from, i) + String.fromCharCode(unit);
        i += 5;
        from = i + 1;
        continue;
      }
    }
    const high = hexValue(path.charCodeAt(i + 1));
    const low = hexValue(path.charCodeAt(i + 2));
    if (high < 0 || low < 0) continue;
    const code = high * 16 + low;
    const char = String.fromCharCode(code);
    const decode = set === "all" || isAlphanumeric(code) || UNRESERVED.includes(char);
    out += path.slice(from, i) + (decode ? char : path.slice(i, i + 3).toUpperCase());
    i += 2;
    from = i + 1;
  }
  return out + path.slice(from);
}

/** The value of the four hex digits at `at`, or -1. */
function unicodeEscape(path: string, at: number): number {
  let value = 0;
  for (let k = 0; k < 4; k++) {
    const digit = hexValue(path.charCodeAt(at + k));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** `.` or `..` once `%2e` is read as a dot (WHATWG URL: `.%2E`, `%2e%2e`, …); else "". */
function dotSegment(segment: string): string {
  if (segment.length > 6) return "";
  const dots = percentDecode(segment, "unreserved");
  return dots === "." || dots === ".." ? dots : "";
}

/**
 * Split on `/` and `\` (WHATWG treats both as separators in http(s) paths), drop single-dot
 * segments, pop on double-dot segments (never above the root), optionally collapse empty
 * segments (keeping a trailing slash) and strip `;params` (Servlet containers). The result
 * starts with `/`.
 */
function normalizeSegments(
  input: string,
  collapseSlashes: boolean,
  stripParams: boolean,
  backslashSeparates = true,
): string {
  const separator = (code: number) => code === SLASH || (backslashSeparates && code === BACKSLASH);
  const segments: string[] = [];
  let start = input.length > 0 && separator(input.charCodeAt(0)) ? 1 : 0;
  let trailing = false;
  for (let i = start; i <= input.length; i++) {
    if (i < input.length && !separator(input.charCodeAt(i))) continue;
    let segment = input.slice(start, i);
    start = i + 1;
    const semicolon = stripParams ? segment.indexOf(";") : -1;
    if (semicolon >= 0) segment = segment.slice(0, semicolon);
    const dots = dotSegment(segment);
    trailing = i === input.length;
    if (dots === "..") segments.pop();
    if (dots !== "") continue;
    if (segment === "" && collapseSlashes) {
      trailing = trailing && segments.length > 0;
      continue;
    }
    segments.push(segment);
    trailing = false;
  }
  const joined = `/${segments.join("/")}`;
  return trailing && joined !== "/" ? `${joined}/` : joined;
}

function isSeparator(code: number): boolean {
  return code === SLASH || code === BACKSLASH;
}

/**
 * The canonical form of a raw path: unreserved characters percent-decoded (`%61` → `a`), the
 * hex of every other escape upper-cased, `\` read as `/`, dot segments removed (`%2e` too),
 * duplicate slashes collapsed. Idempotent. Encoded `/`, `\`, `%`, NUL and `;params` are kept
 * as they are: they are what {@link pathInterpretations} and {@link forwardingProblem} look at.
 *
 * @example canonicalPath("//a/./%61dmin/../b%2fc") === "/a/b%2Fc"
 */
export function canonicalPath(rawPath: string): string {
  return normalizeSegments(percentDecode(rawPath, "unreserved"), true, false);
}

/** How the server behind edge-cors compares paths (the policy's `pathCase`). */
export type PathCase = "sensitive" | "insensitive" | undefined;

/**
 * Does `rawPath` read the same to every server model? True when it is printable ASCII with no
 * space, `%`, `\\`, `;`, `.`, `?`, `#`, `//`, no trailing slash and no upper-case letter unless the server
 * is known to compare paths case-sensitively: then {@link pathInterpretations} is `[rawPath]`.
 * A platform's decoded path is never plain when it holds a space or a control character (a
 * segment trimmed: `/admin /x`) or a character beyond ASCII (`\u212A`, Kelvin, folds to `k`).
 */
export function isPlainPath(rawPath: string, pathCase: PathCase): boolean {
  if (rawPath.charCodeAt(0) !== SLASH) return false;
  if (rawPath.length > 1 && rawPath.endsWith("/")) return false;
  for (let i = 1; i < rawPath.length; i++) {
    const c = rawPath.charCodeAt(i);
    if (c === PERCENT || c === BACKSLASH || c === SEMICOLON || c === DOT) return false;
    // A platform's decoded path: where it ends (`?`, `#`), what is trimmed or folded.
    if (c === QUESTION || c === HASH || c <= SPACE || c >= 127) return false;
    if (c === SLASH && rawPath.charCodeAt(i - 1) === SLASH) return false;
    if (pathCase !== "sensitive" && c >= 65 && c <= 90) return false;
  }
  return true;
}

/**
 * A string of bytes (one character per byte, as a decoding pass leaves them) read as UTF-8, as
 * leniently as old decoders: every two- or three-byte sequence decodes, overlong forms too
 * (`\xC0\xAF` is `/`, `\xE2\x84\xAA` is `\u212A`); anything else stays as it is.
 */
function utf8Decoded(bytes: string): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes.charCodeAt(i);
    const length = lead < 0xc0 || lead > 0xef ? 1 : lead < 0xe0 ? 2 : 3;
    let code = lead & (length === 2 ? 31 : 15);
    let next = 1;
    for (; next < length && isContinuation(bytes.charCodeAt(i + next)); next++)
      code = code * 64 + (bytes.charCodeAt(i + next) & 63);
    if (length > 1 && next === length) {
      out += String.fromCharCode(code);
      i += length - 1;
    } else out += bytes[i];
  }
  return out;
}

function isContinuation(byte: number): boolean {
  return byte >= 0x80 && byte <= 0xbf;
}

/**
 * `path` with the ends of its segments trimmed as a server may trim them:
 * - Windows (Win32 path rules, IIS on NTFS): trailing spaces and dots dropped (`/admin./x`,
 *   `/admin%20/x` are `/admin/x`); a segment of dots stays `.` or `..`;
 * - Java's `String.trim()` (Spring's AntPathMatcher with `trimTokens`, its default before 4.3),
 *   after `;params` are stripped (Tomcat strips them first): characters up to U+0020 dropped at
 *   both ends (`/%09admin/x`, `/admin%20;x/y`).
 * `/` and `\\` separate segments (and come out as `/`); dot segments are left for
 * {@link normalizeSegments}.
 */
function segmentEndsTrimmed(path: string, java: boolean): string {
  const trimmed = (code: number) => (java ? code <= SPACE : code === SPACE);
  let out = "";
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i < path.length && !isSeparator(path.charCodeAt(i))) continue;
    let from = start;
    let end = i;
    const params = java ? path.indexOf(";", from) : -1;
    if (params >= 0 && params < end) end = params;
    while (java && from < end && trimmed(path.charCodeAt(from))) from++;
    while (end > from && trimmed(path.charCodeAt(end - 1))) end--;
    if (!java) {
      let dots = from;
      while (dots < end && path.charCodeAt(dots) === DOT) dots++;
      if (dots === end) end = end - from > 2 ? from + 1 : end;
      else while (path.charCodeAt(end - 1) === DOT || trimmed(path.charCodeAt(end - 1))) end--;
    }
    out += path.slice(from, end) + (i < path.length ? "/" : "");
    start = i + 1;
  }
  return out;
}

/** Characters that end a path for some server once decoded: NUL (C strings), `;`, `?`, `#`. */
const PATH_ENDS = "\0;?#";

/**
 * The paths that the servers edge-cors may sit in front of could route `rawPath` to, as
 * distinct strings. The models:
 * - the bytes as they came (routers on the raw path);
 * - (WHATWG URL parsing, what fetch() and most runtimes forward, and `decodeURI`, Hono's
 *   router, read nothing the canonical and decoded readings do not: a route pattern holds no
 *   `//` and no escapes. The differential test runs the real routers to keep this true.)
 * - the canonical path (see {@link canonicalPath}; what the edge layer forwards);
 * - for a path starting with `//` (or `/\\`), the path after its first segment, as a Node app
 *   that parses `req.url` with `new URL(req.url, base)` reads it (a scheme-relative URL);
 * - decode everything once, or twice, byte by byte or as UTF-8, then normalise (servers and
 *   proxy chains that percent-decode before routing: `%2F` becomes a separator; `%uNNNN` too,
 *   as IIS does), with a decoded NUL, `;`, `?` or `#` kept or ending the path (C strings;
 *   find-my-way's `useSemicolonDelimiter`: `/a;/b` is `/a`; a decoding proxy before a server
 *   that splits off the query);
 * - with `;params` stripped from each segment (Servlet containers: `/admin;x=1`), trailing
 *   dots and spaces dropped (Windows, IIS: `/admin./x`, `/admin%20/x`), or each segment trimmed
 *   as Java's `trim()` does (Spring's `trimTokens`: `/%09admin/x`);
 * - each with its trailing slashes dropped (Express without strict routing, Rails,
 *   `posixpath.normpath`), then a format suffix dropped from the last dot or the first of the
 *   last segment (`/api/users.json`, `/api/users.json/`, `/api/users.a.b`: Rails, Django REST
 *   framework, Spring MVC);
 * - each of these case-folded as Java's `equalsIgnoreCase` compares (`\u212A` is `k`, `\u0131`
 *   and `\u0130` are `i`, `\u017F` is `s`), unless `pathCase` says how the
 *   server compares paths (`"insensitive"`: only the folded forms; `"sensitive"`: never).
 *
 * Returns `null` for a path longer than {@link MAX_ROUTED_PATH_LENGTH}: too long to interpret.
 */
export function pathInterpretations(rawPath: string, pathCase: PathCase): string[] | null {
  if (rawPath.length > MAX_ROUTED_PATH_LENGTH) return null;
  const forms: string[] = [];
  const canonical = canonicalPath(rawPath);
  addNew(forms, rawPath);
  addNew(forms, canonical);
  addNew(forms, normalizeSegments(canonical, true, true));
  // `new URL(req.url, base)` in a Node app: `//internal/admin/x` is host `internal`, path `/admin/x`.
  // (WHATWG skips every further slash before the host: `///a/b` is host `a`, path `/b`.)
  if (isSeparator(rawPath.charCodeAt(0)) && isSeparator(rawPath.charCodeAt(1))) {
    let hostEnd = 2;
    while (isSeparator(rawPath.charCodeAt(hostEnd))) hostEnd++;
    while (hostEnd < rawPath.length && !isSeparator(rawPath.charCodeAt(hostEnd))) hostEnd++;
    addNew(forms, canonicalPath(hostEnd < rawPath.length ? rawPath.slice(hostEnd) : "/"));
  }
  // Decoded paths: once or twice, bytes or UTF-8, kept whole or ending at a decoded delimiter;
  // from the path as sent and, when it has `;params`, from the path without them (Tomcat
  // strips them before it decodes: `/%20;%2f/x` is `/%20/x`, then `/ /x`).
  const decoded: string[] = [];
  const texts: string[] = [];
  const sources = [rawPath];
  if (rawPath.indexOf(";") >= 0) sources.push(normalizeSegments(canonical, false, true));
  for (let i = 0; i < sources.length; i++) {
    const once = percentDecode(sources[i]!, "all");
    const twice = percentDecode(once, "all");
    texts.push(once, utf8Decoded(once), twice, utf8Decoded(twice));
  }
  for (let i = 0; i < texts.length; i++)
    for (let end = -1; end < PATH_ENDS.length; end++) {
      const at = end < 0 ? texts[i]!.length : texts[i]!.indexOf(PATH_ENDS[end]!);
      if (at >= 0) addNew(decoded, texts[i]!.slice(0, at));
    }
  // Each also with its segments' ends trimmed (Windows, Java's trim()).
  for (let i = 0, count = decoded.length; i < count; i++) {
    addNew(decoded, segmentEndsTrimmed(decoded[i]!, false));
    addNew(decoded, segmentEndsTrimmed(decoded[i]!, true));
  }
  // A decoded `\` separates segments on some servers (Windows), not on others (Python);
  // `;params` are stripped by some (Servlet containers). Variants that cannot differ (no `\`,
  // no `;`) are skipped.
  for (let i = 0; i < decoded.length; i++) {
    const text = decoded[i]!;
    const params = text.indexOf(";") >= 0;
    const backslash = text.indexOf("\\") >= 0;
    addNew(forms, normalizeSegments(text, true, false));
    if (backslash) addNew(forms, normalizeSegments(text, true, false, false));
    if (params) addNew(forms, normalizeSegments(text, true, true));
    if (params && backslash) addNew(forms, normalizeSegments(text, true, true, false));
  }
  // Servers that drop a trailing slash, and frameworks that route a format suffix to the same
  // handler: `/api/users.json` is `/api/users` to them. The suffix starts at the last dot of
  // the last segment (Rails `(.:format)`) or at its first (Spring MVC's `/api/users.*`).
  // Trailing slashes go first (Rails' normalize_path, then `(.:format)`: `/a.json/` is `/a`).
  for (let i = 0, readings = forms.length; i < readings; i++) {
    const form = forms[i]!;
    let end = form.length;
    while (end > 1 && form.charCodeAt(end - 1) === SLASH) end--;
    const bare = form.slice(0, end);
    addNew(forms, bare);
    const segmentStart = bare.lastIndexOf("/") + 1;
    const lastDot = bare.lastIndexOf(".");
    if (lastDot > segmentStart) {
      addNew(forms, bare.slice(0, lastDot));
      const firstDot = bare.indexOf(".", segmentStart + 1);
      if (firstDot < lastDot) addNew(forms, bare.slice(0, firstDot));
    }
  }
  if (pathCase === "sensitive") return forms;
  const folded: string[] = [];
  for (let i = 0; i < forms.length; i++) {
    if (pathCase !== "insensitive") addNew(folded, forms[i]!);
    // Java's simple case mappings: upper- then lower-cased (ı, ſ and K fold to ASCII), and İ
    // lower-cases to i (JavaScript's full mapping makes it "i\u0307").
    addNew(folded, forms[i]!.toUpperCase().split("\u0130").join("I").toLowerCase());
  }
  return folded;
}

/** Push `item` unless `list` holds it already. */
function addNew(list: string[], item: string): void {
  if (list.indexOf(item) < 0) list.push(item);
}

/**
 * Why forwarding `canonical` (a {@link canonicalPath} result) below an upstream path prefix is
 * unsafe, or `null` when it is safe: a server that decodes it once or twice (as bytes, or as
 * UTF-8 with overlong forms), strips `;params`, drops a segment's trailing dots and spaces
 * (Windows) or trims its ends (Java's `trim()`) must never see a dot segment, which would
 * climb out of the prefix (`/..%2fsecret`, `/..;/secret`, `/%252e%252e/secret`), or a NUL.
 */
export function forwardingProblem(canonical: string): string | null {
  if (canonical.length > MAX_PATH_LENGTH)
    return `the path is longer than ${MAX_PATH_LENGTH} characters`;
  let form = canonical;
  for (let pass = 0; pass < 3; pass++) {
    // Each decoded form also read as lenient UTF-8 (`%c0%ae%c0%ae%c0%af` is `../` to old IIS)
    // and with segment ends trimmed by Windows (`..%20` is `..`) or by Java's trim() (`%09..`).
    const utf8 = pass === 0 ? form : utf8Decoded(form);
    const readings = [form, utf8];
    for (const text of [form, utf8])
      readings.push(segmentEndsTrimmed(text, false), segmentEndsTrimmed(text, true));
    for (const reading of readings) {
      if (reading.indexOf("\0") >= 0) return "the path encodes a NUL character";
      if (hasDotSegment(reading, false) || hasDotSegment(reading, true)) {
        return pass === 0
          ? "a segment of the path reads as '.' or '..' once ';params' are stripped"
          : `the path holds an encoded '/', '\\' or '.' that reads as a '..' segment after ${pass === 1 ? "one" : "two"} round${pass === 1 ? "" : "s"} of percent-decoding (as bytes or as UTF-8, or with its segments' ends trimmed as Windows or Java's trim() do)`;
      }
    }
    const next = percentDecode(form, "all");
    if (next === form) break;
    form = next;
  }
  return null;
}

function hasDotSegment(path: string, stripParams: boolean): boolean {
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i < path.length && !isSeparator(path.charCodeAt(i))) continue;
    let segment = path.slice(start, i);
    start = i + 1;
    const semicolon = stripParams ? segment.indexOf(";") : -1;
    if (semicolon >= 0) segment = segment.slice(0, semicolon);
    if (dotSegment(segment) !== "") return true;
  }
  return false;
}
