import {
  describeValue,
  type IssueSink,
  labelPath,
  newSink,
  type OptionLabels,
  type OptionName,
  type PolicyIssue,
} from "./issues.ts";
import { parseMaxAge } from "./max-age.ts";
import { compileNames, type NameSet } from "./names.ts";
import { compileOrigins, type OriginMatcher, type PublicSuffixLookup } from "./origins.ts";
import type { PathCase } from "./paths.ts";
import type { CorsPolicy, Decision } from "./policy.ts";
import { compilePathPattern, type PathPattern, patternsFold } from "./routes.ts";

/** A compiled `allowMethods` or `allowHeaders`: the names, and how a preflight answer says them. */
export interface CompiledNameList {
  /** `*` is listed. */
  any: boolean;
  /** The listed names (methods as written, header names lower-case). */
  names: Set<string>;
  /** The answer's static header value, or `null` (omitted, or echoed when `echo`). */
  answer: string | null;
  /** With credentials a `*` is read literally: answer with the validated names asked for. */
  echo: boolean;
}

/**
 * The top-level policy, or one route merged over it, compiled: every option in the form the
 * request path needs, every header value that does not depend on the request precomputed.
 * Plain data (Sets and Maps included), so a code generator can inline it.
 */
export interface RouteRules {
  /** The `routes[].path` these rules come from, or `null` for the top level. */
  route: string | null;
  allowOrigins: OriginMatcher;
  allowCredentials: boolean;
  allowMethods: CompiledNameList;
  allowHeaders: CompiledNameList;
  /** The `Access-Control-Expose-Headers` value, or `null` for none. */
  exposeHeaders: string | null;
  /** Seconds, or `null` when no `Access-Control-Max-Age` is sent. */
  maxAge: number | null;
  allowPrivateNetwork: boolean;
  checkWebSocketOrigin: boolean;
  decisionHeader: boolean;
  /** Does any response header depend on the request's Origin? False only for `"*"`. */
  varyOrigin: boolean;
  /** `Vary` of every preflight answer, granted or refused. */
  preflightVary: string;
  /** Only for the rules that answer ambiguous paths: refuse everything. */
  ambiguous: boolean;
}

/** The whole compiled policy. */
export interface CompiledPolicy {
  base: RouteRules;
  /** `routes[i]` holds the rules for `patterns[i]`. */
  patterns: PathPattern[];
  routes: RouteRules[];
  /** Refusing rules for paths whose readings select different routes (see `selectRoute`). */
  ambiguous: RouteRules;
  pathCase: PathCase;
  /** Route patterns are also matched in lower case (see `patternsFold`). */
  foldPatterns: boolean;
  mode: "enforce" | "report";
  onDecision: ((decision: Decision) => void) | null;
}

export interface CompileOptions {
  /** The Public Suffix List check for subdomain patterns (see `PublicSuffixLookup`). */
  publicSuffixes?: PublicSuffixLookup | null;
  /**
   * How the caller names the options, in issue paths and messages: an adapter that maps its
   * own options onto the policy (Hono: `{ allowOrigins: "origin", allowCredentials: "credentials" }`).
   */
  optionLabels?: OptionLabels;
  /**
   * Also told about every decision, like a policy's `onDecision`, for runtimes whose policy is
   * JSON (the edge layers' decision log). Both are called when both are set.
   */
  observe?: ((decision: Decision) => void) | null;
}

/** At most this many routes. */
export const MAX_ROUTES = 256;
/** A precomputed header value beyond this many bytes draws a warning (proxies cap header size). */
export const HEADER_VALUE_WARN_BYTES = 8192;

const ROUTE_KEYS = [
  "allowOrigins",
  "allowCredentials",
  "allowMethods",
  "allowHeaders",
  "exposeHeaders",
  "allowPrivateNetwork",
  "maxAge",
  "checkWebSocketOrigin",
  "decisionHeader",
  "$schema",
  "description",
] as const;
const TOP_KEYS = new Set<string>([...ROUTE_KEYS, "routes", "mode", "onDecision", "pathCase"]);
const ROUTE_KEY_SET = new Set<string>([...ROUTE_KEYS, "path"]);

