/** Small formatting helpers shared by the commands' human output. */
import type { Finding } from "@edge-cors/browser";
import type { Style } from "./color.ts";

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
