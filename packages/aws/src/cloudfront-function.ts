/**
 * `@edge-cors/aws/cloudfront-function` (Node only): generates a CloudFront Functions
 * (`cloudfront-js-2.0`) viewer-request function that answers CORS preflights from your policy,
 * within CloudFront Functions' 10 KB code limit. Every other request goes on unchanged.
 *
 * The function runs the core's own decision code: the policy is validated and compiled by the
 * core at build time, the compiled plans are inlined, and the core's `answerPreflight` (with
 * the origin matcher and the grant code it calls) is bundled by esbuild and tree-shaken. The
 * runtime documents ES 5.1 plus a few later features, so the bundle is lowered to ES5 with the
 * TypeScript compiler (`for…of`, destructuring, classes), and the core's `Set`/`Map` are
 * replaced by a small ES5 stand-in (the runtime documents neither).
 *
 * Needs the optional peer dependencies `esbuild` and `typescript`, and `fflate` (loaded by
 * `./build.ts`, whose policy loading this reuses).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { CorsConfigError, type PolicyIssue } from "@edge-cors/core";
import type { RouteRules } from "@edge-cors/core/internal";
import { build, transform } from "esbuild";
import { loadPolicy } from "./build.ts";

/** CloudFront Functions' quota on function code: 10 KB. */
export const CLOUDFRONT_FUNCTION_MAX_BYTES = 10 * 1024;

export interface BuildCloudFrontFunctionOptions {
  /** Path of the policy JSON file. */
  policyPath?: string;
  /** The policy itself (an object, or JSON text), instead of `policyPath`. */
  policy?: unknown;
  /** Also write the function code to this file (its directory is created if missing). */
  outFile?: string;
}

export interface BuildCloudFrontFunctionResult {
  /** The function code, for `aws cloudfront create-function --function-code fileb://…`. */
  code: string;
  /** Its size in bytes (UTF-8): at most CLOUDFRONT_FUNCTION_MAX_BYTES. */
  bytes: number;
  /** Where it was written, when `outFile` was given. */
  outFile?: string;
  /** Accepted-but-suspicious parts of the policy (e.g. Max-Age above an engine's cap). */
  warnings: readonly PolicyIssue[];
}

/** The runtime handler module next to this file (`.ts` in the workspace, `.js` once published). */
const HANDLER_MODULE = fileURLToPath(
  new URL(
    `./cloudfront-function-handler${extname(fileURLToPath(import.meta.url))}`,
    import.meta.url,
  ),
);

/** Global the bundle assigns the handler to; the top-level `function handler` calls it. */
const HANDLE = "__edgeCorsPreflight";

/**
 * ES5 stand-ins for the read-only `Set`s and `Map`s of compiled plans (string and number keys,
 * built once from arrays of distinct keys): `has`, `get` and `size`, which is all the bundled
 * core code uses at run time (the
 * differential test runs the function where Set and Map do not exist, so a use of anything
 * else fails there). The bundle runs inside a function whose parameters `Set` and `Map` are
 * these.
 */
const COLLECTIONS = `
function key(x) { return typeof x + ":" + x; }
function S(a) { a = a || []; var o = this.o = {}; for (var i = 0; i < a.length; i++) o[key(a[i])] = 1; this.size = a.length; }
S.prototype.has = function (x) { return key(x) in this.o; };
function M(a) { a = a || []; var o = this.o = {}; for (var i = 0; i < a.length; i++) o[key(a[i][0])] = a[i][1]; this.size = a.length; }
M.prototype.has = S.prototype.has;
M.prototype.get = function (x) { var k = key(x); return k in this.o ? this.o[k] : undefined; };
`;

/**
 * Property names of the compiled plans, the decision and the request facade, which no code
 * outside the bundle reads (CloudFront's event and response shapes, `get`/`has`/`size` of the
 * collection stand-ins and `headers` are not among them).
 */
const INTERNAL_PROPERTIES = new RegExp(
  `^(${[
    "exact",
    "suffixes",
    "suffixLengths",
    "anyPort",
    "suffixAnyPort",
    "names",
    "any",
    "answer",
    "echo",
    "allowOrigins",
    "allowCredentials",
    "allowMethods",
    "allowHeaders",
    "allowPrivateNetwork",
    "maxAge",
    "checkWebSocketOrigin",
    "preflightVary",
    "patterns",
    "routes",
    "base",
    "ambiguous",
    "pathCase",
    "foldPatterns",
    "literal",
    "folded",
    "prefix",
    "all",
    "kind",
    "rules",
    "origin",
    "allowed",
    "refusal",
    "refusedName",
    "requestedMethod",
    "requestedHeaders",
    "privateNetwork",
  ].join("|")})$`,
);

