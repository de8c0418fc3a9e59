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
  if (value === "*") return { path: value, literal: "", prefix: false, all: true };
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
  if (canonical !== literal && literal !== "") {
    sink.errors.push({
      code: "route-path-not-canonical",
      path: at,
      message: `"${value}" holds dot segments or "//", which servers read differently: write "${canonical}${star === -1 ? "" : "/*"}"`,
    });
    return null;
  }
  const folded = pathCase === "insensitive" ? literal.toLowerCase() : literal;
  return { path: value, literal: folded, prefix: star !== -1, all: false };
}

function patternMatches(pattern: PathPattern, path: string): boolean {
  if (pattern.all) return true;
  const prefix = pattern.literal;
  if (!pattern.prefix) return path === prefix;
  return (
    path.startsWith(prefix) &&
    (path.length === prefix.length || path.charCodeAt(prefix.length) === 47) /* / */
  );
}

/** The index of the first pattern matching `path`, or -1 (the top level). */
export function firstMatch(patterns: readonly PathPattern[], path: string): number {
  for (let i = 0; i < patterns.length; i++) if (patternMatches(patterns[i]!, path)) return i;
  return -1;
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
): number {
  if (isPlainPath(rawPath, pathCase)) return firstMatch(patterns, rawPath);
  const readings = pathInterpretations(rawPath, pathCase);
  if (readings === null) return AMBIGUOUS;
  const chosen = firstMatch(patterns, readings[0]!);
  for (let i = 1; i < readings.length; i++)
    if (firstMatch(patterns, readings[i]!) !== chosen) return AMBIGUOUS;
  return chosen;
}
