/**
 * `edge-cors probe <url> --origin <o>`: acts as a Fetch-conformant browser against a live server.
 * A thin layer over the core's browser model: `simulate()` plans, sends (through a real fetch),
 * and judges; this file only formats its report.
 */
import type { Finding, SimulationReport, SimulationStep } from "@edge-cors/browser";
import { style } from "../color.ts";
import { DEFAULT_TIMEOUT_MS } from "../defaults.ts";
import { type BrowserVerdictJson, engineVerdicts, everyoneOk } from "../engine-verdicts.ts";
import { CliError, EXIT_OK, EXIT_PROBLEMS, type Io } from "../io.ts";
import { browserVerdictLines, headerLines } from "../render.ts";
import {
  browserRequest,
  planOrThrow,
  type RequestFlags,
  selectedEngines,
} from "../request-flags.ts";
import { fetchTransport } from "../transport.ts";
import { VERSION } from "../version.ts";

export interface ProbeOptions extends RequestFlags {
  json?: boolean;
  data?: string;
  cookie?: string;
  readHeader?: string[];
  timeout?: string;
}

/** `--json` output of `probe`. */
export interface ProbeJson {
  command: "probe";
  ok: boolean;
  request: {
    url: string;
    origin: string;
    method: string;
    headers: Array<[string, string]>;
    credentials: boolean;
  };
  preflight: { needed: boolean; reasons: string[] };
  steps: Array<{
    kind: "preflight" | "actual";
    request: { method: string; url: string; headers: Record<string, string>; credentials: boolean };
    response: { status: number; headers: Array<[string, string]> } | null;
  }>;
  preflightCache: {
    maxAge: string | null;
    chromium: number;
    firefox: number;
    webkit: number;
  } | null;
  exposure: { readable: string[]; hidden: string[] } | null;
  status: number | null;
  finalUrl: string;
  /** The Fetch standard's findings (the same as `browser.problems` / `browser.warnings`). */
  problems: Finding[];
  warnings: Finding[];
  /** The standard's verdict and, beside it, each selected engine's. */
  browser: BrowserVerdictJson;
}

export { DEFAULT_TIMEOUT_MS } from "../defaults.ts";

export function parseTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 600_000) {
    throw new CliError("usage", `--timeout "${value}" must be milliseconds between 1 and 600000`);
  }
  return n;
}

export async function probe(url: string, opts: ProbeOptions, io: Io): Promise<number> {
  const timeoutMs = parseTimeout(opts.timeout);
  try {
    new URL(url);
  } catch {
    throw new CliError(
      "invalid-url",
      `"${url}" is not an absolute URL (e.g. https://api.example.com/path)`,
    );
  }
  const engines = selectedEngines(opts);
  const req = { ...browserRequest(url, opts), redirect: "follow" as const };
  const plan = planOrThrow(req);
  if (!plan.crossOrigin) {
    throw new CliError(
      "invalid-input",
      `${url} is same-origin with --origin ${opts.origin}: no CORS applies; pass the page's origin`,
    );
  }
  const transport = fetchTransport({
    url: req.url,
    timeoutMs,
    userAgent: `edge-cors/${VERSION} (CORS probe)`,
    ...(opts.data === undefined ? {} : { body: opts.data }),
    ...(opts.cookie === undefined ? {} : { cookie: opts.cookie }),
  });
  // Each distinct request goes out once, however many engines send it alike.
  const verdicts = await engineVerdicts(req, transport.respond, engines, opts.readHeader ?? []);
  const failure = transport.failure();
  if (failure !== null) throw failure;
  const out = probeJson(req.url, opts, verdicts.standard, verdicts.json);
  if (opts.json) io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  else io.stdout(renderProbe(out, io.color));
  return out.ok ? EXIT_OK : EXIT_PROBLEMS;
}

function probeJson(
  url: string,
  opts: ProbeOptions,
  r: SimulationReport,
  browser: BrowserVerdictJson,
): ProbeJson {
  const pf = r.preflight;
  return {
    command: "probe",
    ok: everyoneOk(browser),
    request: {
      url,
      origin: opts.origin,
      method: r.plan.method,
      headers: Object.entries(r.plan.actual.headers).filter(([n]) => n !== "origin"),
      credentials: opts.credentials === true,
    },
    preflight: { needed: r.plan.preflight !== null, reasons: r.plan.preflight?.reasons ?? [] },
    steps: r.steps.map(stepJson),
    preflightCache: pf?.ok === true ? { maxAge: pf.maxAge.raw, ...pf.maxAge.seconds } : null,
    exposure:
      r.exposure === null ? null : { readable: r.exposure.exposed, hidden: r.exposure.hidden },
    status: r.status,
    finalUrl: r.finalUrl,
    problems: r.problems,
    warnings: r.warnings,
    browser,
  };
}

function stepJson(s: SimulationStep): ProbeJson["steps"][number] {
  const { method, url, headers, credentials } = s.request;
  return { kind: s.kind, request: { method, url, headers, credentials }, response: s.response };
}

/** Response headers worth showing a human: the CORS ones, Vary and Location. */
const shown = (name: string) =>
  name.startsWith("access-control-") || name === "vary" || name === "location";

export function renderProbe(p: ProbeJson, color: boolean): string {
  const s = style(color);
  const lines: string[] = [];
  const cred = p.request.credentials ? ' (credentials: "include")' : "";
  lines.push(
    `${s.bold("Probe")} ${p.request.method} ${p.request.url} from ${p.request.origin}${cred}`,
  );
  lines.push(
    p.preflight.needed
      ? `Preflight needed: ${p.preflight.reasons.join("; ")}`
      : "No preflight: a simple request (safelisted method and headers)",
  );
  for (const step of p.steps) {
    lines.push("");
    const cookie = step.request.credentials ? s.dim(" (with credentials)") : "";
    lines.push(`${s.cyan("→")} ${step.request.method} ${step.request.url}${cookie}`);
    lines.push(...headerLines(s, Object.entries(step.request.headers)));
    if (step.response === null) {
      lines.push(`${s.cyan("←")} ${s.red("no response")}`);
      continue;
    }
    lines.push(`${s.cyan("←")} ${step.response.status}`);
    const cors = step.response.headers.filter(([n]) => shown(n));
    lines.push(
      ...(cors.length > 0
        ? headerLines(s, cors)
        : [`    ${s.dim("(no Access-Control-* or Vary headers)")}`]),
    );
    if (step.kind === "preflight" && p.preflightCache !== null && step === lastPreflight(p)) {
      const c = p.preflightCache;
      lines.push(
        `  Preflight cache: Chromium ${c.chromium} s, Firefox ${c.firefox} s, WebKit ${c.webkit} s`,
      );
    }
  }
  if (p.exposure !== null) {
    lines.push(`  Script can read: ${p.exposure.readable.join(", ") || "(none)"}`);
    lines.push(`  Hidden from script: ${p.exposure.hidden.join(", ") || "(none)"}`);
  }
  lines.push("");
  lines.push(...browserVerdictLines(s, p.browser, p.preflight.needed));
  return `${lines.join("\n")}\n`;
}

function lastPreflight(p: ProbeJson): ProbeJson["steps"][number] | undefined {
  return p.steps.filter((x) => x.kind === "preflight").at(-1);
}
