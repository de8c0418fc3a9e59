import { describeValue, type IssueSink } from "./issues.ts";
import { canonicalPath, isPlainPath, type PathCase, pathInterpretations } from "./paths.ts";

/** A compiled `routes[].path`: an exact path, a `/prefix/*`, or `*`. */
export interface PathPattern {
  /** As written in the policy. */
  path: string;
  /**
   * What is compared (case-folded when `pathCase` is `"insensitive"`): the exact path, or for
   * `/prefix/*` the prefix (`"/prefix"` matches it and everything under `"/prefix/"`).
   */
  literal: string;
  /** `literal` in lower case, for servers that compare paths case-insensitively. */
  folded: string;
  /** `/prefix/*`. */
  prefix: boolean;
  /** `*`: every path. */
  all: boolean;
}

/** Characters a route path may hold besides letters and digits (RFC 3986 pchar, no `%` or `;`). */
const PATH_PUNCTUATION = "/-._~!$&'()*+,=:@";

export function compilePathPattern(
  value: unknown,
  at: string,
  pathCase: PathCase,
  sink: IssueSink,
): PathPattern | null {
  if (typeof value !== "string") {
    sink.errors.push({
      code: "route-path-invalid",
      path: at,
      message:
        value === undefined
          ? 'is required: "/exact", "/prefix/*" or "*"'
          : `must be a string: "/exact", "/prefix/*" or "*", got ${describeValue(value)}`,
    });
    return null;
  }
  if (value === "*") return { path: value, literal: "", folded: "", prefix: false, all: true };
  const star = value.indexOf("*");
  let shapeOk = value.startsWith("/") && (star === -1 || star === value.length - 1);
  if (star !== -1 && !value.endsWith("/*")) shapeOk = false;
  for (let i = 0; shapeOk && i < value.length; i++) {
    const c = value.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alnum && !PATH_PUNCTUATION.includes(value[i]!)) shapeOk = false;
  }
  if (!shapeOk) {
    sink.errors.push({
      code: "route-path-invalid",
      path: at,
      message: `${describeValue(value)} is not a path pattern: use "/exact", "/prefix/*" or "*" (letters, digits and ${PATH_PUNCTUATION}; no query, %-escapes, ";" or other wildcards)`,
    });
    return null;
  }
  const literal = star === -1 ? value : value.slice(0, -2);
  const canonical = canonicalPath(literal);
  // A pattern must read the same way the request paths it is matched against are read: no dot
  // segments or "//" (collapsed), and no trailing slash (servers without strict routing drop it).
  const trailing = literal.endsWith("/") && (literal.length > 1 || star !== -1);
  if ((canonical !== literal && literal !== "") || trailing) {
    const fixed =
      canonical.length > 1 && canonical.endsWith("/") ? canonical.slice(0, -1) : canonical;
    sink.errors.push({
      code: "route-path-not-canonical",
      path: at,
      message: trailing
        ? `"${value}" ends in "/" before its end or "*": servers without strict routing read "${fixed}" and "${fixed}/" as one path. Write "${fixed}${star === -1 ? "" : "/*"}" (a request for "${fixed}/" then matches both readings, or is refused as ambiguous)`
        : `"${value}" holds dot segments or "//", which servers read differently: write "${fixed}${star === -1 ? "" : "/*"}"`,
    });
    return null;
  }
  const lower = literal.toLowerCase();
  return {
    path: value,
    literal: pathCase === "insensitive" ? lower : literal,
    folded: lower,
    prefix: star !== -1,
    all: false,
  };
}

function patternMatches(pattern: PathPattern, path: string, folded: boolean): boolean {
  if (pattern.all) return true;
  const prefix = folded ? pattern.folded : pattern.literal;
  if (!pattern.prefix) return path === prefix;
  return (
    path.startsWith(prefix) &&
    (path.length === prefix.length || path.charCodeAt(prefix.length) === 47) /* / */
  );
}

/**
 * The index of the first pattern matching `path`, or -1 (the top level). `folded`: compare
 * with the patterns in lower case, as a case-insensitive server does (`path` is a folded
 * reading then).
 */
export function firstMatch(patterns: readonly PathPattern[], path: string, folded = false): number {
  for (let i = 0; i < patterns.length; i++)
    if (patternMatches(patterns[i]!, path, folded)) return i;
  return -1;
}

/**
 * Do patterns need case-insensitive matching too? When the server's case handling is not
 * known and a pattern holds upper case (`/Admin/*`): a case-insensitive server routes
 * `/admin/users` there.
 */
export function patternsFold(patterns: readonly PathPattern[], pathCase: PathCase): boolean {
  return pathCase === undefined && patterns.some((pattern) => pattern.folded !== pattern.literal);
}

/** {@link selectRoute}'s answer when the readings of a path select different routes. */
export const AMBIGUOUS = -2;

/**
 * The route for a raw request path: the index of the first matching pattern, -1 for the top
 * level, or {@link AMBIGUOUS} when the path's plausible readings (see `pathInterpretations`)
 * select different routes, or it is too long to read.
 */
export function selectRoute(
  patterns: readonly PathPattern[],
  rawPath: string,
  pathCase: PathCase,
  foldPatterns = patternsFold(patterns, pathCase),
): number {
  if (!foldPatterns && isPlainPath(rawPath, pathCase)) return firstMatch(patterns, rawPath);
  return routeByReadings(patterns, rawPath, pathCase, foldPatterns);
}

/**
 * {@link selectRoute} without its fast path for plain paths: the same answer, always from every
 * reading (the CloudFront Function uses it: it has room for the rule, not for the shortcut).
 */
export function routeByReadings(
  patterns: readonly PathPattern[],
  rawPath: string,
  pathCase: PathCase,
  foldPatterns: boolean,
): number {
  const readings = pathInterpretations(rawPath, pathCase);
  if (readings === null) return AMBIGUOUS;
  const chosen = firstMatch(patterns, readings[0]!);
  for (let i = 0; i < readings.length; i++) {
    const reading = readings[i]!;
    if (i > 0 && firstMatch(patterns, reading) !== chosen) return AMBIGUOUS;
    if (foldPatterns && firstMatch(patterns, reading.toLowerCase(), true) !== chosen)
      return AMBIGUOUS;
  }
  return chosen;
}
