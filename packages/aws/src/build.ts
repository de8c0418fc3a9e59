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
  ACRH_MAX_LENGTH,
  type Cors,
  CorsConfigError,
  loadCors,
  MAX_ORIGIN_LENGTH,
  type PolicyIssue,
} from "@edge-cors/core";
import { answerHeaders, MAX_ECHOED_METHOD_LENGTH, type RouteRules } from "@edge-cors/core/internal";
import {
  type DecisionLogLevel,
  levelFor,
  readDecisionLogLevel,
  readDecisionLogRate,
} from "@edge-cors/edge/decision-log";
import { publicSuffixes } from "@edge-cors/public-suffix";
import { build } from "esbuild";
import { zipSync } from "fflate";

export type { DecisionLogLevel } from "@edge-cors/edge/decision-log";

export interface BuildLambdaEdgeOptions {
  /** Path of the policy JSON file. */
  policyPath?: string;
  /** The policy itself (an object, or JSON text), instead of `policyPath`. */
  policy?: unknown;
  /** Directory for `index.js` and the zip (created if missing). */
  outDir: string;
  /** Zip file name. Default `lambda-edge.zip`. */
  zipName?: string;
  /**
   * The decision log (Lambda@Edge has no variables, so it is chosen here): `refused`, `all` or
   * `off`. Default: `refused` for a policy in `mode: "report"`, `off` in enforce mode. With
   * `off` the log is not bundled at all.
   */
  decisionLog?: DecisionLogLevel;
  /** Decision log lines per second per instance. Default 100. */
  decisionLogRate?: number;
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

/**
 * The handler module next to this file (`.ts` in the workspace, `.js` once published): the one
 * without the Public Suffix List, whose verdicts are inlined instead.
 */
const HANDLER = fileURLToPath(
  new URL(`./lambda-edge-handler${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/**
 * CloudFront's limit on a response a viewer-request function generates, headers and body:
 * 40 KB. A preflight answer beyond it becomes a 502.
 */
export const LAMBDA_EDGE_GENERATED_RESPONSE_MAX_BYTES = 40 * 1024;
/** Fixed timestamp in the zip, so the same policy always gives the same bytes. */
const ZIP_MTIME = new Date("2024-01-01T00:00:00Z");
/** Unix regular file, rw-r--r--: Lambda needs the code world-readable. */
const ZIP_FILE_ATTRS = 0o100644 << 16;

/** Functions (predicates, onDecision) cannot be inlined: list where they are. */
function functionPaths(value: unknown, path: string, out: PolicyIssue[], depth = 0): PolicyIssue[] {
  if (depth > 64) return out; // deeper than any policy option: validation reports it
  if (typeof value === "function") {
    out.push({
      code: "bundle-function",
      path,
      message: "is a function: a bundled policy must be JSON (list origins instead)",
    });
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) functionPaths(v, `${path}[${i}]`, out, depth + 1);
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value))
      functionPaths(v, path ? `${path}.${k}` : k, out, depth + 1);
  }
  return out;
}

/**
 * The largest preflight answer the rules can generate, in bytes of `name: value` lines: the
 * core renders a granted preflight whose request-dependent values (Origin, an echoed method or
 * header list) are as long as the core lets through.
 */
function largestPreflightAnswer(rules: RouteRules): number {
  const headers = answerHeaders({
    kind: "preflight",
    rules,
    origin: "o".repeat(MAX_ORIGIN_LENGTH),
    allowed: true,
    refusal: null,
    refusedName: null,
    requestedMethod: "M".repeat(MAX_ECHOED_METHOD_LENGTH),
    requestedHeaders: "h".repeat(ACRH_MAX_LENGTH),
    privateNetwork: rules.allowPrivateNetwork,
  });
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) bytes += name.length + 2 + value.length + 2;
  return bytes;
}

function answerSizeIssues(cors: Cors): PolicyIssue[] {
  const { base, routes, patterns } = cors.compiled;
  const issues: PolicyIssue[] = [];
  [base, ...routes].forEach((rules, i) => {
    const bytes = largestPreflightAnswer(rules);
    if (bytes > LAMBDA_EDGE_GENERATED_RESPONSE_MAX_BYTES) {
      issues.push({
        code: "lambda-edge-answer-too-large",
        path: i === 0 ? "" : `routes[${i - 1}]`,
        message: `${i === 0 ? "the policy" : `route "${patterns[i - 1]!.path}"`} can answer a preflight with ${bytes} bytes of headers, above CloudFront's ${LAMBDA_EDGE_GENERATED_RESPONSE_MAX_BYTES}-byte limit on generated responses (CloudFront would answer 502): shorten allowHeaders / allowMethods, or use "*"`,
      });
    }
  });
  return issues;
}

