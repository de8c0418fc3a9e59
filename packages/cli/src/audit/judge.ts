/**
 * Turns the audit's probes into findings. Every CORS judgement is the browser model's (what
 * `probe` uses): whether a response grants the crafted origin (`simulate`), whether it would
 * also grant a credentialed request (`checkCors` / `checkPreflight` with credentials
 * "include"), Vary coverage, preflight grants and the max-age warning. This file only maps
 * those verdicts to finding ids.
 */
import {
  type BrowserRequest,
  checkCors,
  checkPreflight,
  type SimulationStep,
  varyCoversOrigin,
} from "@edge-cors/browser";
import { CRAFTED_ORIGINS } from "./crafted-origins.ts";
import { FINDINGS, type FindingId, SEVERITIES, type Severity, severityOf } from "./findings.ts";
import { redactRecord } from "./redact.ts";
import type { FetchProbe, PreflightProbe, ProbeResult } from "./run.ts";

export interface EvidenceStep {
  kind: "preflight" | "actual";
  request: { method: string; url: string; headers: Record<string, string>; credentials: boolean };
  /** Status and the response headers that matter (Access-Control-*, Vary, Location). */
  response: { status: number; headers: Array<[string, string]> } | null;
}

export interface Evidence {
  /** The Origin sent (null when the finding is about responses, not one origin). */
  origin: string | null;
  /** True when the grant also holds for a credentialed request (ACAO exact + ACAC true). */
  credentialed: boolean;
  steps: EvidenceStep[];
  /** Other crafted origins granted for this finding, or for findings it implies. */
  alsoGranted: string[];
}

export interface AuditFinding {
  id: FindingId;
  severity: Severity;
  title: string;
  why: string;
  evidence: Evidence;
  fix: string;
}

const mattersInResponse = (name: string) =>
  name.startsWith("access-control-") || name === "vary" || name === "location";

function evidenceStep(s: SimulationStep): EvidenceStep {
  const { method, url, headers, credentials } = s.request;
  return {
    kind: s.kind,
    request: { method, url, headers: redactRecord(headers), credentials },
    response:
      s.response === null
        ? null
        : {
            status: s.response.status,
            headers: s.response.headers.filter(([n]) => mattersInResponse(n)),
          },
  };
}

const include = (r: BrowserRequest): BrowserRequest => ({ ...r, credentials: "include" });
const lastActual = (p: FetchProbe) =>
  p.report.steps.filter((s) => s.kind === "actual" && s.response !== null).at(-1);
const lastPreflight = (p: FetchProbe) =>
  p.report.steps.filter((s) => s.kind === "preflight" && s.response !== null).at(-1);

/** Whether the browser would also let a credentialed request read this response. */
export function grantsCredentials(p: FetchProbe): boolean {
  if (!p.report.ok) return false;
  if (p.request.credentials === "include") return true;
  // A redirect chain changes the request's origin; only a direct answer is re-judged.
  const actual = lastActual(p);
  if (p.report.redirects > 0 || actual?.response == null) return false;
  const pre = lastPreflight(p);
  const preOk = pre?.response == null || checkPreflight(include(p.request), pre.response).ok;
  return preOk && checkCors(include(p.request), actual.response).ok;
}

function preflightGrantsCredentials(p: PreflightProbe): boolean {
  if (!p.check.ok) return false;
  if (p.request.credentials === "include") return true;
  return p.step.response !== null && checkPreflight(include(p.request), p.step.response).ok;
}

/** ACAO of a judged response as the model read it: `[value]` (null when absent), `[]` if unjudged. */
function allowOriginIn(step: SimulationStep): Array<string | null> {
  const check = step.check;
  if (check === null) return [];
  return ["cors" in check ? check.cors.allowOrigin : check.allowOrigin];
}

/** ACAO of the final actual response, as the model read it. */
function allowOriginOf(p: FetchProbe): string | null | undefined {
  const step = lastActual(p);
  return step === undefined ? undefined : allowOriginIn(step)[0];
}

/** Ids whose evidence origin is a crafted origin the server granted. */
const GRANTS_CRAFTED_ORIGIN = new Set<FindingId>([
  ...CRAFTED_ORIGINS.map((row) => row.id),
  "wildcard-origin",
]);

const hasCode = (p: FetchProbe, code: string) =>
  p.report.problems.some((f) => f.code === code) || p.report.warnings.some((f) => f.code === code);

interface Draft {
  id: FindingId;
  credentialed: boolean;
  evidence: Evidence;
  why?: string;
  fix?: string;
}

interface Seen {
  origin: string | null;
  steps: SimulationStep[];
  /** The grant also holds with credentials. */
  credentialed?: boolean;
  /** `origin` is a crafted origin the server granted (listed under "also granted"). */
  granted?: boolean;
  why?: string;
  fix?: string;
}

