/** A tiny structural checker for the documented `--json` shapes (exact keys, no extras). */

export type Shape =
  | "string"
  | "number"
  | "boolean"
  | "null"
  | "any"
  | { union: Shape[] }
  | { array: Shape }
  | { tuple: Shape[] }
  | { record: Shape }
  | { object: Record<string, Shape>; optional?: string[] };

export function shapeErrors(value: unknown, shape: Shape, path = "$"): string[] {
  if (shape === "any") return [];
  if (typeof shape === "string") {
    const actual = value === null ? "null" : typeof value;
    return actual === shape ? [] : [`${path}: expected ${shape}, got ${actual}`];
  }
  if ("union" in shape) {
    const all = shape.union.map((s) => shapeErrors(value, s, path));
    return all.some((e) => e.length === 0) ? [] : (all[0] ?? [`${path}: no union member`]);
  }
  if ("array" in shape || "tuple" in shape) {
    if (!Array.isArray(value)) return [`${path}: expected an array`];
    if ("tuple" in shape) {
      if (value.length !== shape.tuple.length)
        return [`${path}: expected ${shape.tuple.length} items`];
      return shape.tuple.flatMap((s, i) => shapeErrors(value[i], s, `${path}[${i}]`));
    }
    return value.flatMap((v, i) => shapeErrors(v, shape.array, `${path}[${i}]`));
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [`${path}: expected an object`];
  }
  const obj = value as Record<string, unknown>;
  if ("record" in shape) {
    return Object.entries(obj).flatMap(([k, v]) => shapeErrors(v, shape.record, `${path}.${k}`));
  }
  const errors: string[] = [];
  for (const key of Object.keys(obj)) {
    if (!(key in shape.object)) errors.push(`${path}: unexpected key "${key}"`);
  }
  for (const [key, s] of Object.entries(shape.object)) {
    if (!(key in obj)) {
      if (!shape.optional?.includes(key)) errors.push(`${path}: missing key "${key}"`);
      continue;
    }
    errors.push(...shapeErrors(obj[key], s, `${path}.${key}`));
  }
  return errors;
}

const str = "string" as const;
const num = "number" as const;
const bool = "boolean" as const;
const nullable = (s: Shape): Shape => ({ union: [s, "null"] });
const pairs: Shape = { array: { tuple: [str, str] } };

/** The shapes as docs/cli.md documents them. */
export const FINDING: Shape = {
  object: { code: str, header: str, message: str, fix: str, stage: str },
  optional: ["header", "stage"],
};
const ISSUE: Shape = { object: { code: str, path: str, message: str } };

const VERDICT = {
  ok: bool,
  problems: { array: FINDING },
  warnings: { array: FINDING },
  preflightCache: num,
} as const;

/** `browser`: the Fetch standard's verdict, and beside it each selected engine's. */
export const BROWSER_VERDICT: Shape = {
  object: {
    ...VERDICT,
    cache: str,
    engines: {
      object: {
        chromium: { object: VERDICT },
        firefox: { object: VERDICT },
        webkit: { object: VERDICT },
      },
      optional: ["chromium", "firefox", "webkit"],
    },
  },
};

export const ERROR_JSON: Shape = {
  object: { ok: bool, error: { object: { code: str, message: str } } },
};

export const CHECK_JSON: Shape = {
  object: {
    command: str,
    ok: bool,
    file: str,
    policies: {
      array: {
        object: {
          source: str,
          env: nullable(str),
          ok: bool,
          errors: { array: ISSUE },
          warnings: { array: ISSUE },
        },
      },
    },
    errors: num,
    warnings: num,
  },
};

export const PROBE_JSON: Shape = {
  object: {
    command: str,
    ok: bool,
    request: {
      object: { url: str, origin: str, method: str, headers: pairs, credentials: bool },
    },
    preflight: { object: { needed: bool, reasons: { array: str } } },
    steps: {
      array: {
        object: {
          kind: str,
          request: {
            object: { method: str, url: str, headers: { record: str }, credentials: bool },
          },
          response: nullable({ object: { status: num, headers: pairs } }),
        },
      },
    },
    preflightCache: nullable({
      object: { maxAge: nullable(str), chromium: num, firefox: num, webkit: num },
    }),
    exposure: nullable({ object: { readable: { array: str }, hidden: { array: str } } }),
    status: nullable(num),
    finalUrl: str,
    problems: { array: FINDING },
    warnings: { array: FINDING },
    browser: BROWSER_VERDICT,
  },
};

const DECISION: Shape = {
  object: {
    kind: str,
    allowed: bool,
    origin: nullable(str),
    method: str,
    path: str,
    route: nullable(str),
    refusal: nullable({ object: { code: str, name: nullable(str) } }),
    reason: str,
    fix: nullable(str),
    reasons: { array: str },
    headers: { record: str },
    status: num,
    preflightCache: {
      object: { maxAge: nullable(num), chromium: num, firefox: num, webkit: num },
    },
    mode: str,
  },
  optional: ["status", "preflightCache"],
};

export const EXPLAIN_JSON: Shape = {
  object: {
    command: str,
    ok: bool,
    policy: { object: { source: str, errors: { array: ISSUE }, warnings: { array: ISSUE } } },
    request: {
      object: { path: str, origin: str, method: str, headers: pairs, credentials: bool },
    },
    preflight: {
      object: { needed: bool, reasons: { array: str }, decision: nullable(DECISION) },
    },
    actual: nullable(DECISION),
    browser: BROWSER_VERDICT,
  },
};

/** explain's output when the policy itself is invalid (exit 1). */
export const EXPLAIN_INVALID_JSON: Shape = {
  object: {
    command: str,
    ok: bool,
    policy: { object: { source: str, errors: { array: ISSUE }, warnings: { array: ISSUE } } },
  },
};

export const BUNDLE_JSON: Shape = {
  object: {
    command: str,
    target: str,
    ok: bool,
    policy: { object: { source: str, errors: { array: ISSUE }, warnings: { array: ISSUE } } },
    output: nullable({ object: { zipPath: str, bytes: num, jsPath: str, jsBytes: num } }),
  },
};
