/** One request judged under several rulesets (the standard and engines), each request sent once. */
import { RULESETS, type Ruleset } from "./engines.ts";
import { type Respond, type SimulationReport, simulate } from "./simulate.ts";
import type { BrowserRequest, ResponseLike } from "./types.ts";

export interface CompareOptions {
  /** Default: the standard and all three engines. */
  rulesets?: readonly Ruleset[];
  readHeaders?: string[];
}

function signature(request: Parameters<Respond>[0]): string {
  const headers = Object.entries(request.headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([request.kind, request.method, request.url, headers, request.credentials]);
}

/**
 * Runs `simulate` once per ruleset. A request that several rulesets put on the wire identically
 * is sent once and its response (or failure) shared, so a live server sees each request once
 * even when engines differ in what they send (Firefox's preflight Origin after a redirect).
 */
export async function simulateRulesets(
  req: BrowserRequest,
  respond: Respond,
  options: CompareOptions = {},
): Promise<Map<Ruleset, SimulationReport>> {
  const sent = new Map<string, Promise<ResponseLike>>();
  const once: Respond = (request) => {
    const key = signature(request);
    let answer = sent.get(key);
    if (answer === undefined) {
      answer = respond(request);
      sent.set(key, answer);
    }
    return answer;
  };
  const reports = new Map<Ruleset, SimulationReport>();
  for (const ruleset of options.rulesets ?? RULESETS) {
    const simulateOptions = {
      ruleset,
      ...(options.readHeaders ? { readHeaders: options.readHeaders } : {}),
    };
    reports.set(ruleset, await simulate(req, once, simulateOptions));
  }
  return reports;
}

/** The parts of a report that make a verdict: outcome, problem codes, preflight reuse. */
export function verdictKey(r: SimulationReport): string {
  return JSON.stringify([
    r.ok,
    r.status,
    r.problems.map((p) => p.code),
    r.warnings.map((w) => w.code),
    r.preflightCacheSeconds,
  ]);
}