/**
 * Read, validate (with the Public Suffix List) and compile the policy once; throws
 * `CorsConfigError` listing every problem. Also returns the public-suffix verdicts the policy
 * needed, for inlining.
 */
export async function loadPolicy(
  options: Pick<BuildLambdaEdgeOptions, "policyPath" | "policy">,
): Promise<{
  policy: unknown;
  cors: Cors;
  suffixVerdicts: Record<string, string | null>;
  warnings: readonly PolicyIssue[];
}> {
  let input: unknown;
  if (options.policyPath !== undefined) {
    const text = await readFile(options.policyPath, "utf8");
    try {
      input = JSON.parse(text);
    } catch (e) {
      const detail = e instanceof Error ? e.message : "unreadable";
      throw new CorsConfigError([
        {
          code: "policy-not-json",
          path: "",
          message: `${options.policyPath} is not valid JSON: ${detail}`,
        },
      ]);
    }
  } else if (options.policy !== undefined) {
    input = options.policy;
  } else {
    throw new CorsConfigError([
      { code: "bundle-no-policy", path: "", message: "no policy: pass policyPath or policy" },
    ]);
  }
  const suffixVerdicts: Record<string, string | null> = {};
  const recordingLookup = (domain: string) => {
    const verdict = publicSuffixes(domain);
    suffixVerdicts[domain] = verdict;
    return verdict;
  };
  const loaded = loadCors(input, { publicSuffixes: recordingLookup });
  const policy: unknown = typeof input === "string" && loaded.ok ? JSON.parse(input) : input;
  const issues = [
    ...(loaded.ok ? answerSizeIssues(loaded.cors) : loaded.issues),
    ...functionPaths(policy, "", []),
  ];
  if (!loaded.ok || issues.length > 0) throw new CorsConfigError(issues, loaded.warnings);
  return { policy, cors: loaded.cors, suffixVerdicts, warnings: loaded.warnings };
}

interface EntryLog {
  level: DecisionLogLevel;
  rate: number;
  mode: "enforce" | "report";
}

/**
 * The decision log's settings for the entry, validated like the edge variables (problems name
 * the build options), or null when it is off: then it is not bundled.
 */
function decisionLogSettings(
  options: Pick<BuildLambdaEdgeOptions, "decisionLog" | "decisionLogRate">,
  cors: Cors,
): EntryLog | null {
  const issues: PolicyIssue[] = [];
  const level = readDecisionLogLevel(options.decisionLog, issues);
  const rate = readDecisionLogRate(options.decisionLogRate, issues);
  if (issues.length > 0) {
    const renamed = issues.map((issue) => ({
      ...issue,
      path: issue.path === "CORS_DECISION_LOG" ? "decisionLog" : "decisionLogRate",
    }));
    throw new CorsConfigError(renamed);
  }
  const mode = cors.compiled.mode;
  const resolved = levelFor(level, mode);
  return resolved === "off" ? null : { level: resolved, rate, mode };
}

/**
 * The entry module: the handler with the validated policy inlined as a literal, the Public
 * Suffix List's verdicts on its subdomain patterns (any other domain counts as public), and
 * the decision log when it is on.
 */
function entrySource(
  policy: unknown,
  suffixVerdicts: Record<string, string | null>,
  log: EntryLog | null,
): string {
  const observe =
    log === null
      ? ""
      : `, observe: new DecisionLog(${JSON.stringify({ level: log.level, rate: log.rate })}).observerFor(${JSON.stringify(log.mode)})`;
  return [
    `import { createCors } from "@edge-cors/core";`,
    ...(log === null ? [] : [`import { DecisionLog } from "@edge-cors/edge/decision-log";`]),
    `import { edgeHandlerFor } from ${JSON.stringify(HANDLER)};`,
    "// Validated at build time by edge-cors; inlined because Lambda@Edge has no environment variables.",
    `const verdicts = ${JSON.stringify(suffixVerdicts)};`,
    "const publicSuffixes = (domain) => (Object.hasOwn(verdicts, domain) ? verdicts[domain] : domain);",
    `export const handler = edgeHandlerFor(createCors(${JSON.stringify(policy)}, { publicSuffixes${observe} }));`,
    "",
  ].join("\n");
}

/** Validate, inline, bundle and zip. */
export async function buildLambdaEdge(
  options: BuildLambdaEdgeOptions,
): Promise<BuildLambdaEdgeResult> {
  const { policy, cors, suffixVerdicts, warnings } = await loadPolicy(options);
  const log = decisionLogSettings(options, cors);
  const out = await build({
    stdin: {
      contents: entrySource(policy, suffixVerdicts, log),
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
