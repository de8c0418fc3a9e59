/**
 * Every finding `edge-cors audit` reports: its stable id, title, why it is exploitable, the fix,
 * and its severity. The one severity table: docs/cli.md documents it as it stands here.
 */

export const SEVERITIES = ["high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severities that count as a misconfiguration (exit 1); `info` findings are notes. */
export function isMisconfiguration(severity: Severity): boolean {
  return severity !== "info";
}

export const FINDING_IDS = [
  "origin-reflected",
  "null-origin-allowed",
  "prefix-bypass",
  "suffix-bypass",
  "unescaped-dot-bypass",
  "special-char-bypass",
  "http-origin-trusted",
  "any-subdomain-trusted",
  "wildcard-with-credentials",
  "missing-vary-origin",
  "preflight-reflects-headers",
  "preflight-reflects-methods",
  "max-age-excessive",
  "wildcard-origin",
  "allowed-origin-refused",
] as const;
export type FindingId = (typeof FINDING_IDS)[number];

export interface FindingKind {
  title: string;
  /** Why an attacker can use it. */
  why: string;
  fix: string;
  /** When the grant carries credentials (`ACAO` exact + `ACAC: true`), and when it does not. */
  severity: { credentialed: Severity; withoutCredentials: Severity };
  /** Findings whose presence makes this one redundant (it is reported inside theirs). */
  impliedBy?: FindingId[];
}

const both = (s: Severity) => ({ credentialed: s, withoutCredentials: s });
const FIX_BY_POLICY = "`edge-cors audit --fix` prints a policy that does this";

export const FINDINGS: Record<FindingId, FindingKind> = {
  "origin-reflected": {
    title: "any Origin is reflected",
    why: "The server copies the request's Origin into Access-Control-Allow-Origin, so every website can read the responses (with the visitor's cookies when Access-Control-Allow-Credentials is true).",
    fix: `compare Origin against an exact allowlist and send it back only when it matches; ${FIX_BY_POLICY}`,
    severity: { credentialed: "high", withoutCredentials: "low" },
  },
  "null-origin-allowed": {
    title: "the null origin is trusted",
    why: "Any page can send Origin: null from a sandboxed iframe or a data: URL, so trusting null trusts every website.",
    fix: 'never allow "null"; serve callers from a real origin',
    severity: { credentialed: "high", withoutCredentials: "low" },
  },
  "prefix-bypass": {
    title: "a prefix match lets other hosts through",
    why: "The check only looks at how the origin starts, so an attacker's host such as app.example.com.evil.example passes.",
    fix: `match the whole origin exactly (anchor a pattern at both ends); ${FIX_BY_POLICY}`,
    severity: { credentialed: "high", withoutCredentials: "low" },
    impliedBy: ["origin-reflected"],
  },
  "suffix-bypass": {
    title: "a suffix match lets other domains through",
    why: "The check only looks at how the origin ends, so a domain anyone can register, such as evilexample.com, passes.",
    fix: `match whole labels: an exact origin, or a subdomain pattern (https://*.example.com), which never matches evilexample.com; ${FIX_BY_POLICY}`,
    severity: { credentialed: "high", withoutCredentials: "low" },
    impliedBy: ["origin-reflected"],
  },
  "unescaped-dot-bypass": {
    title: "an unescaped dot in a pattern matches any character",
    why: "A regular expression with an unescaped '.' accepts any character there, so a registrable look-alike such as appxexample.com passes.",
    fix: `escape dots in origin patterns (app\\.example\\.com) or compare origins as exact strings; ${FIX_BY_POLICY}`,
    severity: { credentialed: "high", withoutCredentials: "low" },
    impliedBy: ["origin-reflected", "suffix-bypass"],
  },
  "special-char-bypass": {
    title: "characters after the allowed host are ignored",
    why: "The check stops at a character such as _ - } ` ! ~ after the allowed host, and some browsers send such hosts, so an origin like app.example.com_.evil.example passes.",
    fix: `compare the whole origin, not a prefix up to the first unusual character; ${FIX_BY_POLICY}`,
    severity: { credentialed: "medium", withoutCredentials: "low" },
    impliedBy: ["origin-reflected", "prefix-bypass"],
  },
  "http-origin-trusted": {
    title: "the plain-http twin of an https origin is trusted",
    why: "A network attacker (public Wi-Fi, a hostile proxy) can inject a script into the http:// page and read the API from it, which undoes TLS.",
    fix: `allow only https:// origins, at least for credentialed requests; ${FIX_BY_POLICY}`,
    severity: { credentialed: "medium", withoutCredentials: "low" },
    impliedBy: ["origin-reflected"],
  },
  "any-subdomain-trusted": {
    title: "any subdomain is trusted",
    why: "An unregistered-looking random subdomain is granted, so XSS or a takeover on any subdomain, now or later, gives full access.",
    fix: `list the subdomains you trust instead of trusting them all; ${FIX_BY_POLICY}`,
    severity: { credentialed: "medium", withoutCredentials: "low" },
    impliedBy: ["origin-reflected", "suffix-bypass"],
  },
  "wildcard-with-credentials": {
    title: "Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true",
    why: "Browsers refuse this combination, so credentialed calls fail; servers 'fixed' this way often end up reflecting Origin instead, which hands every website your users' sessions.",
    fix: "choose one: * without credentials for public data, or the exact allowed origin with Access-Control-Allow-Credentials: true",
    severity: both("low"),
  },
  "missing-vary-origin": {
    title: "the grant depends on Origin but Vary lacks it",
    why: "A shared or browser cache can store one origin's answer and serve it to another: cache poisoning that breaks allowed callers or leaks a grant.",
    fix: "send Vary: Origin on every response whose CORS headers depend on Origin, allowed or refused (the edge-cors core does)",
    severity: both("low"),
  },
  "preflight-reflects-headers": {
    title: "the preflight grants any request header it is asked for",
    why: "Access-Control-Allow-Headers echoes Access-Control-Request-Headers, so headers nobody reviewed (Authorization, custom auth headers) are granted.",
    fix: `list the request headers you accept in Access-Control-Allow-Headers; ${FIX_BY_POLICY}`,
    severity: { credentialed: "low", withoutCredentials: "info" },
  },
  "preflight-reflects-methods": {
    title: "the preflight grants any method it is asked for",
    why: "Access-Control-Allow-Methods echoes Access-Control-Request-Method, so methods nobody reviewed (DELETE, custom verbs) are granted.",
    fix: `list the methods you accept in Access-Control-Allow-Methods; ${FIX_BY_POLICY}`,
    severity: { credentialed: "low", withoutCredentials: "info" },
  },
  "max-age-excessive": {
    title: "Access-Control-Max-Age above 86400 s",
    why: "Every engine caps it (Chromium 7200 s, Firefox 86400 s, WebKit 600 s); a value this long only shows the grant is meant to outlive a revocation.",
    fix: "send Access-Control-Max-Age: 7200 or less",
    severity: both("low"),
  },
  "wildcard-origin": {
    title: "every origin may read responses without credentials (*)",
    why: "Fine for public data. Not for intranet or IP-authenticated resources: any website a visitor opens can read them through the visitor's network position.",
    fix: "keep * only for public data; otherwise list the origins that need access",
    severity: both("info"),
    impliedBy: ["wildcard-with-credentials"],
  },
  "allowed-origin-refused": {
    title: "an allowed origin is refused",
    why: "A browser blocks the request from an origin that --allow says must work, so the audit could not see what it is granted.",
    fix: `grant the allowed origin what it needs; ${FIX_BY_POLICY}`,
    severity: both("info"),
    impliedBy: ["wildcard-with-credentials"],
  },
};

export function severityOf(id: FindingId, credentialed: boolean): Severity {
  const s = FINDINGS[id].severity;
  return credentialed ? s.credentialed : s.withoutCredentials;
}

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: ReadonlyArray<{ severity: Severity }>): SeverityCounts {
  const counts: SeverityCounts = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
