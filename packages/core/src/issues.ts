/**
 * Every problem validation can report, by stable code. The code is the API (adapters, the
 * CLI and tests key on it); the message is for people and may change. Listed in
 * docs/policy-issues.md.
 */
export const ISSUE_CODES = {
  // The policy as a whole
  "policy-not-object": "the policy is not a JSON object",
  "policy-not-json": "the policy text is not valid JSON",
  "policy-too-large": "the policy is beyond a size limit (text, list length or nesting)",
  "policy-unreadable": "reading the policy threw (a getter, a proxy, a cycle)",
  "unknown-option": "an option edge-cors does not know (often a hono/cors or express name)",
  "wrong-type": "an option has the wrong type",
  // allowOrigins
  "origins-required": "allowOrigins is missing",
  "origins-empty": "allowOrigins is an empty list",
  "origin-null": '"null" is listed: anyone can send Origin: null',
  "origin-any-in-list": '"*" inside a list instead of the string "*"',
  "origin-not-serialized": "an origin is not exactly what browsers send",
  "origin-file": "a file: origin (browsers send null for it)",
  "origin-wildcard-misplaced": "a * that is neither leading subdomain labels nor the port",
  "credentials-with-any-origin": 'allowCredentials: true with allowOrigins "*"',
  "http-origin-with-credentials": "a plain-http origin (not loopback) with credentials",
  "public-suffix-pattern": "a subdomain pattern that covers a public suffix (anyone can register)",
  "public-suffix-unchecked": "a credentialed subdomain pattern with no Public Suffix List to check",
  "subdomain-pattern": "a subdomain pattern trusts every current and future subdomain",
  // allowMethods, allowHeaders, exposeHeaders
  "names-not-list": 'a name list is neither "*" nor a list',
  "name-not-token": "a method or header name is not an RFC 9110 token",
  "method-forbidden": "CONNECT, TRACE or TRACK",
  "method-normalized": "a method browsers always upper-case, written in lower case",
  "method-case-sensitive": "a method compared case-sensitively, not in upper case",
  "method-safelisted": "GET, HEAD or POST, which need no grant",
  "header-forbidden": "a forbidden request header scripts cannot set",
  "header-cors-protocol": "an Access-Control-* name: those are the protocol's own headers",
  "header-covered-by-any": 'a header name already covered by "*"',
  "expose-forbidden": "Set-Cookie or Set-Cookie2, which browsers never expose",
  "expose-safelisted": "a CORS-safelisted response header, readable without listing it",
  "expose-any-with-credentials": 'exposeHeaders "*" with credentials (read as a literal "*")',
  "header-value-too-large": "a precomputed header value is too large for proxies and CDNs",
  // maxAge
  "max-age-invalid": "maxAge is not a whole number of seconds or a duration",
  "max-age-too-large": "maxAge above 86400 s, the longest any browser caches",
  "max-age-above-engine-cap": "maxAge above one engine's cap (that engine caches less)",
  // routes
  "routes-not-list": "routes is not a list",
  "route-not-object": "a route is not an object",
  "route-path-invalid": 'a route path is not "/exact", "/prefix/*" or "*"',
  "route-path-not-canonical": "a route path that servers read in more than one way",
  // other options
  "mode-invalid": 'mode is neither "enforce" nor "report"',
  "path-case-invalid": 'pathCase is neither "sensitive" nor "insensitive"',
} as const;

export type IssueCode = keyof typeof ISSUE_CODES;

/** One problem found in a policy: what kind, where it is, and what to change. */
export interface PolicyIssue {
  /**
   * Stable identifier of the problem: one of `ISSUE_CODES` for the policy itself; the edge
   * layers add their own for their variables (`upstream-url-invalid`, …).
   */
  code: IssueCode | (string & {});
  /** Path into the policy, e.g. `allowOrigins[2]` or `routes[0].maxAge`; `""` for the whole. */
  path: string;
  /** What is wrong and what to change, in plain words. */
  message: string;
}

/** Render issues one per line, with their paths. */
export function formatIssues(issues: readonly PolicyIssue[]): string {
  return issues.map((i) => `  - ${i.path || "(policy)"}: ${i.message}`).join("\n");
}

/**
 * Thrown by `createCors` when a policy is invalid or insecure. `issues` lists every
 * problem found, not just the first; `warnings` the accepted-but-suspicious ones.
 */
export class CorsConfigError extends Error {
  override readonly name = "CorsConfigError";
  readonly issues: readonly PolicyIssue[];
  readonly warnings: readonly PolicyIssue[];

  constructor(issues: readonly PolicyIssue[], warnings: readonly PolicyIssue[] = []) {
    const count = issues.length;
    super(
      `Invalid CORS policy (${count} problem${count === 1 ? "" : "s"}):\n${formatIssues(issues)}`,
    );
    this.issues = issues;
    this.warnings = warnings;
  }
}

/** The policy options an issue path or message can name. */
export type OptionName =
  | "allowOrigins"
  | "allowCredentials"
  | "allowMethods"
  | "allowHeaders"
  | "exposeHeaders"
  | "maxAge"
  | "allowPrivateNetwork";

/** How an adapter names the options it maps onto the policy (Hono: `origin`, `credentials`). */
export type OptionLabels = Partial<Record<OptionName, string>>;

/** Where compile steps put what they find, and how they name options in messages. */
export interface IssueSink {
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
  label: (option: OptionName) => string;
}

export function newSink(labels: OptionLabels = {}): IssueSink {
  return { errors: [], warnings: [], label: (option) => labels[option] ?? option };
}

/**
 * An issue path with every option segment (`allowOrigins[1]`, `routes[0].allowCredentials`)
 * named as the adapter names it. Structured: only whole leading identifiers of segments change.
 */
export function labelPath(path: string, labels: OptionLabels): string {
  if (path === "") return path;
  return path
    .split(".")
    .map((segment) => {
      const end = segment.indexOf("[");
      const head = end < 0 ? segment : segment.slice(0, end);
      const label = Object.hasOwn(labels, head) ? labels[head as OptionName] : undefined;
      return label === undefined ? segment : label + segment.slice(head.length);
    })
    .join(".");
}

/** How a value of unknown type is named in a message: never `String(value)` (it may recurse). */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
  if (typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
  return `a ${typeof value}`;
}
