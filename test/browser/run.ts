/** Runs a scenario's fetches in a real engine, from the page origin the scenario names. */
import type { EngineSession } from "./engines/session.ts";
import type { FetchSpec, Scenario } from "./scenarios.ts";
import type { FetchOutcome, Job, JobFetch, JobReport, ReportSink } from "./servers/pages.ts";
import { fetchUrl, PROBED_HEADERS, type SuiteEnv } from "./suite-env.ts";

export type { FetchOutcome };

/** `fetch(url, init)` exactly as the scenario's script writes it. */
export function jobFetch(url: string, spec: FetchSpec): JobFetch {
  const init: RequestInit = {
    method: spec.method ?? "GET",
    headers: spec.headers ?? {},
    credentials: spec.credentials ?? "same-origin",
    redirect: spec.redirect ?? "follow",
  };
  if (spec.cache !== undefined) init.cache = spec.cache;
  if (spec.body !== undefined) init.body = spec.body;
  return spec.gapMs ? { url, init, gapMs: spec.gapMs } : { url, init };
}

let nextJob = 0;

/**
 * Navigates the session to the runner page (page A or B, or page A's sandboxed iframe for
 * `null`) carrying the job, and waits for the page to report back.
 */
export async function runJob(
  session: EngineSession,
  sink: ReportSink,
  page: string,
  sandboxed: boolean,
  fetches: JobFetch[],
): Promise<JobReport> {
  const id = String(++nextJob);
  const job: Job = { id, report: `${sink.url}/report`, probes: [...PROBED_HEADERS], fetches };
  const waitMs = 20_000 + fetches.reduce((sum, f) => sum + (f.gapMs ?? 0), 0);
  const report = sink.wait(id, waitMs, session.version);
  const path = sandboxed ? "/sandbox.html" : "/run.html";
  await session.goto(`${page}${path}?job=${id}#${encodeURIComponent(JSON.stringify(job))}`);
  return report;
}

export function runScenario(
  session: EngineSession,
  sink: ReportSink,
  env: SuiteEnv,
  scenario: Scenario,
  tag: string,
): Promise<JobReport> {
  const fetches = scenario.fetches.map((spec) =>
    jobFetch(fetchUrl(env, scenario, spec, tag), spec),
  );
  const page = scenario.from === "B" ? env.pages.B : env.pages.A;
  return runJob(session, sink, page, scenario.from === "null", fetches);
}
