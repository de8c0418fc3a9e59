/**
 * `edge-cors audit <url> --allow <origin>…`: sends crafted Origin values (and preflights where
 * the request needs one) and reports every CORS misconfiguration, judged by the browser model.
 * `--fix` prints a validated edge-cors policy; `--verify` serves it through the local edge
 * layer in front of the URL and audits again. The work lives in src/audit/.
 */
import { randomBytes } from "node:crypto";
import { isSerializedOrigin } from "@edge-cors/browser";
import type { CorsPolicy, PolicyIssue } from "@edge-cors/core";
import { startLocalEdge } from "../audit/edge-server.ts";
import { countBySeverity, isMisconfiguration, type SeverityCounts } from "../audit/findings.ts";
import { fixPolicy } from "../audit/fix-policy.ts";
import { type AuditFinding, judge } from "../audit/judge.ts";
import { redactPairs } from "../audit/redact.ts";
import { renderAudit } from "../audit/report.ts";
import { type AuditSettings, runAudit } from "../audit/run.ts";
import { AUDIT_DEFAULTS } from "../defaults.ts";
import { CliError, EXIT_OK, EXIT_PROBLEMS, type Io } from "../io.ts";
import { browserRequest, parseHeaderFlag, planOrThrow } from "../request-flags.ts";
import { parseTimeout } from "./probe.ts";

export interface AuditOptions {
  allow: string[];
  method?: string;
  header?: string[];
  credentials?: boolean;
  cookie?: string;
  concurrency?: string;
  delay?: string;
  timeout?: string;
  maxRequests?: string;
  fix?: boolean;
  verify?: boolean;
  json?: boolean;
}

export { AUDIT_DEFAULTS } from "../defaults.ts";

/** One audit pass: what was sent and found. */
export interface AuditPass {
  url: string;
  requests: number;
  counts: SeverityCounts;
  findings: AuditFinding[];
}

/** `--json` output of `audit`. */
export interface AuditJson extends AuditPass {
  command: "audit";
  /** No finding above info (with --verify: through the edge layer). */
  ok: boolean;
  allow: string[];
  request: { method: string; headers: Array<[string, string]>; credentials: boolean };
  /** With --fix or --verify. */
  fix?: { policy: CorsPolicy; errors: PolicyIssue[]; warnings: PolicyIssue[] };
  /** With --verify: the same audit through the local edge layer serving `fix.policy`. */
  verify?: AuditPass & { upstream: string };
}

function wholeNumber(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
  dflt: number,
) {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliError("usage", `${flag} "${value}" must be a whole number from ${min} to ${max}`);
  }
  return n;
}

function settingsOf(url: string, opts: AuditOptions): AuditSettings {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new CliError(
      "invalid-url",
      `"${url}" is not an absolute URL (e.g. https://api.example.com/path)`,
    );
  }
  const allow = [...new Set(opts.allow)];
  for (const origin of allow) {
    // `*` parses as a host character, but it is a pattern here: the audit needs real origins.
    if (origin === "null" || origin.includes("*") || !isSerializedOrigin(origin)) {
      throw new CliError(
        "usage",
        `--allow "${origin}" must be an origin a browser sends, e.g. https://app.example.com (no path, no pattern, never null)`,
      );
    }
    if (origin === target.origin) {
      throw new CliError(
        "invalid-input",
        `--allow ${origin} is the URL's own origin: no CORS applies to it`,
      );
    }
    // What fetch() itself would reject (bad URL, method or header) is an input error.
    planOrThrow(browserRequest(url, { ...opts, origin }));
  }
  return {
    url,
    allow,
    method: opts.method ?? "GET",
    headers: (opts.header ?? []).map(parseHeaderFlag),
    credentials: opts.credentials === true,
    ...(opts.cookie === undefined ? {} : { cookie: opts.cookie }),
    timeoutMs: parseTimeout(opts.timeout),
    concurrency: wholeNumber("--concurrency", opts.concurrency, 1, 16, AUDIT_DEFAULTS.concurrency),
    delayMs: wholeNumber("--delay", opts.delay, 0, 60_000, AUDIT_DEFAULTS.delayMs),
    maxRequests: wholeNumber(
      "--max-requests",
      opts.maxRequests,
      1,
      10_000,
      AUDIT_DEFAULTS.maxRequests,
    ),
    token: randomBytes(4).toString("hex"),
  };
}

async function pass(s: AuditSettings) {
  const run = await runAudit(s);
  const findings = judge(run.probes);
  const result: AuditPass = {
    url: s.url,
    requests: run.requests,
    counts: countBySeverity(findings),
    findings,
  };
  return { run, result };
}

const failing = (p: AuditPass) => p.findings.some((f) => isMisconfiguration(f.severity));

export async function audit(url: string, opts: AuditOptions, io: Io): Promise<number> {
  const s = settingsOf(url, opts);
  const before = await pass(s);
  const out: AuditJson = {
    command: "audit",
    ok: !failing(before.result),
    ...before.result,
    allow: s.allow,
    request: { method: s.method, headers: redactPairs(s.headers), credentials: s.credentials },
  };
  if (opts.fix || opts.verify) out.fix = fixPolicy(s, before.run.probes);
  if (opts.verify && out.fix !== undefined) {
    if (out.fix.errors.length > 0) {
      const first = out.fix.errors[0]!;
      throw new CliError(
        "invalid-input",
        `--verify: the core refuses the fixed policy: ${first.path}: ${first.message}`,
      );
    }
    const target = new URL(url);
    const edge = await startLocalEdge(out.fix.policy, target.origin, s.timeoutMs);
    try {
      const through = `${edge.origin}${target.pathname}${target.search}`;
      const after = await pass({ ...s, url: through, token: randomBytes(4).toString("hex") });
      out.verify = { ...after.result, upstream: target.origin };
      out.ok = !failing(after.result);
    } finally {
      await edge.close();
    }
  }
  if (opts.json) io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  else io.stdout(renderAudit(out, io.color));
  return out.ok ? EXIT_OK : EXIT_PROBLEMS;
}
