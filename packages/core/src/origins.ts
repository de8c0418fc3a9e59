import type { PolicyIssue } from "./errors.ts";
import type { OriginPredicate } from "./policy.ts";

/** Longest Origin value looked at; longer ones are refused without hashing them. */
export const MAX_ORIGIN_LENGTH = 1024;

/**
 * Public suffixes under which a subdomain pattern admits anyone who can register a name.
 * A single-label suffix (`*.com`, `*.dev`) is always treated as public. This is a short,
 * deliberate list of the suffixes people actually put in CORS configs, not the whole PSL.
 */
const PUBLIC_SUFFIXES: ReadonlySet<string> = new Set([
  "github.io",
  "gitlab.io",
  "pages.dev",
  "workers.dev",
  "vercel.app",
  "netlify.app",
  "herokuapp.com",
  "web.app",
  "firebaseapp.com",
  "appspot.com",
  "azurewebsites.net",
  "azurestaticapps.net",
  "cloudfront.net",
  "amazonaws.com",
  "s3.amazonaws.com",
  "blogspot.com",
  "onrender.com",
  "fly.dev",
  "deno.dev",
  "glitch.me",
  "ngrok.io",
  "ngrok-free.app",
  "co.uk",
  "org.uk",
  "ac.uk",
  "com.au",
  "co.jp",
  "co.nz",
  "co.in",
  "com.br",
  "com.cn",
]);

export function isPublicSuffix(domain: string): boolean {
  return !domain.includes(".") || PUBLIC_SUFFIXES.has(domain);
}

/** Hosts whose `http://` origins are safe with credentials: they never leave the machine. */
function isLoopbackHost(host: string): boolean {
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "[::1]" ||
    (host.startsWith("127.") && /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host))
  );
}

const DEFAULT_PORT: Record<string, string> = { "http://": ":80", "https://": ":443" };

/** Why `s` is not what a browser sends as Origin, or `null` if it is. Compile time only. */
function originProblem(s: string): string | null {
  if (/\s/.test(s)) return "contains whitespace";
  const sep = s.indexOf("://");
  if (sep <= 0) return 'is not an origin: expected "scheme://host[:port]"';
  const scheme = s.slice(0, sep);
  if (scheme === "file") return "file: origins are opaque: browsers send Origin: null for them";
  if (scheme !== scheme.toLowerCase()) return "must be lower-case, as browsers send it";
  if (scheme === "http" || scheme === "https") {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      return "is not a valid origin";
    }
    if (url.username || url.password) return "must not contain user info (user@host)";
    if (url.origin === s) return null;
    if (s.toLowerCase() !== s) return `must be lower-case: browsers send "${url.origin}"`;
    if (s.endsWith("/")) return `must not end with "/": browsers send "${url.origin}"`;
    if (s.endsWith(DEFAULT_PORT[`${scheme}://`] ?? "\0")) {
      return `must not carry the default port: browsers send "${url.origin}"`;
    }
    return `is not a serialized origin (path, query or non-canonical host): browsers send "${url.origin}"`;
  }
  // Non-special schemes (chrome-extension://id, moz-extension://uuid, tauri://localhost, …).
  if (!/^[a-z][a-z0-9+.-]*:\/\/[a-z0-9._-]+(:\d{1,5})?$/.test(s)) {
    return 'is not an origin: expected lower-case "scheme://host[:port]" with no path';
  }
  return null;
}

/** Splits a validated pattern/origin into scheme ("https://"), host and port part (":8443", ":*" or ""). */
function splitOrigin(s: string): { scheme: string; host: string; port: string } {
  const sep = s.indexOf("://") + 3;
  const rest = s.slice(sep);
  const hostEnd = rest.startsWith("[") ? rest.indexOf("]") + 1 : rest.indexOf(":");
  if (hostEnd <= 0 || hostEnd >= rest.length)
    return { scheme: s.slice(0, sep), host: rest, port: "" };
  return { scheme: s.slice(0, sep), host: rest.slice(0, hostEnd), port: rest.slice(hostEnd) };
}

