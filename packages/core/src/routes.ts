import type { PolicyIssue } from "./errors.ts";

/** A compiled `routes[].path`: an exact path, a `/prefix/*`, or `*`. */
export interface PathPattern {
  path: string;
  /** For `/prefix/*`: "/prefix" (matches it and everything under "/prefix/"). */
  prefix: string | null;
  all: boolean;
}

export function compilePath(
  value: unknown,
  path: string,
  errors: PolicyIssue[],
): PathPattern | null {
  if (typeof value !== "string") {
    errors.push({ path, message: 'is required: "/exact", "/prefix/*" or "*"' });
    return null;
  }
  if (value === "*") return { path: value, prefix: null, all: true };
  const star = value.indexOf("*");
  const ok =
    value.startsWith("/") &&
    !/[\s?#]/.test(value) &&
    (star === -1 || (star === value.length - 1 && value.endsWith("/*")));
  if (!ok) {
    errors.push({
      path,
      message: `"${value}" is not a path pattern: use "/exact", "/prefix/*" or "*" (no query, no other wildcards)`,
    });
    return null;
  }
  return { path: value, prefix: star === -1 ? null : value.slice(0, -2), all: false };
}

export function matchPath(p: PathPattern, pathname: string): boolean {
  if (p.all) return true;
  if (p.prefix === null) return pathname === p.path;
  return (
    pathname.startsWith(p.prefix) &&
    (pathname.length === p.prefix.length || pathname.charCodeAt(p.prefix.length) === 47) /* / */
  );
}

/** The path of an absolute URL string, without parsing the whole URL. */
export function pathnameOf(url: string): string {
  const scheme = url.indexOf("://");
  const start = url.indexOf("/", scheme < 0 ? 0 : scheme + 3);
  if (start < 0) return "/";
  let end = url.indexOf("?", start);
  if (end < 0) end = url.length;
  const hash = url.indexOf("#", start);
  if (hash >= 0 && hash < end) end = hash;
  return url.slice(start, end);
}
