/** `edge-cors check <policy.json | wrangler.toml>`: validate a policy with the core. */
import { type PolicyIssue, validatePolicy } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import { style } from "../color.ts";
import { EXIT_OK, EXIT_PROBLEMS, type Io } from "../io.ts";
import { DEFAULT_VAR, readPolicies } from "../policy-file.ts";
import { plural } from "../render.ts";

export interface CheckOptions {
  json?: boolean;
  strict?: boolean;
  var?: string;
}

/** `--json` output of `check`. */
export interface CheckJson {
  command: "check";
  ok: boolean;
  file: string;
  policies: Array<{
    source: string;
    env: string | null;
    ok: boolean;
    errors: PolicyIssue[];
    warnings: PolicyIssue[];
  }>;
  errors: number;
  warnings: number;
}

export async function check(file: string, opts: CheckOptions, io: Io): Promise<number> {
  const found = await readPolicies(file, opts.var ?? DEFAULT_VAR);
  const policies = found.map(({ source, env, policy }) => {
    const { errors, warnings } = validatePolicy(policy, { publicSuffixes });
    const ok = errors.length === 0 && (!opts.strict || warnings.length === 0);
    return { source, env, ok, errors, warnings };
  });
  const result: CheckJson = {
    command: "check",
    ok: policies.every((p) => p.ok),
    file,
    policies,
    errors: policies.reduce((n, p) => n + p.errors.length, 0),
    warnings: policies.reduce((n, p) => n + p.warnings.length, 0),
  };
  if (opts.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(renderCheck(result, io.color));
  return result.ok ? EXIT_OK : EXIT_PROBLEMS;
}

export function renderCheck(r: CheckJson, color: boolean): string {
  const s = style(color);
  const lines: string[] = [];
  for (const p of r.policies) {
    lines.push(s.bold(p.source));
    for (const e of p.errors)
      lines.push(`  ${s.red("error  ")}  ${e.path || "(policy)"}: ${e.message}`);
    for (const w of p.warnings)
      lines.push(`  ${s.yellow("warning")}  ${w.path || "(policy)"}: ${w.message}`);
    if (p.errors.length === 0 && p.warnings.length === 0) lines.push(`  ${s.green("✓")} valid`);
  }
  const counts = `${plural(r.errors, "error")}, ${plural(r.warnings, "warning")}`;
  lines.push(
    r.ok ? `${s.green(s.bold("PASS"))}  ${counts}` : `${s.red(s.bold("FAIL"))}  ${counts}`,
  );
  return `${lines.join("\n")}\n`;
}
