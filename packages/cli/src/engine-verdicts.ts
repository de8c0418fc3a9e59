/**
 * The browser side of `explain` and `probe`, per engine: the Fetch standard's verdict plus each
 * selected engine's (`--engine`), under the request's cache mode (`--cache`).
 */
import {
  type Engine,
  type FetchCacheMode,
  type Finding,
  type Respond,
  type Ruleset,
  type SimulationReport,
  simulateRulesets,
} from "@edge-cors/browser";
import type { BrowserRequestWithCache } from "./request-flags.ts";

/** One ruleset's verdict in `--json`. */
export interface VerdictJson {
  ok: boolean;
  problems: Finding[];
  warnings: Finding[];
  /** Seconds an identical request (same cache mode) reuses this preflight; 0 when it will not. */
  preflightCache: number;
}

/** `browser` in `--json`: the standard's verdict, and beside it each selected engine's. */
export interface BrowserVerdictJson extends VerdictJson {
  cache: FetchCacheMode;
  engines: Partial<Record<Engine, VerdictJson>>;
}

export interface EngineVerdicts {
  json: BrowserVerdictJson;
  /** The standard's full report (steps, exposure) for the rest of the output. */
  standard: SimulationReport;
}

const verdictOf = (r: SimulationReport): VerdictJson => ({
  ok: r.ok,
  problems: r.problems,
  warnings: r.warnings,
  preflightCache: r.preflightCacheSeconds,
});

/**
 * Simulates `req` under the standard and each engine; a request several rulesets send alike
 * goes to `respond` once.
 */
export async function engineVerdicts(
  req: BrowserRequestWithCache,
  respond: Respond,
  engines: readonly Engine[],
  readHeaders: string[] = [],
): Promise<EngineVerdicts> {
  const rulesets: Ruleset[] = ["standard", ...engines];
  const reports = await simulateRulesets(req, respond, { rulesets, readHeaders });
  const standard = reports.get("standard")!;
  const json: BrowserVerdictJson = { ...verdictOf(standard), cache: req.cache, engines: {} };
  for (const e of engines) json.engines[e] = verdictOf(reports.get(e)!);
  return { json, standard };
}

/** True when the standard and every selected engine let the script read the response. */
export function everyoneOk(b: BrowserVerdictJson): boolean {
  return b.ok && Object.values(b.engines).every((v) => v.ok);
}