/** Policy options that need the response path, which a preflight-only function lacks. */
function preflightOnlyIssues(policy: unknown): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  if (typeof policy !== "object" || policy === null) return out;
  const p = policy as Record<string, unknown>;
  if (p.mode === "report") {
    out.push({
      code: "cloudfront-function-report-mode",
      path: "mode",
      message:
        '"report" lets preflights through to record the decision on the response; a CloudFront Function that only answers preflights cannot. Use Lambda@Edge for report mode.',
    });
  }
  const routes = Array.isArray(p.routes) ? (p.routes as unknown[]) : [];
  [p, ...routes].forEach((entry, i) => {
    if (
      typeof entry === "object" &&
      entry !== null &&
      (entry as Record<string, unknown>).decisionHeader === true
    ) {
      out.push({
        code: "cloudfront-function-decision-header",
        path: i === 0 ? "decisionHeader" : `routes[${i - 1}].decisionHeader`,
        message:
          "the X-Cors-Decision header is not produced by the CloudFront Function (it would exceed its size budget). Use Lambda@Edge or `edge-cors explain` to debug.",
      });
    }
  });
  return out;
}

/** Read, validate and compile once; throws `CorsConfigError` listing every problem. */
async function compileForFunction(options: BuildCloudFrontFunctionOptions) {
  let loaded: Awaited<ReturnType<typeof loadPolicy>> | null = null;
  let failure: CorsConfigError | null = null;
  try {
    // Every validation error, plus predicates/onDecision (functions cannot be inlined).
    loaded = await loadPolicy(options);
  } catch (e) {
    if (!(e instanceof CorsConfigError)) throw e;
    failure = e;
  }
  const raw =
    loaded?.policy ??
    (options.policyPath !== undefined
      ? safeParse(await readFile(options.policyPath, "utf8"))
      : options.policy);
  const refusals = preflightOnlyIssues(typeof raw === "string" ? safeParse(raw) : raw);
  if (failure !== null)
    throw new CorsConfigError([...failure.issues, ...refusals], failure.warnings);
  if (refusals.length > 0) throw new CorsConfigError(refusals, loaded!.warnings);
  const { base, patterns, routes, ambiguous, pathCase, foldPatterns } = loaded!.cors.compiled;
  // Without routes the function answers from the top level alone: no route-matching code.
  const plans =
    patterns.length === 0
      ? { base: answering(base) }
      : {
          base: answering(base),
          patterns: patterns.map(({ literal, folded, prefix, all }) => ({
            literal,
            folded,
            prefix,
            all,
          })),
          routes: routes.map(answering),
          // An ambiguous path is refused before anything else of its rules is read.
          ambiguous: {
            ambiguous: true,
            checkWebSocketOrigin: true,
            preflightVary: ambiguous.preflightVary,
          } as unknown as RouteRules,
          pathCase,
          foldPatterns,
        };
  return { plans, warnings: loaded!.warnings };
}

/**
 * The parts of compiled rules an answer reads (see `answerHeaders` in the core): what only
 * decorating a response or explaining needs (route name, expose list, Vary of responses, the
 * decision header, the predicate slot) is left out, to stay within the 10 KB code limit.
 */
function answering(rules: RouteRules): RouteRules {
  const { route, exposeHeaders, varyOrigin, decisionHeader, ...kept } = rules;
  const { predicate, ...origins } = kept.allowOrigins;
  // "*" is decided before any list is looked at.
  const allowOrigins = origins.any ? { any: true } : origins;
  return withoutFalse({ ...kept, allowOrigins }) as unknown as RouteRules;
}

/**
 * Leaves out `false` flags (the code only tests them for truth), except
 * `checkWebSocketOrigin`, whose absence would not mean the same.
 */
function withoutFalse(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === false && key !== "checkWebSocketOrigin") continue;
    const plain =
      typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
    out[key] = plain ? withoutFalse(v as Record<string, unknown>) : v;
  }
  return out;
}

