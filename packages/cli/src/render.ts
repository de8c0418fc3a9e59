/** Small formatting helpers shared by the commands' human output. */
import { type Engine, engineProfile, type Finding } from "@edge-cors/browser";
import type { Style } from "./color.ts";
import type { BrowserVerdictJson, VerdictJson } from "./engine-verdicts.ts";

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Problems and warnings from the browser model: the header at fault, why, and the fix. */
export function findingLines(s: Style, kind: "problem" | "warning", f: Finding): string[] {
  const mark = kind === "problem" ? s.red("✗") : s.yellow("!");
  const head = f.header === undefined ? "" : `${s.bold(f.header)}: `;
  return [`  ${mark} ${head}${f.message}`, `      ${s.dim("fix:")} ${f.fix}`];
}

/** `name: value` lines, indented, names as sent. */
export function headerLines(
  s: Style,
  headers: Iterable<[string, string]>,
  indent = "    ",
): string[] {
  const out: string[] = [];
  for (const [name, value] of headers) out.push(`${indent}${s.dim(`${name}:`)} ${value}`);
  return out;
}

/** Verdict line at the end of a report. */
export function summary(s: Style, ok: boolean, problems: number, warnings: number): string {
  const counts =
    problems > 0
      ? `${plural(problems, "problem")}, ${plural(warnings, "warning")}`
      : plural(warnings, "warning");
  return ok ? `${s.green(s.bold("PASS"))}  ${counts}` : `${s.red(s.bold("FAIL"))}  ${counts}`;
}

const sameFinding = (a: Finding, b: Finding) =>
  a.code === b.code && a.message === b.message && a.fix === b.fix;
const codesOf = (v: VerdictJson) =>
  JSON.stringify([v.ok, v.problems.map((p) => p.code), v.warnings.map((w) => w.code)]);

/** "Chromium, Firefox and WebKit". */
function labelList(engines: Engine[]): string {
  const labels = engines.map((e) => engineProfile(e).label);
  return labels.length < 2
    ? labels.join("")
    : `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}`;
}

/**
 * The browser verdict: one summary with its findings when every selected engine agrees with the
 * Fetch standard; otherwise each ruleset side by side, each engine with the findings that are
 * its own. `heading` is printed before the summary (explain: "Browser verdict").
 */
export function browserVerdictLines(
  s: Style,
  b: BrowserVerdictJson,
  preflightSent: boolean,
  heading = "",
): string[] {
  const engines = (Object.keys(b.engines) as Engine[]).filter((e) => b.engines[e] !== undefined);
  const lines: string[] = [];
  const findings = (v: VerdictJson, skip: Finding[] = []) => [
    ...v.problems
      .filter((f) => !skip.some((x) => sameFinding(f, x)))
      .flatMap((f) => findingLines(s, "problem", f)),
    ...v.warnings
      .filter((f) => !skip.some((x) => sameFinding(f, x)))
      .flatMap((f) => findingLines(s, "warning", f)),
  ];
  const agree = engines.every((e) => codesOf(b.engines[e]!) === codesOf(b));
  if (agree) {
    lines.push(`${heading}${summary(s, b.ok, b.problems.length, b.warnings.length)}`);
    lines.push(...findings(b));
    if (engines.length > 0) lines.push(s.dim(`  Same verdict in ${labelList(engines)}.`));
  } else {
    lines.push(`${heading || "Verdict: "}${s.bold("the engines differ")}`);
    const width = Math.max(
      ...["standard", ...engines].map((r) => engineProfile(r as Engine).label.length),
    );
    const row = (label: string, v: VerdictJson) =>
      `  ${label.padEnd(width)}  ${summary(s, v.ok, v.problems.length, v.warnings.length)}`;
    const indent = (ls: string[]) => ls.map((l) => `  ${l}`);
    lines.push(row(engineProfile("standard").label, b), ...indent(findings(b)));
    const standardFindings = [...b.problems, ...b.warnings];
    for (const e of engines) {
      const v = b.engines[e]!;
      lines.push(row(engineProfile(e).label, v));
      const own = findings(v, standardFindings);
      lines.push(...(own.length > 0 ? indent(own) : [s.dim("      (no findings of its own)")]));
    }
  }
  const someoneOk = b.ok || engines.some((e) => b.engines[e]!.ok);
  if (preflightSent && someoneOk && engines.length > 0) {
    const reuse = engines.map((e) => `${engineProfile(e).label} ${b.engines[e]!.preflightCache} s`);
    lines.push(`  Preflight reuse (cache: ${b.cache}): ${reuse.join(", ")}`);
  }
  return lines;
}
