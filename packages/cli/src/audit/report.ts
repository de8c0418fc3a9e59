/** Human output of `edge-cors audit`: the findings table, each finding's evidence, the fix, verify. */
import { type Style, style } from "../color.ts";
import type { AuditJson, AuditPass } from "../commands/audit.ts";
import { headerLines, plural } from "../render.ts";
import { isMisconfiguration, SEVERITIES, type Severity, type SeverityCounts } from "./findings.ts";
import type { AuditFinding, EvidenceStep } from "./judge.ts";

function paint(s: Style, severity: Severity, text: string): string {
  if (severity === "high") return s.red(s.bold(text));
  if (severity === "medium") return s.yellow(text);
  if (severity === "low") return s.cyan(text);
  return s.dim(text);
}

/** `3 findings (1 high, 2 low)`, or `0 findings`. */
export function countsLine(counts: SeverityCounts): string {
  const total = SEVERITIES.reduce((n, sev) => n + counts[sev], 0);
  const parts = SEVERITIES.filter((sev) => counts[sev] > 0).map((sev) => `${counts[sev]} ${sev}`);
  return `${plural(total, "finding")}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
}

function table(s: Style, findings: AuditFinding[]): string[] {
  const idWidth = Math.max(...findings.map((f) => f.id.length));
  return [
    s.bold(`${"SEVERITY".padEnd(9)} ${"FINDING".padEnd(idWidth)}  ORIGIN SENT`),
    ...findings.map((f) =>
      `${paint(s, f.severity, f.severity.padEnd(9))} ${f.id.padEnd(idWidth)}  ${f.evidence.origin ?? ""}`.trimEnd(),
    ),
  ];
}

function stepLines(s: Style, step: EvidenceStep): string[] {
  const lines: string[] = [];
  const cred = step.request.credentials ? s.dim(" (with credentials)") : "";
  lines.push(`  ${s.cyan("→")} ${step.request.method} ${step.request.url}${cred}`);
  lines.push(...headerLines(s, Object.entries(step.request.headers), "      "));
  if (step.response === null) {
    lines.push(`  ${s.cyan("←")} ${s.red("no response")}`);
    return lines;
  }
  lines.push(`  ${s.cyan("←")} ${step.response.status}`);
  lines.push(
    ...(step.response.headers.length > 0
      ? headerLines(s, step.response.headers, "      ")
      : [`      ${s.dim("(no Access-Control-* or Vary headers)")}`]),
  );
  return lines;
}

function findingBlock(s: Style, f: AuditFinding): string[] {
  const lines = [`${paint(s, f.severity, f.severity.toUpperCase())}  ${s.bold(f.id)}: ${f.title}`];
  for (const step of f.evidence.steps) lines.push(...stepLines(s, step));
  lines.push(`  ${s.dim("why:")} ${f.why}`);
  lines.push(`  ${s.dim("fix:")} ${f.fix}`);
  if (f.evidence.alsoGranted.length > 0) {
    lines.push(`  ${s.dim("also granted:")} ${f.evidence.alsoGranted.join(", ")}`);
  }
  return lines;
}

function passLines(s: Style, p: AuditPass): string[] {
  if (p.findings.length === 0) return ["No findings: every crafted origin was refused."];
  const lines = table(s, p.findings);
  for (const f of p.findings) lines.push("", ...findingBlock(s, f));
  return lines;
}

function verdict(s: Style, p: AuditPass): string {
  const ok = !p.findings.some((f) => isMisconfiguration(f.severity));
  return `${ok ? s.green(s.bold("PASS")) : s.red(s.bold("FAIL"))}  ${countsLine(p.counts)}`;
}

export function renderAudit(a: AuditJson, color: boolean): string {
  const s = style(color);
  const cred = a.request.credentials ? ' (credentials: "include")' : "";
  const lines = [
    `${s.bold("Audit")} ${a.request.method} ${a.url}${cred}`,
    `Allowed: ${a.allow.join(", ")}`,
    `${plural(a.requests, "request")} sent`,
    "",
    ...passLines(s, a),
    "",
    verdict(s, a),
  ];
  if (a.fix !== undefined) {
    lines.push("", `${s.bold("Fixed policy")} (validated by @edge-cors/core):`);
    lines.push(JSON.stringify(a.fix.policy, null, 2));
    for (const e of a.fix.errors) lines.push(`  ${s.red("✗")} ${e.path}: ${e.message}`);
    for (const w of a.fix.warnings) lines.push(`  ${s.yellow("!")} ${w.path}: ${w.message}`);
  }
  if (a.verify !== undefined) {
    const v = a.verify;
    lines.push(
      "",
      `${s.bold("Verify")}: the edge layer with this policy on ${new URL(v.url).origin}, in front of ${v.upstream} (replace mode)`,
      `  before: ${countsLine(a.counts)}, ${plural(a.requests, "request")}`,
      `  after:  ${countsLine(v.counts)}, ${plural(v.requests, "request")}`,
    );
    if (v.findings.length > 0) lines.push("", ...passLines(s, v));
    lines.push("", verdict(s, v));
  }
  return `${lines.join("\n")}\n`;
}