/** Options of hono/cors, express/cors and older edge-cors people write by habit. */
const RENAMED: Record<string, string> = {
  origin: "allowOrigins",
  origins: "allowOrigins",
  allowOrigin: "allowOrigins",
  allowedOrigins: "allowOrigins",
  credentials: "allowCredentials",
  methods: "allowMethods",
  allowedHeaders: "allowHeaders",
  exposedHeaders: "exposeHeaders",
  maxAgeSeconds: "maxAge",
  debug: "decisionHeader",
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkKeys(
  object: Record<string, unknown>,
  allowed: Set<string>,
  prefix: string,
  sink: IssueSink,
): void {
  for (const key of Object.keys(object)) {
    if (allowed.has(key)) continue;
    const renamed = Object.hasOwn(RENAMED, key) ? RENAMED[key] : undefined;
    const hint = renamed ? ` — did you mean "${sink.label(renamed as OptionName)}"?` : "";
    sink.errors.push({
      code: "unknown-option",
      path: prefix + key,
      message: `unknown option${hint}`,
    });
  }
}

/** A boolean option; a wrong type is reported only to `sink` (null: reported elsewhere). */
function readBoolean(
  object: Record<string, unknown>,
  key: string,
  fallback: boolean,
  at: string,
  sink: IssueSink | null,
): boolean {
  const value = object[key];
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    sink?.errors.push({
      code: "wrong-type",
      path: at,
      message: `must be true or false, got ${describeValue(value)}`,
    });
    return fallback;
  }
  return value;
}

/**
 * Compiled option values by identity (and credentials), so that routes which inherit a
 * top-level list share its compiled form: 10 000 origins and 50 routes parse the origins once.
 * Each entry keeps the issues found, reported once, where the value first appeared.
 */
class OptionMemo {
  readonly #labels: OptionLabels;
  readonly #entries = new Map<unknown, Map<string, { value: unknown; sink: IssueSink }>>();

  constructor(labels: OptionLabels) {
    this.#labels = labels;
  }

