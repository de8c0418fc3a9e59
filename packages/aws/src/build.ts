/**
 * `@edge-cors/aws/build` (Node only): builds the deployable Lambda@Edge artefact: the CORS policy is read, validated (a bad
 * policy fails the build, listing every problem), inlined into the handler (Lambda@Edge has
 * no environment variables), bundled with esbuild and zipped with fflate, ready for
 * `aws lambda update-function-code --zip-file fileb://…`.
 *
 * Used by `workers/lambda-edge/build.ts` and by the CLI's `edge-cors bundle lambda-edge`.
 * Needs the optional peer dependencies `esbuild` and `fflate`.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CorsConfigError,
  type CorsPolicy,
  createCors,
  type PolicyIssue,
  parsePolicy,
  validatePolicy,
} from "@edge-cors/core";
import { build } from "esbuild";
import { zipSync } from "fflate";

export interface BuildLambdaEdgeOptions {
  /** Path of the policy JSON file. */
  policyPath?: string;
  /** The policy itself (an object, or JSON text), instead of `policyPath`. */
  policy?: unknown;
  /** Directory for `index.js` and the zip (created if missing). */
  outDir: string;
  /** Zip file name. Default `lambda-edge.zip`. */
  zipName?: string;
}

export interface BuildLambdaEdgeResult {
  /** The zip to upload; it holds `index.js` (handler setting: `index.handler`). */
  zipPath: string;
  /** Size of the zip in bytes. */
  bytes: number;
  /** The bundled handler, next to the zip, for inspection. */
  jsPath: string;
  jsBytes: number;
  /** Accepted-but-suspicious parts of the policy (e.g. Max-Age above an engine's cap). */
  warnings: readonly PolicyIssue[];
}

/** The handler module next to this file (`.ts` in the workspace, `.js` once published). */
const HANDLER = fileURLToPath(
  new URL(`./lambda-edge${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);
/** Fixed timestamp in the zip, so the same policy always gives the same bytes. */
const ZIP_MTIME = new Date("2024-01-01T00:00:00Z");
/** Unix regular file, rw-r--r--: Lambda needs the code world-readable. */
const ZIP_FILE_ATTRS = 0o100644 << 16;

/** Functions (predicates, onDecision) cannot be inlined: list where they are. */
function functionPaths(value: unknown, path: string, out: PolicyIssue[]): PolicyIssue[] {
  if (typeof value === "function") {
    out.push({
      path,
      message: "is a function: a bundled policy must be JSON (list origins instead)",
    });
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) functionPaths(v, `${path}[${i}]`, out);
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) functionPaths(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

/** Read and validate the policy; throws `CorsConfigError` listing every problem. */
export async function loadPolicy(
  options: Pick<BuildLambdaEdgeOptions, "policyPath" | "policy">,
): Promise<{
  policy: CorsPolicy;
  warnings: readonly PolicyIssue[];
}> {
  let policy: CorsPolicy;
  if (options.policyPath !== undefined) {
    policy = parsePolicy(await readFile(options.policyPath, "utf8"), options.policyPath);
  } else if (options.policy !== undefined) {
    policy = parsePolicy(options.policy);
  } else {
    throw new CorsConfigError([{ path: "", message: "no policy: pass policyPath or policy" }]);
  }
  const { errors, warnings } = validatePolicy(policy);
  const all = [...errors, ...functionPaths(policy, "", [])];
  if (all.length > 0) throw new CorsConfigError(all, warnings);
  createCors(policy); // The exact compile the handler runs at cold start.
  return { policy, warnings };
}

/** The entry module: the handler with the validated policy inlined as a literal. */
function entrySource(policy: CorsPolicy): string {
  return [
    `import { createEdgeHandler } from ${JSON.stringify(HANDLER)};`,
    "// Validated at build time by edge-cors; inlined because Lambda@Edge has no environment variables.",
    `export const handler = createEdgeHandler(${JSON.stringify(policy)});`,
    "",
  ].join("\n");
}

/** Validate, inline, bundle and zip. */
export async function buildLambdaEdge(
  options: BuildLambdaEdgeOptions,
): Promise<BuildLambdaEdgeResult> {
  const { policy, warnings } = await loadPolicy(options);
  const out = await build({
    stdin: {
      contents: entrySource(policy),
      resolveDir: fileURLToPath(new URL(".", import.meta.url)),
      sourcefile: "lambda-edge-entry.ts",
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    target: "node20",
    // CommonJS `index.js` works on every Lambda@Edge Node.js runtime with handler `index.handler`.
    format: "cjs",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const js = out.outputFiles[0]!.contents;
  const zip = zipSync({
    "index.js": [js, { level: 9, mtime: ZIP_MTIME, os: 3, attrs: ZIP_FILE_ATTRS }],
  });
  await mkdir(options.outDir, { recursive: true });
  const jsPath = join(options.outDir, "index.js");
  const zipPath = join(options.outDir, options.zipName ?? "lambda-edge.zip");
  await writeFile(jsPath, js);
  await writeFile(zipPath, zip);
  return { zipPath, bytes: zip.length, jsPath, jsBytes: js.length, warnings };
}