export function judge(probes: readonly ProbeResult[]): AuditFinding[] {
  const drafts = new Map<FindingId, Draft>();
  const add = (id: FindingId, seen: Seen) => {
    const credentialed = seen.credentialed === true;
    const draft = drafts.get(id);
    if (draft === undefined) {
      const { origin, steps, why, fix } = seen;
      const evidence = { origin, credentialed, steps: steps.map(evidenceStep), alsoGranted: [] };
      drafts.set(id, { id, credentialed, evidence, ...(why && { why }), ...(fix && { fix }) });
      return;
    }
    if (seen.granted && seen.origin !== null) draft.evidence.alsoGranted.push(seen.origin);
    draft.credentialed ||= credentialed;
    draft.evidence.credentialed = draft.credentialed;
  };

  const fetches = probes.filter((p): p is FetchProbe => p.kind === "fetch");
  const preflights = probes.filter((p): p is PreflightProbe => p.kind === "preflight");

  for (const p of fetches) {
    const seen = { origin: p.origin, steps: p.report.steps };
    if (hasCode(p, "acao-wildcard-with-credentials") || hasCode(p, "acao-wildcard-credentials")) {
      add("wildcard-with-credentials", seen);
    }
    if (p.crafted === null) {
      const first = p.report.problems[0];
      if (first !== undefined) {
        const why = `${FINDINGS["allowed-origin-refused"].why} ${first.message}.`;
        add("allowed-origin-refused", { ...seen, why, fix: first.fix });
      }
      continue;
    }
    if (!p.report.ok) continue;
    const acao = allowOriginOf(p);
    if (acao === "*") add("wildcard-origin", { ...seen, granted: true });
    else if (acao === p.origin) {
      add(p.crafted.id, { ...seen, granted: true, credentialed: grantsCredentials(p) });
    }
  }

  // The grant varies by Origin when the responses (preflights included) disagree on ACAO;
  // then every actual response, which caches may store, needs Vary: Origin.
  const allowOrigins = new Set(
    fetches.flatMap((p) => p.report.steps.flatMap((step) => allowOriginIn(step) ?? [])),
  );
  if (allowOrigins.size > 1) {
    const answered = fetches.filter((p) => lastActual(p) !== undefined);
    const unvaried = answered.filter((p) => {
      const vary = lastActual(p)?.response?.headers.find(([n]) => n === "vary")?.[1] ?? null;
      return !varyCoversOrigin(vary);
    });
    const shown = unvaried.find((p) => p.crafted === null) ?? unvaried[0];
    if (shown !== undefined) {
      const why = `${FINDINGS["missing-vary-origin"].why} ${unvaried.length} of ${answered.length} actual responses lack Vary: Origin.`;
      add("missing-vary-origin", { origin: shown.origin, steps: [lastActual(shown)!], why });
    }
  }

  for (const p of preflights) {
    const list = p.asks === "method" ? p.check.allowedMethods : p.check.allowedHeaders;
    const asked = p.asks === "method" ? p.name : p.name.toLowerCase();
    if (p.check.ok && list?.includes(asked)) {
      const id = p.asks === "method" ? "preflight-reflects-methods" : "preflight-reflects-headers";
      add(id, { origin: p.origin, steps: [p.step], credentialed: preflightGrantsCredentials(p) });
    }
  }

  const tooLong = (w: { code: string }) => w.code === "acma-above-caps";
  const maxAge = [
    ...fetches.flatMap((p) =>
      p.report.preflight?.warnings.some(tooLong)
        ? [{ origin: p.origin, step: lastPreflight(p)! }]
        : [],
    ),
    ...preflights.flatMap((p) =>
      p.check.warnings.some(tooLong) ? [{ origin: p.origin, step: p.step }] : [],
    ),
  ][0];
  if (maxAge !== undefined)
    add("max-age-excessive", { origin: maxAge.origin, steps: [maxAge.step] });

  // A finding implied by another is reported inside it (its granted origins included).
  for (const d of drafts.values()) {
    const root = FINDINGS[d.id].impliedBy?.map((r) => drafts.get(r)).find((r) => r !== undefined);
    if (root === undefined) continue;
    if (GRANTS_CRAFTED_ORIGIN.has(d.id) && d.evidence.origin !== null) {
      root.evidence.alsoGranted.push(d.evidence.origin, ...d.evidence.alsoGranted);
    }
    drafts.delete(d.id);
  }

  return [...drafts.values()]
    .map((d): AuditFinding => {
      const kind = FINDINGS[d.id];
      return {
        id: d.id,
        severity: severityOf(d.id, d.credentialed),
        title: kind.title,
        why: d.why ?? kind.why,
        evidence: d.evidence,
        fix: d.fix ?? kind.fix,
      };
    })
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
}