  get<T>(value: unknown, variant: string, compile: (sink: IssueSink) => T) {
    let byVariant = this.#entries.get(value);
    if (byVariant === undefined) {
      byVariant = new Map();
      this.#entries.set(value, byVariant);
    }
    let entry = byVariant.get(variant);
    const fresh = entry === undefined;
    if (entry === undefined) {
      const sink = newSink(this.#labels);
      entry = { value: compile(sink), sink };
      byVariant.set(variant, entry);
    }
    return { value: entry.value as T, sink: entry.sink, fresh };
  }
}

/** Copy `from`'s issues into `to`, with paths under `prefix`. */
function report(from: IssueSink, prefix: string, to: IssueSink): void {
  for (const issue of from.errors) to.errors.push(prefixed(issue, prefix));
  for (const issue of from.warnings) to.warnings.push(prefixed(issue, prefix));
}

function prefixed(issue: PolicyIssue, prefix: string): PolicyIssue {
  return prefix === "" ? issue : { ...issue, path: prefix + issue.path };
}

function answerFor(set: NameSet, credentials: boolean, withAuthorization: boolean) {
  if (set.any && credentials) return { answer: null, echo: true };
  if (set.any)
    return {
      answer: withAuthorization && set.names.has("authorization") ? "*, authorization" : "*",
      echo: false,
    };
  return { answer: set.list.length > 0 ? set.list.join(", ") : null, echo: false };
}

/**
 * Compile one rule set: the top level (`route` null), or a route merged over it. `own` holds
 * the keys the route itself sets: issues of inherited values were reported at the top level.
 */
function compileRules(
  options: Record<string, unknown>,
  route: string | null,
  own: ReadonlySet<string> | null,
  prefix: string,
  memo: OptionMemo,
  publicSuffixes: PublicSuffixLookup | null,
  sink: IssueSink,
): RouteRules {
  const owns = (key: string) => own === null || own.has(key);
  const flag = (key: string, fallback: boolean) =>
    readBoolean(options, key, fallback, prefix + key, owns(key) ? sink : null);
  const credentials = flag("allowCredentials", false);
  const allowPrivateNetwork = flag("allowPrivateNetwork", false);
  const checkWebSocketOrigin = flag("checkWebSocketOrigin", true);
  const decisionHeader = flag("decisionHeader", false);
  const variant = credentials ? "credentials" : "";

  const compiled = <T>(key: string, compile: (s: IssueSink) => T): T => {
    const value = options[key];
    const result = memo.get(value, `${key}:${variant}`, compile);
    if (result.fresh || owns(key)) report(result.sink, prefix, sink);
    return result.value;
  };
  const allowOrigins = compiled("allowOrigins", (s) =>
    compileOrigins(options.allowOrigins, credentials, publicSuffixes, s),
  );
  const methods = compiled("allowMethods", (s) =>
    compileNames("allowMethods", options.allowMethods, credentials, s),
  );
  const headers = compiled("allowHeaders", (s) =>
    compileNames("allowHeaders", options.allowHeaders, credentials, s),
  );
  const expose = compiled("exposeHeaders", (s) =>
    compileNames("exposeHeaders", options.exposeHeaders, credentials, s),
  );
  const maxAge = compiled("maxAge", (s) => parseMaxAge(options.maxAge, s));

  if (
    credentials &&
    options.allowOrigins === "*" &&
    (owns("allowCredentials") || owns("allowOrigins"))
  ) {
    sink.errors.push({
      code: "credentials-with-any-origin",
      path: `${prefix}allowCredentials`,
      message: `cannot be true while ${sink.label("allowOrigins")} is "*"`,
    });
  }

  const allowMethods: CompiledNameList = {
    any: methods.any,
    names: methods.names,
    ...answerFor(methods, credentials, false),
  };
  const allowHeaders: CompiledNameList = {
    any: headers.any,
    names: headers.names,
    ...answerFor(headers, credentials, true),
  };
  const exposeHeaders = expose.any ? "*" : expose.list.length > 0 ? expose.list.join(", ") : null;
  for (const [name, value] of [
    ["allowMethods", allowMethods.answer],
    ["allowHeaders", allowHeaders.answer],
    ["exposeHeaders", exposeHeaders],
  ] as const) {
    if (value !== null && value.length > HEADER_VALUE_WARN_BYTES && owns(name)) {
      sink.warnings.push({
        code: "header-value-too-large",
        path: prefix + name,
        message: `makes a ${value.length}-byte header value: many proxies and CDNs refuse headers beyond 8 KiB (CloudFront's generated responses end at 40 KB)`,
      });
    }
  }

  // The answer depends on Origin unless it is a static "*" — and the decision header names it.
  const varyOrigin = !allowOrigins.any || decisionHeader;
  const preflightVary = [
    ...(varyOrigin ? ["Origin"] : []),
    "Access-Control-Request-Method",
    "Access-Control-Request-Headers",
    ...(allowPrivateNetwork ? ["Access-Control-Request-Private-Network"] : []),
  ].join(", ");
  return {
    route,
    allowOrigins,
    allowCredentials: credentials,
    allowMethods,
    allowHeaders,
    exposeHeaders,
    maxAge: maxAge ?? null,
    allowPrivateNetwork,
    checkWebSocketOrigin,
    decisionHeader,
    varyOrigin,
    preflightVary,
    ambiguous: false,
  };
}

/** Rules that refuse everything, with the widest Vary of all `rules`: for ambiguous paths. */
function ambiguousRules(all: readonly RouteRules[]): RouteRules {
  const varyOrigin = all.some((r) => r.varyOrigin);
  const privateNetwork = all.some((r) => r.allowPrivateNetwork);
  const nothing: CompiledNameList = { any: false, names: new Set(), answer: null, echo: false };
  return {
    route: null,
    allowOrigins: compileOrigins([], false, null, newSink()),
    allowCredentials: false,
    allowMethods: nothing,
    allowHeaders: nothing,
    exposeHeaders: null,
    maxAge: null,
    allowPrivateNetwork: false,
    checkWebSocketOrigin: true,
    decisionHeader: all.some((r) => r.decisionHeader),
    varyOrigin,
    preflightVary: [
      ...(varyOrigin ? ["Origin"] : []),
      "Access-Control-Request-Method",
      "Access-Control-Request-Headers",
      ...(privateNetwork ? ["Access-Control-Request-Private-Network"] : []),
    ].join(", "),
    ambiguous: true,
  };
}

/** One onDecision for the policy's and the runtime's observers (null when there are none). */
function observers(
  ...candidates: Array<((decision: Decision) => void) | null>
): CompiledPolicy["onDecision"] {
  const set = candidates.filter((c): c is (decision: Decision) => void => c !== null);
  if (set.length < 2) return set[0] ?? null;
  return (decision) => {
    for (const observe of set) {
      try {
        observe(decision);
      } catch {
        // An observer must not break requests, nor keep the others from hearing.
      }
    }
  };
}

function readPathCase(value: unknown, sink: IssueSink): PathCase {
  if (value === undefined || value === "sensitive" || value === "insensitive") return value;
  sink.errors.push({
    code: "path-case-invalid",
    path: "pathCase",
    message: `must be "sensitive" or "insensitive" (or absent: not known), got ${describeValue(value)}`,
  });
  return undefined;
}

function compileUnchecked(
  policy: unknown,
  options: CompileOptions,
  sink: IssueSink,
): CompiledPolicy {
  const publicSuffixes = options.publicSuffixes ?? null;
  const top: Record<string, unknown> = isObject(policy) ? policy : {};
  if (!isObject(policy)) {
    sink.errors.push({
      code: "policy-not-object",
      path: "",
      message: `a policy must be an object, got ${describeValue(policy)}`,
    });
  }
  checkKeys(top, TOP_KEYS, "", sink);
  const labels = options.optionLabels ?? {};
  const memo = new OptionMemo(labels);
  const base = compileRules(top, null, null, "", memo, publicSuffixes, sink);
  const mode = top.mode ?? "enforce";
  if (mode !== "enforce" && mode !== "report") {
    sink.errors.push({
      code: "mode-invalid",
      path: "mode",
      message: `must be "enforce" or "report", got ${describeValue(mode)}`,
    });
  }
  if (top.onDecision !== undefined && typeof top.onDecision !== "function") {
    sink.errors.push({ code: "wrong-type", path: "onDecision", message: "must be a function" });
  }
  const pathCase = readPathCase(top.pathCase, sink);

  const patterns: PathPattern[] = [];
  const routes: RouteRules[] = [];
  const list = top.routes;
  if (list !== undefined && !Array.isArray(list)) {
    sink.errors.push({
      code: "routes-not-list",
      path: "routes",
      message: `must be a list of { path, …overrides }, got ${describeValue(list)}`,
    });
  } else if (Array.isArray(list) && list.length > MAX_ROUTES) {
    sink.errors.push({
      code: "policy-too-large",
      path: "routes",
      message: `lists ${list.length} routes, more than ${MAX_ROUTES}`,
    });
  } else if (Array.isArray(list)) {
    for (let i = 0; i < list.length; i++) {
      const entry: unknown = list[i];
      const prefix = `routes[${i}].`;
      if (!isObject(entry)) {
        sink.errors.push({
          code: "route-not-object",
          path: `routes[${i}]`,
          message: `must be an object { path, …overrides }, got ${describeValue(entry)}`,
        });
        continue;
      }
      checkKeys(entry, ROUTE_KEY_SET, prefix, sink);
      const local = newSink(labels);
      const pattern = compilePathPattern(entry.path, "path", pathCase, local);
      report(local, prefix, sink);
      // A route that sets allowOrigins without allowCredentials, on a credentialed base, keeps
      // credentials; one that opens allowOrigins to "*" must say allowCredentials: false.
      const merged: Record<string, unknown> = { ...top, ...entry };
      const own = new Set(Object.keys(entry));
      const rules = compileRules(
        merged,
        typeof entry.path === "string" ? entry.path : null,
        own,
        prefix,
        memo,
        publicSuffixes,
        sink,
      );
      if (pattern !== null) {
        patterns.push(pattern);
        routes.push(rules);
      }
    }
  }
  return {
    base,
    patterns,
    routes,
    ambiguous: ambiguousRules([base, ...routes]),
    pathCase,
    foldPatterns: patternsFold(patterns, pathCase),
    mode: mode === "report" ? "report" : "enforce",
    onDecision: observers(
      typeof top.onDecision === "function" ? (top.onDecision as (d: Decision) => void) : null,
      options.observe ?? null,
    ),
  };
}

/**
 * Validate and compile a policy. Never throws, whatever the value: returns every error and
 * warning, and a compiled policy that must only be used when `errors` is empty.
 */
export function compilePolicy(
  policy: CorsPolicy | unknown,
  options: CompileOptions = {},
): { compiled: CompiledPolicy; errors: PolicyIssue[]; warnings: PolicyIssue[] } {
  const labels = options.optionLabels;
  const sink = newSink(labels);
  let compiled: CompiledPolicy;
  try {
    compiled = compileUnchecked(policy, options, sink);
  } catch (error) {
    // A getter or proxy that throws, a stack overflow: the policy cannot be read, which is an
    // issue of the policy, never an exception of the caller's.
    sink.errors.push({
      code: "policy-unreadable",
      path: "",
      message: `could not be read: ${error instanceof Error ? error.name : "a thrown value"}`,
    });
    compiled = compileUnchecked({}, {}, newSink());
  }
  if (labels === undefined) return { compiled, errors: sink.errors, warnings: sink.warnings };
  const relabel = (issue: PolicyIssue) => ({ ...issue, path: labelPath(issue.path, labels) });
  return { compiled, errors: sink.errors.map(relabel), warnings: sink.warnings.map(relabel) };
}

/** Validate a policy without using it: every error and warning, with paths and codes. */
export function validatePolicy(
  policy: unknown,
  options: CompileOptions = {},
): { errors: PolicyIssue[]; warnings: PolicyIssue[] } {
  const { errors, warnings } = compilePolicy(policy, options);
  return { errors, warnings };
}
