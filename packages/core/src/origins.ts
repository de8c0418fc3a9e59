import { describeValue, type IssueCode, type IssueSink } from "./issues.ts";
import type { OriginPredicate } from "./policy.ts";

/** Longest Origin value looked at; longer ones are refused without hashing them. */
export const MAX_ORIGIN_LENGTH = 1024;

/**
 * Names the public suffix at or below `domain` that lets strangers register names under it,
 * or returns `null` when every name under `domain` belongs to `domain`'s owner. Backed by the
 * Public Suffix List (https://publicsuffix.org): `@edge-cors/public-suffix` provides one, and
 * every edge-cors adapter passes it to `createCors`.
 *
 * @example lookup("com.mx") === "com.mx"; lookup("amazonaws.com") === "s3.us-east-1.amazonaws.com"; lookup("example.com") === null
 */
export type PublicSuffixLookup = (domain: string) => string | null;

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

interface OriginProblem {
  code: IssueCode;
  message: string;
}

function notSerialized(message: string): OriginProblem {
  return { code: "origin-not-serialized", message };
}

/** Why `s` is not what a browser sends as Origin, or `null` if it is. Compile time only. */
function originProblem(candidate: string): OriginProblem | null {
  if (/\s/.test(candidate)) return notSerialized("contains whitespace");
  const sep = candidate.indexOf("://");
  if (sep <= 0) return notSerialized('is not an origin: expected "scheme://host[:port]"');
  const scheme = candidate.slice(0, sep);
  if (scheme === "file")
    return {
      code: "origin-file",
      message: "is a file: origin: those are opaque, browsers send Origin: null for them",
    };
  if (scheme !== scheme.toLowerCase())
    return notSerialized("must be lower-case, as browsers send it");
  if (scheme === "http" || scheme === "https") {
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      return notSerialized("is not a valid origin");
    }
    if (url.username || url.password)
      return notSerialized("must not contain user info (user@host)");
    if (url.origin === candidate) return null;
    if (candidate.toLowerCase() !== candidate)
      return notSerialized(`must be lower-case: browsers send "${url.origin}"`);
    if (candidate.endsWith("/"))
      return notSerialized(`must not end with "/": browsers send "${url.origin}"`);
    if (candidate.endsWith(DEFAULT_PORT[`${scheme}://`] ?? "\0")) {
      return notSerialized(`must not carry the default port: browsers send "${url.origin}"`);
    }
    return notSerialized(
      `is not a serialized origin (path, query or non-canonical host): browsers send "${url.origin}"`,
    );
  }
  // Non-special schemes (chrome-extension://id, moz-extension://uuid, tauri://localhost, …).
  if (!/^[a-z][a-z0-9+.-]*:\/\/[a-z0-9._-]+(:\d{1,5})?$/.test(candidate)) {
    return notSerialized(
      'is not an origin: expected lower-case "scheme://host[:port]" with no path',
    );
  }
  return null;
}

