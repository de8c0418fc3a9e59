/** Reads a policy from a JSON file or from the CORS_POLICY var of a wrangler.toml. */
import { readFile } from "node:fs/promises";
import { parse as parseToml, TomlError } from "smol-toml";
import { CliError } from "./io.ts";
import { findJsonSyntaxError } from "./json-position.ts";

/** One policy found in a file. */
export interface PolicySource {
  /** Where it came from: the file name, or e.g. `wrangler.toml [env.staging.vars] CORS_POLICY`. */
  source: string;
  /** The wrangler environment (`null` for the top-level `[vars]` or a JSON file). */
  env: string | null;
  /** The policy as parsed (validated later by the core). */
  policy: unknown;
}

export const DEFAULT_VAR = "CORS_POLICY";

export async function readText(file: string): Promise<string> {
  try {
    const text = await readFile(file, "utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CliError("file-not-found", `${file}: no such file`);
    if (code === "EISDIR") throw new CliError("file-unreadable", `${file}: is a directory`);
    if (code === "EACCES" || code === "EPERM")
      throw new CliError("file-unreadable", `${file}: permission denied`);
    throw new CliError("file-unreadable", `${file}: cannot read (${code ?? String(e)})`);
  }
}

/** JSON.parse with an error that names the line and column. `what` names the text in messages. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = findJsonSyntaxError(text);
    const detail =
      at === null
        ? e instanceof Error
          ? e.message
          : String(e)
        : `line ${at.line}, column ${at.column}: ${at.message}`;
    throw new CliError("invalid-json", `${what} is not valid JSON: ${detail}`);
  }
}

const isToml = (file: string) => file.toLowerCase().endsWith(".toml");

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A CORS_POLICY var: a JSON string or a TOML table. */
function varPolicy(value: unknown, source: string): unknown {
  return typeof value === "string" ? parseJson(value, source) : value;
}

/**
 * Every policy in `file`: a JSON file holds one; a wrangler.toml holds `[vars] CORS_POLICY` and
 * `[env.<name>.vars] CORS_POLICY` (wrangler does not inherit vars into environments).
 */
export async function readPolicies(file: string, varName = DEFAULT_VAR): Promise<PolicySource[]> {
  const text = await readText(file);
  if (!isToml(file)) return [{ source: file, env: null, policy: parseJson(text, file) }];
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split("\n")[0] ?? e.message;
      throw new CliError(
        "invalid-toml",
        `${file} is not valid TOML: line ${e.line}, column ${e.column}: ${first}`,
      );
    }
    throw new CliError("invalid-toml", `${file} is not valid TOML: ${String(e)}`);
  }
  const found: PolicySource[] = [];
  const top = doc.vars;
  if (isTable(top) && top[varName] !== undefined) {
    const source = `${file} [vars] ${varName}`;
    found.push({ source, env: null, policy: varPolicy(top[varName], source) });
  }
  if (isTable(doc.env)) {
    for (const [name, env] of Object.entries(doc.env)) {
      const vars = isTable(env) ? env.vars : undefined;
      if (isTable(vars) && vars[varName] !== undefined) {
        const source = `${file} [env.${name}.vars] ${varName}`;
        found.push({ source, env: name, policy: varPolicy(vars[varName], source) });
      }
    }
  }
  if (found.length === 0) {
    throw new CliError(
      "no-policy",
      `${file} sets no ${varName} in [vars] or [env.<name>.vars] (set it there, or check the JSON policy file instead)`,
    );
  }
  return found;
}

/** One policy for `explain`: the JSON file's, or the wrangler.toml's top-level or `env` one. */
export async function readPolicy(
  file: string,
  env: string | undefined,
  varName = DEFAULT_VAR,
): Promise<PolicySource> {
  if (!isToml(file)) {
    if (env !== undefined) throw new CliError("usage", "--env only applies to a wrangler.toml");
    return (await readPolicies(file, varName))[0]!;
  }
  const all = await readPolicies(file, varName);
  const hit = all.find((p) => p.env === (env ?? null));
  if (hit === undefined) {
    const where = env === undefined ? "[vars]" : `[env.${env}.vars]`;
    const have = all.map((p) => (p.env === null ? "(top level)" : p.env)).join(", ");
    throw new CliError(
      "no-policy",
      `${file} sets no ${varName} in ${where}; it has one for: ${have} (choose with --env)`,
    );
  }
  return hit;
}
