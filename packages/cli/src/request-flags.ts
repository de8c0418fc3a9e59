/** Turns the request flags shared by `explain` and `probe` into a browser-model request. */
import {
  type BrowserRequest,
  ENGINES,
  type Engine,
  FETCH_CACHE_MODES,
  type FetchCacheMode,
  isEngine,
  isFetchCacheMode,
  planRequest,
  type RequestPlan,
} from "@edge-cors/browser";
import type { Command } from "commander";
import { CliError } from "./io.ts";

export interface RequestFlags {
  origin: string;
  method?: string;
  header?: string[];
  credentials?: boolean;
  /** `--engine`, repeatable or comma-separated; default all three. */
  engine?: string[];
  /** `--cache`, a fetch cache mode; default "default". */
  cache?: string;
}

export type BrowserRequestWithCache = BrowserRequest & { cache: FetchCacheMode };

/** commander's accumulator for repeatable options. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `--engine` and `--cache`, shared by `explain` and `probe`. */
export function engineOptions(cmd: Command): Command {
  return cmd
    .option(
      "--engine <engine>",
      `judge as ${ENGINES.join(", ")} (repeatable or comma-separated; default: all three)`,
      collect,
    )
    .option(
      "--cache <mode>",
      `the fetch cache mode (${FETCH_CACHE_MODES.join(", ")}); engines treat the preflight cache differently under them`,
      "default",
    );
}

/** The engines `--engine` selects, in the canonical order; all three by default. */
export function selectedEngines(flags: RequestFlags): Engine[] {
  if (flags.engine === undefined || flags.engine.length === 0) return [...ENGINES];
  const asked = flags.engine.flatMap((e) => e.split(",")).map((e) => e.trim().toLowerCase());
  for (const e of asked) {
    if (!isEngine(e)) {
      throw new CliError("usage", `--engine "${e}" is not an engine (${ENGINES.join(", ")})`);
    }
  }
  return ENGINES.filter((e) => asked.includes(e));
}

export function cacheMode(flags: RequestFlags): FetchCacheMode {
  const mode = flags.cache ?? "default";
  if (!isFetchCacheMode(mode)) {
    throw new CliError(
      "usage",
      `--cache "${mode}" is not a fetch cache mode (${FETCH_CACHE_MODES.join(", ")})`,
    );
  }
  return mode;
}

/** `--header "Name: value"` → [name, value]; the value keeps its text after the first colon. */
export function parseHeaderFlag(flag: string): [string, string] {
  const colon = flag.indexOf(":");
  if (colon <= 0) {
    throw new CliError(
      "usage",
      `--header "${flag}" must look like name:value (e.g. "X-Api-Key: 1")`,
    );
  }
  return [flag.slice(0, colon).trim(), flag.slice(colon + 1).trim()];
}

export function browserRequest(url: string, flags: RequestFlags): BrowserRequestWithCache {
  return {
    url,
    origin: flags.origin,
    method: flags.method ?? "GET",
    headers: (flags.header ?? []).map(parseHeaderFlag),
    credentials: flags.credentials ? "include" : "same-origin",
    cache: cacheMode(flags),
  };
}

const URL_PROBLEMS = new Set(["request-invalid-url", "request-scheme", "request-url-credentials"]);

/**
 * Plans the request with the browser model; what `fetch()` itself would reject (a bad origin,
 * method or header) is an input error.
 */
export function planOrThrow(req: BrowserRequest): RequestPlan {
  const plan = planRequest(req);
  if (!plan.ok) {
    const text = plan.problems
      .map((p) => {
        const what =
          p.code === "request-invalid-origin"
            ? "--origin"
            : p.code.includes("method")
              ? "--method"
              : p.code === "request-invalid-header"
                ? "--header"
                : p.code === "request-only-if-cached"
                  ? "--cache"
                  : "URL";
        return `${what}: ${p.message} (${p.fix})`;
      })
      .join("; ");
    const first = plan.problems[0]?.code ?? "";
    throw new CliError(URL_PROBLEMS.has(first) ? "invalid-url" : "invalid-input", text);
  }
  return plan;
}