/** Splits a validated pattern/origin into scheme ("https://"), host and port part (":8443", ":*" or ""). */
function splitOrigin(origin: string): { scheme: string; host: string; port: string } {
  const sep = origin.indexOf("://") + 3;
  const rest = origin.slice(sep);
  const hostEnd = rest.startsWith("[") ? rest.indexOf("]") + 1 : rest.indexOf(":");
  if (hostEnd <= 0 || hostEnd >= rest.length)
    return { scheme: origin.slice(0, sep), host: rest, port: "" };
  return { scheme: origin.slice(0, sep), host: rest.slice(0, hostEnd), port: rest.slice(hostEnd) };
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

/** At most this many entries in one `allowOrigins` list (a predicate scales further). */
export const MAX_ORIGIN_ENTRIES = 50_000;

function emptyMatcher(): OriginMatcher {
  return {
    any: false,
    exact: new Set(),
    suffixes: new Map(),
    suffixLengths: new Set(),
    suffixAnyPort: false,
    anyPort: new Set(),
    predicate: null,
  };
}

/**
 * Validate `allowOrigins` and compile it. Pushes every problem (paths relative to the
 * policy object holding the option); never throws.
 */
export function compileOrigins(
  value: unknown,
  credentials: boolean,
  publicSuffixes: PublicSuffixLookup | null,
  sink: IssueSink,
): OriginMatcher {
  const path = "allowOrigins";
  const matcher = emptyMatcher();
  if (value === "*") {
    matcher.any = true;
    if (credentials) {
      sink.errors.push({
        code: "credentials-with-any-origin",
        path,
        message: `"*" cannot be combined with ${sink.label("allowCredentials")}: browsers refuse it, and reflecting any Origin instead would let every website read your users' data. List the origins.`,
      });
    }
    return matcher;
  }
  if (typeof value === "function") {
    matcher.predicate = value as OriginPredicate;
    return matcher;
  }
  if (value === undefined) {
    sink.errors.push({
      code: "origins-required",
      path,
      message: 'is required: a list of origins, or "*" for a public resource',
    });
    return matcher;
  }
  if (!Array.isArray(value)) {
    sink.errors.push({
      code: "wrong-type",
      path,
      message: `must be "*", a list of origins, or (in code) a predicate function, got ${describeValue(value)}`,
    });
    return matcher;
  }
  if (value.length === 0) {
    sink.errors.push({
      code: "origins-empty",
      path,
      message: "is empty: list at least one origin (an empty list allows nothing)",
    });
    return matcher;
  }
  if (value.length > MAX_ORIGIN_ENTRIES) {
    sink.errors.push({
      code: "policy-too-large",
      path,
      message: `lists ${value.length} origins, more than ${MAX_ORIGIN_ENTRIES}: use subdomain patterns or, in code, a predicate`,
    });
    return matcher;
  }
  const suffixVerdicts = new Map<string, string | null>();
  for (let i = 0; i < value.length; i++) {
    const entry: unknown = value[i];
    const at = `${path}[${i}]`;
    if (typeof entry !== "string") {
      sink.errors.push({
        code: "wrong-type",
        path: at,
        message: `must be a string, got ${describeValue(entry)}`,
      });
      continue;
    }
    if (entry === "null") {
      sink.errors.push({
        code: "origin-null",
        path: at,
        message:
          '"null" is never trusted: any sandboxed iframe, data: URL or cross-origin redirect sends Origin: null, so an attacker can produce it at will',
      });
      continue;
    }
    if (entry === "*") {
      sink.errors.push({
        code: "origin-any-in-list",
        path: at,
        message: `use ${sink.label("allowOrigins")}: "*" (a string, not inside a list) to allow every origin`,
      });
      if (credentials) {
        sink.errors.push({
          code: "credentials-with-any-origin",
          path: at,
          message: `"*" cannot be combined with ${sink.label("allowCredentials")}: browsers refuse it, and reflecting any Origin instead would let every website read your users' data. List the origins.`,
        });
      }
      continue;
    }
    const wildSub = entry.includes("://*.");
    const wildPort = entry.endsWith(":*");
    // A concrete origin standing for the pattern, to validate with the URL parser.
    const sample = entry.replace("://*.", "://a.").replace(/:\*$/, ":1");
    if (sample.includes("*")) {
      sink.errors.push({
        code: "origin-wildcard-misplaced",
        path: at,
        message:
          'a "*" may only stand for leading subdomain labels ("https://*.example.com") or the port ("http://localhost:*")',
      });
      continue;
    }
    const problem = originProblem(sample);
    if (problem) {
      const as = sample === entry ? "" : ` (checked as "${sample}")`;
      sink.errors.push({
        code: problem.code,
        path: at,
        message: `${describeValue(entry)} ${problem.message}${as}`,
      });
      continue;
    }
    const { scheme, host, port } = splitOrigin(entry);
    if (credentials && scheme === "http://" && !isLoopbackHost(wildSub ? host.slice(2) : host)) {
      sink.errors.push({
        code: "http-origin-with-credentials",
        path: at,
        message: `"${entry}" is plain http with ${sink.label("allowCredentials")}: anyone on the network path can inject script into it and read your users' data. Use https (http is allowed only for loopback hosts).`,
      });
      continue;
    }
    if (wildSub && host.endsWith(".")) {
      // A fully qualified host ("example.com.") is another origin to browsers; the matcher
      // never matches one, and the Public Suffix List does not know the spelling.
      sink.errors.push({
        code: "origin-not-serialized",
        path: at,
        message: `"${entry}" ends with a dot: write the pattern without it`,
      });
      continue;
    }
    if (wildSub) {
      const suffix = host.slice(2);
      if (!checkPattern(entry, suffix, credentials, publicSuffixes, suffixVerdicts, at, sink))
        continue;
      const key = host.slice(1) + port;
      const schemes = matcher.suffixes.get(key);
      if (schemes === undefined) matcher.suffixes.set(key, [scheme]);
      else if (!schemes.includes(scheme)) schemes.push(scheme);
      matcher.suffixLengths.add(host.length - 1);
      if (port === ":*") matcher.suffixAnyPort = true;
    } else if (wildPort) {
      matcher.anyPort.add(scheme + host);
    } else {
      matcher.exact.add(entry);
    }
  }
  return matcher;
}

/**
 * Judge a subdomain pattern's suffix against the Public Suffix List. Returns whether the
 * pattern is accepted (possibly with a warning).
 */
function checkPattern(
  entry: string,
  suffix: string,
  credentials: boolean,
  publicSuffixes: PublicSuffixLookup | null,
  verdicts: Map<string, string | null>,
  at: string,
  sink: IssueSink,
): boolean {
  // *.localhost names are loopback in every browser; a single label is always a public suffix.
  const loopback = suffix === "localhost" || suffix.endsWith(".localhost");
  let found: string | null = null;
  if (!loopback && !suffix.includes(".")) {
    found = suffix;
  } else if (!loopback && publicSuffixes === null) {
    if (credentials) {
      sink.errors.push({
        code: "public-suffix-unchecked",
        path: at,
        message: `"${entry}" with ${sink.label("allowCredentials")} needs the Public Suffix List to prove that strangers cannot register names under ${suffix}: compile the policy with { publicSuffixes } from @edge-cors/public-suffix (every edge-cors adapter does)`,
      });
      return false;
    }
  } else if (!loopback && publicSuffixes !== null) {
    let verdict = verdicts.get(suffix);
    if (verdict === undefined) {
      let answer: unknown;
      try {
        answer = publicSuffixes(suffix);
      } catch {
        answer = suffix; // a lookup that fails proves nothing: treat the suffix as public
      }
      verdict = answer === null ? null : typeof answer === "string" ? answer : suffix;
      verdicts.set(suffix, verdict);
    }
    found = verdict;
  }
  if (found !== null) {
    const below = found === suffix ? "" : ` (a public suffix below ${suffix})`;
    const message = `"${entry}" matches sites anyone can register under the public suffix "${found}"${below}`;
    if (credentials) {
      sink.errors.push({
        code: "public-suffix-pattern",
        path: at,
        message: `${message}; refused with ${sink.label("allowCredentials")}. List the exact origins instead.`,
      });
      return false;
    }
    sink.warnings.push({ code: "public-suffix-pattern", path: at, message });
    return true;
  }
  sink.warnings.push({
    code: "subdomain-pattern",
    path: at,
    message: `"${entry}" trusts every subdomain of ${suffix}: an XSS or a subdomain takeover on any of them gets the same access`,
  });
  return true;
}

/** Host characters browsers emit in a serialized origin (lower-case, Punycode). */
function isHostChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95;
}

