/**
 * `edge-cors bundle lambda-edge --policy <file> --out <dir>`: reads the policy like the other
 * commands, then hands it to the Lambda@Edge build (`@edge-cors/aws/build`, which
 * validates, inlines, bundles and zips). No build logic lives here.
 */
import type { PolicyIssue } from "@edge-cors/core";
import { style } from "../color.ts";
import { CliError, EXIT_OK, EXIT_PROBLEMS, type Io } from "../io.ts";
import { DEFAULT_VAR, readPolicy } from "../policy-file.ts";
import { renderCheck } from "./check.ts";

export interface BundleOptions {
  policy: string;
  out: string;
  env?: string;
  var?: string;
  json?: boolean;
  /** The decision log's level and rate (Lambda@Edge has no variables: they are built in). */
  decisionLog?: string;
  decisionLogRate?: string;
}

/** `--json` output of `bundle`. */
export interface BundleJson {
  command: "bundle";
  target: "lambda-edge";
  ok: boolean;
  policy: { source: string; errors: PolicyIssue[]; warnings: PolicyIssue[] };
  /** The written files; null when the policy is invalid. */
  output: { zipPath: string; bytes: number; jsPath: string; jsBytes: number } | null;
}

/**
 * The Lambda@Edge build (`@edge-cors/aws/build`), loaded only when bundling: it pulls in esbuild
 * and fflate, optional peer dependencies of the CLI that a plain install does not bring.
 */
async function loadBuild(): Promise<typeof import("@edge-cors/aws/build")> {
  try {
    return await import("@edge-cors/aws/build");
  } catch (e) {
    const missing = /Cannot find (?:package|module) '(esbuild|fflate)'/.exec(String(e))?.[1];
    if (missing === undefined) throw e;
    throw new CliError(
      "bundle-failed",
      `bundle needs esbuild and fflate (optional peer dependencies, "${missing}" is missing): install them next to @edge-cors/cli (npm i -D esbuild fflate, or npm i -g esbuild fflate for a global CLI)`,
    );
  }
}

export async function bundle(target: string, opts: BundleOptions, io: Io): Promise<number> {
  if (target !== "lambda-edge") {
    throw new CliError("usage", `unknown bundle target "${target}" (available: lambda-edge)`);
  }
  const src = await readPolicy(opts.policy, opts.env, opts.var ?? DEFAULT_VAR);
  const { buildLambdaEdge } = await loadBuild();
  const { CorsConfigError } = await import("@edge-cors/core");
  const out: BundleJson = {
    command: "bundle",
    target: "lambda-edge",
    ok: false,
    policy: { source: src.source, errors: [], warnings: [] },
    output: null,
  };
  try {
    const r = await buildLambdaEdge({
      policy: src.policy,
      outDir: opts.out,
      decisionLog: opts.decisionLog as "refused" | "all" | "off" | undefined,
      decisionLogRate:
        opts.decisionLogRate === undefined ? undefined : Number(opts.decisionLogRate),
    });
    out.ok = true;
    out.policy.warnings = [...r.warnings];
    out.output = { zipPath: r.zipPath, bytes: r.bytes, jsPath: r.jsPath, jsBytes: r.jsBytes };
  } catch (e) {
    if (!(e instanceof CorsConfigError)) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new CliError("bundle-failed", `bundling for Lambda@Edge failed: ${msg}`);
    }
    out.policy.errors = [...e.issues];
    out.policy.warnings = [...e.warnings];
  }
  if (opts.json) io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  else io.stdout(renderBundle(out, opts.policy, io.color));
  return out.ok ? EXIT_OK : EXIT_PROBLEMS;
}

function renderBundle(b: BundleJson, file: string, color: boolean): string {
  const s = style(color);
  const { errors, warnings } = b.policy;
  const check = renderCheck(
    {
      command: "check",
      ok: b.ok,
      file,
      policies: [{ source: b.policy.source, env: null, ok: b.ok, errors, warnings }],
      errors: errors.length,
      warnings: warnings.length,
    },
    color,
  );
  if (b.output === null) return check;
  const o = b.output;
  const head = check.split("\n").slice(0, -2).join("\n"); // without the PASS line
  return `${head}\n${s.green(s.bold("BUILT"))}  ${o.zipPath}: ${o.bytes} bytes zipped (index.js ${o.jsBytes} bytes), handler index.handler\n`;
}