/** The compiled form of `allowOrigins`. */
export interface OriginMatcher {
  /** `allowOrigins: "*"`. */
  any: boolean;
  exact: Set<string>;
  /**
   * Subdomain patterns: `".suffix" + port` (port "", ":8443" or ":*") → the schemes
   * ("https://") it is listed with. Keyed without the scheme so that a request's candidate key
   * is one slice of its Origin, never a concatenation.
   */
  suffixes: Map<string, string[]>;
  /**
   * Lengths of the patterns' ".suffix" host parts: at match time only the request host's
   * suffixes of these lengths are looked up (no string is built for the others).
   */
  suffixLengths: Set<number>;
  /** Does any subdomain pattern carry a port wildcard (":*")? */
  suffixAnyPort: boolean;
  /** Port wildcards on an exact host: `scheme + host`. */
  anyPort: Set<string>;
  predicate: OriginPredicate | null;
}

/** Validate `allowOrigins` and compile it. Pushes every problem; never throws. */
export function compileOrigins(
  value: unknown,
  credentials: boolean,
  path: string,
  errors: PolicyIssue[],
  warnings: PolicyIssue[],
): OriginMatcher {
  const m: OriginMatcher = {
    any: false,
    exact: new Set(),
    suffixes: new Map(),
    suffixLengths: new Set(),
    suffixAnyPort: false,
    anyPort: new Set(),
    predicate: null,
  };
  if (value === "*") {
    m.any = true;
    if (credentials) {
      errors.push({
        path,
        message:
          '"*" cannot be combined with allowCredentials: browsers refuse it, and reflecting any Origin instead would let every website read your users\' data. List the origins.',
      });
    }
    return m;
  }
  if (typeof value === "function") {
    m.predicate = value as OriginPredicate;
    return m;
  }
  if (value === undefined) {
    errors.push({ path, message: 'is required: a list of origins, or "*" for a public resource' });
    return m;
  }
  if (!Array.isArray(value)) {
    errors.push({
      path,
      message: 'must be "*", a list of origins, or (in code) a predicate function',
    });
    return m;
  }
  if (value.length === 0) {
    errors.push({
      path,
      message: "is empty: list at least one origin (an empty list allows nothing)",
    });
    return m;
  }
  value.forEach((entry: unknown, i) => {
    const p = `${path}[${i}]`;
    if (typeof entry !== "string") {
      errors.push({ path: p, message: "must be a string" });
      return;
    }
    if (entry === "null") {
      errors.push({
        path: p,
        message:
          '"null" is never trusted: any sandboxed iframe, data: URL or cross-origin redirect sends Origin: null, so an attacker can produce it at will',
      });
      return;
    }
    if (entry === "*") {
      errors.push({
        path: p,
        message: 'use allowOrigins: "*" (a string, not inside a list) to allow every origin',
      });
      return;
    }
    const wildSub = entry.includes("://*.");
    const wildPort = entry.endsWith(":*");
    // A concrete origin standing for the pattern, to validate with the URL parser.
    const sample = entry.replace("://*.", "://a.").replace(/:\*$/, ":1");
    if (sample.includes("*")) {
      errors.push({
        path: p,
        message:
          'a "*" may only stand for leading subdomain labels ("https://*.example.com") or the port ("http://localhost:*")',
      });
      return;
    }
    const problem = originProblem(sample);
    if (problem) {
      const as = sample === entry ? "" : ` (checked as "${sample}")`;
      errors.push({ path: p, message: `"${entry}" ${problem}${as}` });
      return;
    }
    const { scheme, host, port } = splitOrigin(entry);
    if (credentials && scheme === "http://" && !isLoopbackHost(wildSub ? host.slice(2) : host)) {
      errors.push({
        path: p,
        message: `"${entry}" is plain http with allowCredentials: anyone on the network path can inject script into it and read your users' data. Use https (http is allowed only for loopback hosts).`,
      });
      return;
    }
    if (wildSub) {
      const suffix = host.slice(2);
      if (isPublicSuffix(suffix)) {
        const msg = `"${entry}" matches every site under the public suffix "${suffix}": anyone can register one`;
        if (credentials) {
          errors.push({ path: p, message: `${msg}; refused with allowCredentials` });
          return;
        }
        warnings.push({ path: p, message: msg });
      } else {
        warnings.push({
          path: p,
          message: `"${entry}" trusts every subdomain of ${suffix}: an XSS or a subdomain takeover on any of them gets the same access`,
        });
      }
      const key = host.slice(1) + port;
      const schemes = m.suffixes.get(key);
      if (schemes === undefined) m.suffixes.set(key, [scheme]);
      else if (!schemes.includes(scheme)) schemes.push(scheme);
      m.suffixLengths.add(host.length - 1);
      if (port === ":*") m.suffixAnyPort = true;
    } else if (wildPort) {
      m.anyPort.add(scheme + host);
    } else {
      m.exact.add(entry);
    }
  });
  return m;
}