/**
 * Does the policy's origin list (not the predicate) allow `origin`? O(1) for exact origins,
 * O(labels) for patterns, whatever the number of entries. No regex, bounded work.
 */
export function matchOrigin(matcher: OriginMatcher, origin: string): boolean {
  if (matcher.exact.has(origin)) return true;
  if (matcher.suffixes.size === 0 && matcher.anyPort.size === 0) return false;
  const sep = origin.indexOf("://");
  if (sep <= 0) return false;
  const hostStart = sep + 3;
  if (origin.charCodeAt(hostStart) === 91 /* [ */) {
    // IPv6 literal: only port wildcards apply.
    const close = origin.indexOf("]", hostStart);
    if (close < 0 || matcher.anyPort.size === 0) return false;
    const port = origin.slice(close + 1);
    return (port === "" || isPort(port)) && matcher.anyPort.has(origin.slice(0, close + 1));
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
  if (matcher.anyPort.size > 0 && matcher.anyPort.has(origin.slice(0, i))) return true;
  if (matcher.suffixes.size === 0) return false;
  // Try every proper suffix of the host starting at a dot (".b.example.com", ".example.com",
  // ".com") whose length some pattern has; the key is that suffix plus the port, as sent.
  for (
    let dot = origin.indexOf(".", hostStart);
    dot > hostStart && dot < i;
    dot = origin.indexOf(".", dot + 1)
  ) {
    if (!matcher.suffixLengths.has(i - dot)) continue;
    if (hasScheme(matcher.suffixes.get(origin.slice(dot)), origin, hostStart)) return true;
    if (
      matcher.suffixAnyPort &&
      hasScheme(matcher.suffixes.get(`${origin.slice(dot, i)}:*`), origin, hostStart)
    ) {
      return true;
    }
  }
  return false;
}

/** Is `origin`'s scheme (its first `hostStart` characters, "https://") one of `schemes`? */
function hasScheme(schemes: string[] | undefined, origin: string, hostStart: number): boolean {
  if (schemes === undefined) return false;
  for (const scheme of schemes)
    if (scheme.length === hostStart && origin.startsWith(scheme)) return true;
  return false;
}

/** ":1" … ":65535", no leading zero: what a browser emits for a non-default port. */
function isPort(port: string): boolean {
  if (port.length < 2 || port.length > 6 || port.charCodeAt(1) === 48) return false;
  for (let i = 1; i < port.length; i++) {
    const c = port.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return Number(port.slice(1)) <= 65535;
}