function safeParse(text: unknown): unknown {
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** One level of `value` as source, with `child` producing the source of each nested value. */
function shallowLiteral(value: unknown, path: string, child: (v: unknown, p: string) => string) {
  if (value === undefined) return "undefined";
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} cannot be inlined`);
    return Object.is(value, -0) ? "-0" : String(value);
  }
  if (typeof value === "string") {
    // U+2028/U+2029 end a line inside an ES5 string literal; JSON.stringify leaves them raw.
    return JSON.stringify(value)
      .replace(/\u2028/g, "\\u2028")
      .replace(/\u2029/g, "\\u2029");
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => child(v, `${path}[${i}]`)).join(",")}]`;
  if (value instanceof Set) return `new Set(${child([...value], path)})`;
  if (value instanceof Map) return `new Map(${child([...value], path)})`;
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const parts = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${JSON.stringify(k)}:${child(v, `${path}.${k}`)}`,
    );
    return `{${parts.join(",")}}`;
  }
  throw new TypeError(`${path}: ${typeof value} cannot be inlined into a CloudFront Function`);
}

/** What `planLiteral` may declare once and share. */
const shareable = (v: unknown) => typeof v === "string" || (typeof v === "object" && v !== null);

/**
 * JavaScript that rebuilds `value`: JSON-like data plus `Set` and `Map` (the compiled plans
 * hold both). Objects and strings that occur more than once (a route repeats most of the top
 * level) are declared once in `declarations` and shared; the plans are only read. Anything else (a
 * function, a class instance) throws.
 */
export function planLiteral(value: unknown): { declarations: string; expression: string } {
  const plain = (v: unknown, p: string): string => shallowLiteral(v, p, plain);
  const counts = new Map<string, number>();
  const count = (v: unknown, p: string): string => {
    const s = shallowLiteral(v, p, count);
    if (shareable(v)) counts.set(s, (counts.get(s) ?? 0) + 1);
    return s;
  };
  count(value, "plans");
  const names = new Map<string, string>();
  const declarations: string[] = [];
  const emit = (v: unknown, p: string): string => {
    const s = plain(v, p);
    if (!shareable(v) || (counts.get(s) ?? 0) < 2 || s.length < 16) {
      return shallowLiteral(v, p, emit);
    }
    let name = names.get(s);
    if (name === undefined) {
      const source = shallowLiteral(v, p, emit); // declares the shared parts inside it first
      name = `shared${names.size}`;
      names.set(s, name);
      declarations.push(`var ${name} = ${source};`);
    }
    return name;
  };
  const expression = emit(value, "plans");
  return { declarations: declarations.join("\n"), expression };
}

/** Bundle the handler with the plans inlined, lower it to ES5, minify it. */
async function functionCode(
  plans: { declarations: string; expression: string },
  routed: boolean,
): Promise<string> {
  const create = routed ? "createFunctionHandler" : "createTopLevelHandler";
  const entry = [
    `import { ${create} } from ${JSON.stringify(HANDLER_MODULE)};`,
    `declare var ${HANDLE}: unknown;`,
    "// Compiled by edge-cors at build time from the validated policy.",
    plans.declarations,
    `${HANDLE} = ${create}(${plans.expression});`,
    "",
  ].join("\n");
  const bundled = await build({
    stdin: {
      contents: entry,
      resolveDir: dirname(HANDLER_MODULE),
      sourcefile: "cloudfront-function-entry.ts",
      loader: "ts",
    },
    bundle: true,
    platform: "neutral",
    mainFields: ["module", "main"],
    format: "iife",
    target: "es2020",
    treeShaking: true,
    // The compiled plans and the decision are internal to the bundle (the plans are inlined in
    // it, with quoted keys): their property names shrink to short ones, code and data alike.
    mangleProps: INTERNAL_PROPERTIES,
    mangleQuoted: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  // The runtime documents ES 5.1 plus const/let, arrows, template literals and rest parameters:
  // esbuild cannot lower for…of or destructuring, the TypeScript compiler can.
  const { default: ts } = await import("typescript");
  const es5 = ts.transpileModule(bundled.outputFiles[0]!.text, {
    fileName: "cloudfront-function.js",
    compilerOptions: {
      allowJs: true,
      target: ts.ScriptTarget.ES5,
      module: ts.ModuleKind.None,
      removeComments: true,
    },
  }).outputText;
  // Minify as ES5: esbuild refuses (throws) if any syntax beyond ES5 were left.
  const wrapped = `(function () {${COLLECTIONS}(function (Set, Map) {\n${es5}\n})(S, M);\n})();`;
  const min = await transform(wrapped, {
    minify: true,
    target: "es5",
    legalComments: "none",
    logLevel: "silent",
  });
  return [
    `var ${HANDLE};`,
    min.code.trim(),
    `function handler(event) { return ${HANDLE}(event); }`,
    "",
  ].join("\n");
}

/**
 * Validate the policy (a bad one fails, listing every problem), compile it with the core,
 * inline the compiled plans and bundle the core's preflight decision into a CloudFront
 * Functions `cloudfront-js-2.0` viewer-request function.
 *
 * Refused, with the reason: origin predicates and `onDecision` (functions cannot be inlined),
 * `mode: "report"` and `decisionHeader: true` (they need the response path). `routes` are supported:
 * the route is chosen on `event.request.uri`.
 */
export async function buildCloudFrontFunction(
  options: BuildCloudFrontFunctionOptions,
): Promise<BuildCloudFrontFunctionResult> {
  const { plans, warnings } = await compileForFunction(options);
  const code = await functionCode(planLiteral(plans), "patterns" in plans);
  const bytes = Buffer.byteLength(code, "utf8");
  if (bytes > CLOUDFRONT_FUNCTION_MAX_BYTES) {
    throw new CorsConfigError(
      [
        {
          code: "cloudfront-function-too-large",
          path: "",
          message: `the generated CloudFront Function is ${bytes} bytes, above CloudFront Functions' ${CLOUDFRONT_FUNCTION_MAX_BYTES}-byte code limit: shorten the origin lists (subdomain patterns) or use Lambda@Edge`,
        },
      ],
      warnings,
    );
  }
  const result: BuildCloudFrontFunctionResult = { code, bytes, warnings };
  if (options.outFile !== undefined) {
    await mkdir(dirname(options.outFile), { recursive: true });
    await writeFile(options.outFile, code);
    result.outFile = options.outFile;
  }
  return result;
}
