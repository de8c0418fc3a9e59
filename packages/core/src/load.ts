import { type CompileOptions, compilePolicy } from "./compile.ts";
import { type Cors, corsFromCompiled } from "./cors.ts";
import { CorsConfigError, type OptionLabels, type PolicyIssue } from "./issues.ts";
import type { CorsPolicy } from "./policy.ts";

/** The longest policy text read (a Workers variable holds 5 KB, a KV value 25 MiB). */
export const MAX_POLICY_TEXT_BYTES = 1024 * 1024;

export interface LoadOptions extends CompileOptions {
  /** Where the policy comes from, prefixed to every issue path (`CORS_POLICY.allowOrigins[1]`). */
  source?: string;
}

/** A loaded policy: compiled and ready, or every problem found. */
export type LoadResult =
  | { ok: true; cors: Cors; warnings: readonly PolicyIssue[] }
  | { ok: false; issues: readonly PolicyIssue[]; warnings: readonly PolicyIssue[] };

function withSource(issues: readonly PolicyIssue[], source: string | undefined): PolicyIssue[] {
  if (source === undefined || source === "") return [...issues];
  return issues.map((issue) => ({
    ...issue,
    path: issue.path ? `${source}.${issue.path}` : source,
  }));
}

/** Parse JSON text into a policy value, or the issue that says why not. */
function parseText(text: string): { value: unknown } | { issue: PolicyIssue } {
  if (text.length > MAX_POLICY_TEXT_BYTES) {
    return {
      issue: {
        code: "policy-too-large",
        path: "",
        message: `is ${text.length} characters of text, more than ${MAX_POLICY_TEXT_BYTES}: split origins into subdomain patterns`,
      },
    };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : "unreadable";
    return {
      issue: { code: "policy-not-json", path: "", message: `is not valid JSON: ${detail}` },
    };
  }
}

/**
 * The one policy loader: JSON text (an environment variable, a KV value, a file) or an
 * object (a TOML table, code), parsed, validated and compiled once. Never throws, whatever the
 * input: returns the compiled `Cors`, or every problem with its path (prefixed by `source`).
 */
export function loadCors(input: unknown, options: LoadOptions = {}): LoadResult {
  let value = input;
  if (typeof input === "string") {
    const parsed = parseText(input);
    if ("issue" in parsed)
      return { ok: false, issues: withSource([parsed.issue], options.source), warnings: [] };
    value = parsed.value;
  }
  const { compiled, errors, warnings } = compilePolicy(value, options);
  if (errors.length > 0)
    return {
      ok: false,
      issues: withSource(errors, options.source),
      warnings: withSource(warnings, options.source),
    };
  return {
    ok: true,
    cors: corsFromCompiled(compiled, warnings),
    warnings: withSource(warnings, options.source),
  };
}

/**
 * Validate `policy` and compile it. Throws `CorsConfigError` listing every problem when the
 * policy is invalid or insecure; otherwise every header value is precomputed and the
 * returned `Cors` answers requests without further validation.
 *
 * Pass `publicSuffixes` (from `@edge-cors/public-suffix`) to check subdomain patterns
 * against the Public Suffix List; without it a credentialed subdomain pattern is refused.
 */
export function createCors(policy: CorsPolicy, options: CompileOptions = {}): Cors {
  const result = loadCors(policy, options);
  if (!result.ok) throw new CorsConfigError(result.issues, result.warnings);
  return result.cors;
}

/** A Map that forgets its oldest entry beyond `limit` entries. */
class BoundedMap<K, V> {
  readonly #map = new Map<K, V>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  set(key: K, value: V): void {
    if (this.#map.size >= this.#limit && !this.#map.has(key)) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
    this.#map.set(key, value);
  }
}

export interface PolicyCacheOptions extends LoadOptions {
  /** How many distinct policies (by text) stay compiled. Default 64. */
  limit?: number;
  /**
   * Turns each new input (JSON text already parsed) into the policy to compile, once per
   * distinct input, with the names its issues should use: an adapter's own option format
   * (hono/cors options). May throw a `CorsConfigError`, cached like any invalid policy.
   */
  prepare?: (input: unknown) => { policy: unknown; optionLabels?: OptionLabels };
}

/**
 * Compiled policies, so that a policy that arrives per request (from bindings, KV, a factory)
 * is compiled once per distinct value: by object identity first, then by content (JSON text,
 * a function standing for its identity), in a bounded map. Invalid policies are cached too,
 * with every issue, so a bad policy costs one compile, not one per request.
 */
export class PolicyCache {
  readonly #options: LoadOptions;
  readonly #prepare: PolicyCacheOptions["prepare"];
  readonly #byObject = new WeakMap<object, LoadResult>();
  readonly #byText: BoundedMap<string, LoadResult>;
  readonly #functionIds = new WeakMap<object, number>();
  #nextFunctionId = 0;
  /** How many times a policy was compiled (cache misses), for tests and diagnostics. */
  compilations = 0;

  constructor(options: PolicyCacheOptions = {}) {
    const { limit = 64, prepare, ...load } = options;
    this.#options = load;
    this.#prepare = prepare;
    this.#byText = new BoundedMap(limit);
  }

  /** The compiled form of `input`, or every issue. */
  load(input: unknown): LoadResult {
    if (typeof input === "object" && input !== null) {
      const hit = this.#byObject.get(input);
      if (hit !== undefined) return hit;
      const key = this.#keyOf(input);
      const result = (key === null ? undefined : this.#byText.get(key)) ?? this.#compile(input);
      if (key !== null) this.#byText.set(key, result);
      this.#byObject.set(input, result);
      return result;
    }
    const key = typeof input === "string" ? `s:${input}` : `v:${typeof input}:${input}`;
    const hit = this.#byText.get(key);
    if (hit !== undefined) return hit;
    const result = this.#compile(input);
    this.#byText.set(key, result);
    return result;
  }

  /** The compiled `Cors` for `input`; throws its (cached) `CorsConfigError` when invalid. */
  get(input: unknown): Cors {
    const result = this.load(input);
    if (!result.ok) throw new CorsConfigError(result.issues, result.warnings);
    return result.cors;
  }

  #compile(input: unknown): LoadResult {
    this.compilations++;
    if (this.#prepare === undefined) return loadCors(input, this.#options);
    let value = input;
    if (typeof input === "string") {
      const parsed = parseText(input);
      if ("issue" in parsed)
        return {
          ok: false,
          issues: withSource([parsed.issue], this.#options.source),
          warnings: [],
        };
      value = parsed.value;
    }
    let prepared: ReturnType<NonNullable<PolicyCacheOptions["prepare"]>>;
    try {
      prepared = this.#prepare(value);
    } catch (error) {
      if (!(error instanceof CorsConfigError)) throw error;
      return { ok: false, issues: error.issues, warnings: error.warnings };
    }
    const labels = prepared.optionLabels;
    return loadCors(
      prepared.policy,
      labels ? { ...this.#options, optionLabels: labels } : this.#options,
    );
  }

  /** JSON text of a policy, each function replaced by its identity; null if not serializable. */
  #keyOf(input: object): string | null {
    try {
      return `o:${JSON.stringify(input, (_key, value: unknown) =>
        typeof value === "function" ? `\0fn${this.#functionId(value)}` : value,
      )}`;
    } catch {
      return null; // a cycle, a BigInt, a stack overflow: cached by identity only
    }
  }

  #functionId(fn: object): number {
    let id = this.#functionIds.get(fn);
    if (id === undefined) {
      id = this.#nextFunctionId++;
      this.#functionIds.set(fn, id);
    }
    return id;
  }
}
