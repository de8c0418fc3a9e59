/**
 * Sends the audit's requests, politely: a bounded number of them, a few at a time, paced, each
 * with a timeout, through the probe's transport (credentials scoped like a browser's). Every
 * request is one the browser model plans; nothing is judged here.
 */
import {
  type BrowserRequest,
  checkPreflight,
  type PreflightCheckResult,
  planRequest,
  type SimulationReport,
  type SimulationStep,
  simulate,
} from "@edge-cors/browser";
import { CliError } from "../io.ts";
import { fetchTransport } from "../transport.ts";
import { VERSION } from "../version.ts";
import { type CraftedOrigin, craftOrigins } from "./crafted-origins.ts";

export interface AuditSettings {
  url: string;
  /** The origins meant to work (serialized origins). */
  allow: string[];
  method: string;
  headers: Array<[string, string]>;
  credentials: boolean;
  cookie?: string;
  timeoutMs: number;
  concurrency: number;
  delayMs: number;
  maxRequests: number;
  /** Random hex: makes the crafted subdomain, reflection origin, method and header unique. */
  token: string;
}

/** A whole fetch from one origin (preflight if needed, actual request, redirects). */
export interface FetchProbe {
  kind: "fetch";
  /** The crafted origin and its row; null for an --allow origin (the baseline). */
  crafted: CraftedOrigin | null;
  origin: string;
  request: BrowserRequest;
  report: SimulationReport;
}

/** A preflight alone, from the first allowed origin, asking for a made-up method or header. */
export interface PreflightProbe {
  kind: "preflight";
  asks: "method" | "header";
  /** The made-up name asked for. */
  name: string;
  origin: string;
  request: BrowserRequest;
  step: SimulationStep;
  check: PreflightCheckResult;
}

export type ProbeResult = FetchProbe | PreflightProbe;

export interface AuditRun {
  probes: ProbeResult[];
  /** Requests actually sent. */
  requests: number;
}

/** Spaces requests `delayMs` apart (across all workers) and refuses the one past the budget. */
class Pacer {
  sent = 0;
  #next = 0;
  constructor(
    private readonly delayMs: number,
    private readonly maxRequests: number,
  ) {}

  async beforeSend(): Promise<void> {
    if (this.sent >= this.maxRequests) {
      throw new CliError(
        "request-limit",
        `stopped after ${this.maxRequests} requests (--max-requests ${this.maxRequests}); redirects can multiply them, raise the limit if this is expected`,
      );
    }
    this.sent++;
    const now = Date.now();
    const at = Math.max(now, this.#next);
    this.#next = at + this.delayMs;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
async function pool<T, R>(items: readonly T[], limit: number, work: (t: T) => Promise<R>) {
  const out = new Array<R>(items.length);
  let nextIndex = 0;
  const worker = async () => {
    for (let i = nextIndex++; i < items.length; i = nextIndex++) out[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The made-up method and header the preflight probes ask for. */
export function probeNames(token: string): { method: string; header: string } {
  return { method: `EDGE-CORS-AUDIT-${token.toUpperCase()}`, header: `x-edge-cors-audit-${token}` };
}

type Job =
  | { kind: "fetch"; origin: string; crafted: CraftedOrigin | null }
  | { kind: "preflight"; asks: "method" | "header" };

export async function runAudit(s: AuditSettings): Promise<AuditRun> {
  const pacer = new Pacer(s.delayMs, s.maxRequests);
  const names = probeNames(s.token);
  const jobs: Job[] = [
    ...s.allow.map((origin): Job => ({ kind: "fetch", origin, crafted: null })),
    ...craftOrigins(s.allow, s.token).map(
      (c): Job => ({ kind: "fetch", origin: c.origin, crafted: c }),
    ),
    { kind: "preflight", asks: "method" },
    { kind: "preflight", asks: "header" },
  ];
  const firstFailure: { error: CliError | null } = { error: null };

  const transportFor = () =>
    fetchTransport({
      url: s.url,
      timeoutMs: s.timeoutMs,
      userAgent: `edge-cors/${VERSION} (CORS audit)`,
      ...(s.cookie === undefined ? {} : { cookie: s.cookie }),
      beforeSend: () => pacer.beforeSend(),
    });
  const browserRequest = (origin: string, over: Partial<BrowserRequest> = {}): BrowserRequest => ({
    url: s.url,
    origin,
    method: s.method,
    headers: s.headers,
    credentials: s.credentials ? "include" : "same-origin",
    redirect: "follow",
    ...over,
  });

  const probes = await pool(jobs, s.concurrency, async (job): Promise<ProbeResult | null> => {
    if (firstFailure.error !== null) return null;
    const transport = transportFor();
    try {
      if (job.kind === "fetch") {
        const request = browserRequest(job.origin);
        const report = await simulate(request, transport.respond);
        return { kind: "fetch", crafted: job.crafted, origin: job.origin, request, report };
      }
      const origin = s.allow[0]!;
      const name = job.asks === "method" ? names.method : names.header;
      const request =
        job.asks === "method"
          ? browserRequest(origin, { method: name, headers: [] })
          : browserRequest(origin, { method: "GET", headers: [[name, "1"]] });
      const preflight = planRequest(request).preflight!;
      let step: SimulationStep;
      try {
        const response = await transport.respond({ ...preflight, kind: "preflight" });
        const headers = Array.isArray(response.headers) ? response.headers : [];
        step = {
          kind: "preflight",
          request: preflight,
          response: { status: response.status, headers },
          check: null,
        };
        const check = checkPreflight(request, response);
        step.check = check;
        return { kind: "preflight", asks: job.asks, name, origin, request, step, check };
      } catch {
        return null;
      }
    } finally {
      const failure = transport.failure();
      if (failure !== null) firstFailure.error ??= failure;
    }
  });
  if (firstFailure.error !== null) throw firstFailure.error;
  return { probes: probes.filter((p): p is ProbeResult => p !== null), requests: pacer.sent };
}