/** Host characters browsers emit in a serialized origin (lower-case, Punycode). */
function isHostChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95;
}

/**
 * Does the policy's origin list (not the predicate) allow `origin`? O(1) for exact origins,
 * O(labels) for patterns, whatever the number of entries. No regex, bounded work.
 */
export function matchOrigin(m: OriginMatcher, origin: string): boolean {
  if (m.exact.has(origin)) return true;
  if (m.suffixes.size === 0 && m.anyPort.size === 0) return false;
  const sep = origin.indexOf("://");
  if (sep <= 0) return false;
  const hostStart = sep + 3;
  if (origin.charCodeAt(hostStart) === 91 /* [ */) {
    // IPv6 literal: only port wildcards apply.
    const close = origin.indexOf("]", hostStart);
    if (close < 0 || m.anyPort.size === 0) return false;
    const port = origin.slice(close + 1);
    return (port === "" || isPort(port)) && m.anyPort.has(origin.slice(0, close + 1));
  }
  // Scan the host: only lower-case host characters, no empty labels.
  let i = hostStart;
  let prev = 46; /* treat start as after a dot, so a leading dot fails */
  for (; i < origin.length; i++) {
    const c = origin.charCodeAt(i);
    if (c === 58 /* : */) break;
    if (!isHostChar(c) || (c === 46 && prev === 46)) return false;
    prev = c;
  }
  if (prev === 46 || i === hostStart) return false;
  if (i < origin.length && !isPort(origin.slice(i))) return false;
  if (m.anyPort.size > 0 && m.anyPort.has(origin.slice(0, i))) return true;
  if (m.suffixes.size === 0) return false;
  // Try every proper suffix of the host starting at a dot (".b.example.com", ".example.com",
  // ".com") whose length some pattern has; the key is that suffix plus the port, as sent.
  for (
    let d = origin.indexOf(".", hostStart);
    d > hostStart && d < i;
    d = origin.indexOf(".", d + 1)
  ) {
    if (!m.suffixLengths.has(i - d)) continue;
    if (hasScheme(m.suffixes.get(origin.slice(d)), origin, hostStart)) return true;
    if (
      m.suffixAnyPort &&
      hasScheme(m.suffixes.get(`${origin.slice(d, i)}:*`), origin, hostStart)
    ) {
      return true;
    }
  }
  return false;
}

/** Is `origin`'s scheme (its first `hostStart` characters, "https://") one of `schemes`? */
function hasScheme(schemes: string[] | undefined, origin: string, hostStart: number): boolean {
  if (schemes === undefined) return false;
  for (const s of schemes) if (s.length === hostStart && origin.startsWith(s)) return true;
  return false;
}

/** ":1" … ":65535", no leading zero: what a browser emits for a non-default port. */
function isPort(p: string): boolean {
  if (p.length < 2 || p.length > 6 || p.charCodeAt(1) === 48) return false;
  for (let i = 1; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return Number(p.slice(1)) <= 65535;
}
