/**
 * How real servers behind the edge layer read a raw request path before routing it: the
 * upstream models of the differential path tests (Worker and Deno) and of the property test.
 * Each reading takes the request-target's path exactly as it arrived (no query) and returns
 * the path the server routes on. Pure TypeScript: Node, workerd and Deno import it as is.
 *
 * Hono's router is not modelled here: the tests run the real Hono app (see hono-upstream.ts).
 */

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Percent-decode every `%XX` once; the bytes are read as UTF-8 (invalid ones as U+FFFD). */
export function decodeAll(path: string): string {
  if (path.indexOf("%") < 0) return path;
  const bytes: number[] = [];
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 37 && i + 2 < path.length) {
      const high = hexValue(path.charCodeAt(i + 1));
      const low = hexValue(path.charCodeAt(i + 2));
      if (high >= 0 && low >= 0) {
        bytes.push(high * 16 + low);
        i += 2;
        continue;
      }
    }
    if (c < 128) bytes.push(c);
    else for (const b of new TextEncoder().encode(path[i]!)) bytes.push(b);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Python's posixpath.normpath (CPython 3.12), `/` as the only separator. */
export function posixNormpath(path: string): string {
  if (path === "") return ".";
  let initial = path.startsWith("/") ? 1 : 0;
  if (initial === 1 && path.startsWith("//") && !path.startsWith("///")) initial = 2;
  const out: string[] = [];
  for (const comp of path.split("/")) {
    if (comp === "" || comp === ".") continue;
    if (comp !== ".." || (initial === 0 && out.length === 0) || out.at(-1) === "..") out.push(comp);
    else if (out.length > 0) out.pop();
  }
  const joined = "/".repeat(initial) + out.join("/");
  return joined === "" ? "." : joined;
}

/**
 * Python's `http.server.SimpleHTTPRequestHandler.translate_path` (the file it serves, as a
 * path from the served directory): unquote, `posixpath.normpath`, then drop empty, `.` and
 * `..` words. A trailing slash is kept.
 */
export function pythonHttpServer(rawPath: string): string {
  const trailing = rawPath.trimEnd().endsWith("/");
  const words = posixNormpath(decodeAll(rawPath))
    .split("/")
    .filter((w) => w !== "" && w !== "." && w !== "..");
  const path = `/${words.join("/")}`;
  return trailing && words.length > 0 ? `${path}/` : path;
}

/** Remove `.`/`..` segments and empty segments, `/` and `\` both separators. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const segment of path.replaceAll("\\", "/").split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  return `/${out.join("/")}`;
}

/**
 * A Servlet-style container (Tomcat, Jetty): `;params` stripped from every segment, then
 * percent-decoded once, then dot segments removed and slashes collapsed.
 */
export function stripsParams(rawPath: string): string {
  const segments = rawPath.split("/").map((s) => {
    const semicolon = s.indexOf(";");
    return semicolon < 0 ? s : s.slice(0, semicolon);
  });
  return normalize(decodeAll(segments.join("/")));
}

/** A case-insensitive server (IIS-like): decoded once, `\` as `/`, normalised, lower-cased. */
export function caseInsensitive(rawPath: string): string {
  return normalize(decodeAll(rawPath)).toLowerCase();
}

/**
 * An old lenient decoder (IIS before MS00-078): bytes read as UTF-8 with overlong forms
 * accepted, so `%c0%ae` is `.` and `%c0%af` is `/`; then normalised.
 */
export function lenientUtf8(rawPath: string): string {
  const bytes = decodeLatin1(rawPath);
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes.charCodeAt(i);
    const next = bytes.charCodeAt(i + 1);
    if (lead >= 0xc0 && lead <= 0xdf && next >= 0x80 && next <= 0xbf) {
      out += String.fromCharCode(((lead & 31) << 6) | (next & 63));
      i++;
    } else out += bytes[i];
  }
  return normalize(out);
}

/** Every `%XX` decoded once, one character per byte. */
function decodeLatin1(path: string): string {
  return path.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** find-my-way's `useSemicolonDelimiter` (Fastify): the path ends at its first `;`. */
export function semicolonEndsPath(rawPath: string): string {
  const semicolon = rawPath.indexOf(";");
  return normalize(decodeAll(semicolon < 0 ? rawPath : rawPath.slice(0, semicolon)));
}

/** Java's `equalsIgnoreCase`: decoded as UTF-8, Java's simple case mappings (K is k, İ is i). */
export function javaIgnoreCase(rawPath: string): string {
  return [...normalize(decodeAll(rawPath))]
    .map((char) => (char === "\u0130" ? "i" : char.toUpperCase().toLowerCase()))
    .join("");
}

/** Spring's AntPathMatcher with `trimTokens`: decoded, Java's trim() per segment, normalised. */
export function springTrimTokens(rawPath: string): string {
  const segments = decodeAll(rawPath)
    .split("/")
    .map((segment) => {
      let start = 0;
      let end = segment.length;
      while (start < end && segment.charCodeAt(start) <= 32) start++;
      while (end > start && segment.charCodeAt(end - 1) <= 32) end--;
      return segment.slice(start, end);
    });
  return normalize(segments.join("/"));
}

/**
 * Windows (Win32 path rules, IIS on NTFS): decoded, trailing spaces and dots of each segment
 * dropped (`..%20` is `..`, `admin.` is `admin`), `\\` as `/`, normalised, lower-cased.
 */
export function windows(rawPath: string): string {
  const segments = decodeAll(rawPath)
    .replaceAll("\\", "/")
    .split("/")
    .map((segment) => {
      let end = segment.length;
      while (end > 0 && segment[end - 1] === " ") end--;
      const trimmed = segment.slice(0, end);
      if (trimmed !== "" && [...trimmed].every((c) => c === "."))
        return trimmed.length <= 2 ? trimmed : ".";
      while (end > 0 && (segment[end - 1] === "." || segment[end - 1] === " ")) end--;
      return segment.slice(0, end);
    });
  return normalize(segments.join("/")).toLowerCase();
}

/** The upstream readings by name (Hono's is the real router, in hono-upstream.ts). */
export const READINGS = {
  "python-http-server": pythonHttpServer,
  "strips-params": stripsParams,
  "case-insensitive": caseInsensitive,
  "lenient-utf8": lenientUtf8,
  "semicolon-ends-path": semicolonEndsPath,
  "java-ignore-case": javaIgnoreCase,
  windows,
  "spring-trim-tokens": springTrimTokens,
} as const;

export type ReadingName = keyof typeof READINGS;

/** The routes every test upstream serves, most specific first, and the route a path is served by. */
export const ROUTES = ["admin", "public"] as const;
export type ServedRoute = (typeof ROUTES)[number] | "base";

export function routeOf(path: string): ServedRoute {
  for (const r of ROUTES) if (path === `/${r}` || path.startsWith(`/${r}/`)) return r;
  return "base";
}
