/**
 * `audit --fix`: the edge-cors policy that keeps what the --allow origins need and drops every
 * misconfiguration. It grants the --allow origins exactly (no reflection, no null, no
 * patterns), the methods and headers the audit saw them granted plus those of the audited
 * request (never the made-up ones of the reflection probes, never `*` with credentials), the
 * exposed headers, credentials when they are used, and a capped max-age. The core validates
 * it: list entries the core refuses are dropped, a refused max-age becomes Chromium's cap, and
 * anything else it refuses is reported.
 */
import { isSafelistedMethod, planRequest } from "@edge-cors/browser";
import {
  type CorsPolicy,
  ENGINE_MAX_AGE_CAPS,
  type PolicyIssue,
  validatePolicy,
} from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import { grantsCredentials } from "./judge.ts";
import { type AuditSettings, type FetchProbe, type ProbeResult, probeNames } from "./run.ts";

export interface FixResult {
  policy: CorsPolicy;
  /** What the core still refuses (the policy cannot be used as it stands). */
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
}

type Mutable = {
  allowOrigins: "*" | string[];
  allowCredentials?: boolean;
  allowMethods?: "*" | string[];
  allowHeaders?: "*" | string[];
  exposeHeaders?: "*" | string[];
  maxAge?: number;
};

const LISTS = ["allowMethods", "allowHeaders", "exposeHeaders"] as const;

/** A name list: `*` when it was granted and credentials are off, else the names (no `*`). */
function nameList(names: Set<string>, credentials: boolean): "*" | string[] | undefined {
  if (names.has("*") && !credentials) {
    // `*` never covers Authorization (Fetch §CORS non-wildcard request-header name).
    return names.has("authorization") ? (["*", "authorization"] as string[]) : "*";
  }
  const listed = [...names].filter((n) => n !== "*");
  return listed.length === 0 ? undefined : listed;
}

export function fixPolicy(s: AuditSettings, probes: readonly ProbeResult[]): FixResult {
  const names = probeNames(s.token);
  const baseline = probes.filter((p): p is FetchProbe => p.kind === "fetch" && p.crafted === null);
  const preflightChecks = [
    ...baseline.flatMap((p) => (p.report.preflight === null ? [] : [p.report.preflight])),
    ...probes.flatMap((p) => (p.kind === "preflight" ? [p.check] : [])),
  ];

  const planned = planRequest({
    url: s.url,
    origin: s.allow[0]!,
    method: s.method,
    headers: s.headers,
  });
  const methods = new Set<string>();
  const headers = new Set<string>(planned.unsafe.names);
  if (!isSafelistedMethod(planned.method)) methods.add(planned.method);
  for (const check of preflightChecks) {
    for (const m of check.allowedMethods ?? []) {
      if (m !== names.method && !isSafelistedMethod(m)) methods.add(m);
    }
    for (const h of check.allowedHeaders ?? []) if (h !== names.header) headers.add(h);
  }
  const exposed = new Set(baseline.flatMap((p) => p.report.exposure?.listed ?? []));

  const credentials = s.credentials || baseline.some(grantsCredentials);
  const publicData =
    !credentials &&
    baseline.length > 0 &&
    baseline.every((p) => p.report.ok && p.report.actual?.allowOrigin === "*");

  const policy: Mutable = { allowOrigins: publicData ? "*" : [...s.allow] };
  if (credentials) policy.allowCredentials = true;
  const lists = {
    allowMethods: nameList(methods, credentials),
    allowHeaders: nameList(headers, credentials),
    exposeHeaders: nameList(exposed, credentials),
  };
  for (const key of LISTS) if (lists[key] !== undefined) policy[key] = lists[key];
  const maxAge = preflightChecks.find((c) => c.maxAge.valid)?.maxAge.raw;
  if (maxAge != null) policy.maxAge = Number(maxAge);

  return validated(policy);
}

/** Validates with the core; drops refused list entries and caps a refused max-age, then reports the rest. */
function validated(policy: Mutable): FixResult {
  for (let pass = 0; ; pass++) {
    const { errors, warnings } = validatePolicy(policy, { publicSuffixes });
    const fixable = errors.filter(
      (e) =>
        e.path === "maxAge" || /^(allowMethods|allowHeaders|exposeHeaders)\[\d+\]$/.test(e.path),
    );
    if (errors.length === 0 || fixable.length === 0 || pass === 3) {
      return { policy: policy as CorsPolicy, errors, warnings };
    }
    for (const key of LISTS) {
      const list = policy[key];
      if (!Array.isArray(list)) continue;
      const refused = new Set(
        fixable.flatMap((e) =>
          e.path.startsWith(`${key}[`) ? [Number(e.path.slice(key.length + 1, -1))] : [],
        ),
      );
      const kept = list.filter((_n, i) => !refused.has(i));
      if (kept.length > 0) policy[key] = kept;
      else delete policy[key];
    }
    if (fixable.some((e) => e.path === "maxAge")) policy.maxAge = ENGINE_MAX_AGE_CAPS.chromium;
  }
}
