/**
 * The shared conformance vectors (vectors.json) and the helpers every adapter's test uses to
 * run them: build the Request, build the app's Response, check what came back.
 */
import type { CorsPolicy, Decision } from "../../packages/core/src/policy.ts";
import data from "./vectors.json" with { type: "json" };

export interface Vector {
  name: string;
  policy: string;
  kind: "preflight" | "actual" | "websocket" | "plain-options" | "not-cors";
  request: { method: string; path: string; headers: Record<string, string> };
  /** What the app / upstream answers. Default: 200, body "app", content-type text/plain. */
  app?: { status: number; headers?: Record<string, string> };
  expect: {
    reachesApp: boolean;
    status: number;
    headers?: Record<string, string | null>;
    vary?: string[];
    varyAbsent?: string[];
    varyExact?: string;
    body?: string;
  };
}

export const base: string = data.base;
export const policies: Record<string, CorsPolicy> = data.policies as never;
export const vectors: Vector[] = data.vectors as unknown as Vector[];

/** The vector's request, against `origin` (default: the vectors' base, https://api.example.com). */
export function vectorRequest(v: Vector, origin = base): Request {
  return new Request(origin + v.request.path, {
    method: v.request.method,
    headers: v.request.headers,
  });
}

/** The app's response for a vector (a fresh, mutable Response). */
export function appResponse(v: Vector): Response {
  const status = v.app?.status ?? 200;
  const body = status === 204 || status === 304 ? null : "app";
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain", "x-app": "1", ...(v.app?.headers ?? {}) },
  });
}

/** Vary tokens, lower-cased. */
function varyTokens(h: Headers): string[] {
  return (h.get("vary") ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** Every way `response` differs from the vector's expectation; [] when it conforms. */
export function checkVector(
  v: Vector,
  response: { status: number; headers: Headers },
  reachedApp: boolean,
): string[] {
  const p: string[] = [];
  const e = v.expect;
  if (reachedApp !== e.reachesApp)
    p.push(`reachesApp: expected ${e.reachesApp}, got ${reachedApp}`);
  if (response.status !== e.status) p.push(`status: expected ${e.status}, got ${response.status}`);
  for (const [name, want] of Object.entries(e.headers ?? {})) {
    const got = response.headers.get(name);
    if (got !== want)
      p.push(`${name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
  const vary = varyTokens(response.headers);
  for (const t of e.vary ?? [])
    if (!vary.includes(t.toLowerCase())) p.push(`Vary lacks ${t} (got "${vary.join(", ")}")`);
  for (const t of e.varyAbsent ?? [])
    if (vary.includes(t.toLowerCase())) p.push(`Vary must not contain ${t}`);
  if (e.varyExact !== undefined && response.headers.get("vary") !== e.varyExact) {
    p.push(`Vary: expected exactly "${e.varyExact}", got "${response.headers.get("vary")}"`);
  }
  if (new Set(vary).size !== vary.length) p.push(`Vary has duplicates: "${vary.join(", ")}"`);
  return p;
}

/**
 * The ways a policy can answer, which must all render the same decision: plainly, with the
 * decision header, with an onDecision observer, and in report mode (decide, touch nothing).
 */
export const MODES = ["plain", "decision-header", "on-decision", "report"] as const;
export type Mode = (typeof MODES)[number];

/** The modes a JSON-only runtime can be configured with (no onDecision function). */
export const JSON_MODES: readonly Mode[] = ["plain", "decision-header", "report"];

/** The vector's policy, set up for `mode`; `decisions` collects what onDecision receives. */
export function policyInMode(name: string, mode: Mode, decisions?: Decision[]): CorsPolicy {
  const policy = policies[name]!;
  switch (mode) {
    case "plain":
      return policy;
    case "decision-header":
      return { ...policy, decisionHeader: true } as CorsPolicy;
    case "on-decision":
      return { ...policy, onDecision: (d: Decision) => decisions?.push(d) } as CorsPolicy;
    case "report":
      return {
        ...policy,
        mode: "report",
        ...(decisions ? { onDecision: (d: Decision) => decisions.push(d) } : {}),
      } as CorsPolicy;
  }
}

/**
 * Every way `response` differs from what the vector expects in `mode`; [] when it conforms.
 * `decisions`, when given, is what onDecision received for this one request.
 */
export function checkVectorInMode(
  v: Vector,
  mode: Mode,
  response: { status: number; headers: Headers },
  reachedApp: boolean,
  decisions?: readonly Decision[],
): string[] {
  const problems: string[] = [];
  if (decisions !== undefined && (mode === "on-decision" || mode === "report")) {
    if (decisions.length !== 1)
      problems.push(`onDecision called ${decisions.length} times, expected once`);
    else if (decisions[0]!.kind !== v.kind)
      problems.push(`onDecision kind ${decisions[0]!.kind}, expected ${v.kind}`);
  }
  if (mode === "report") {
    // Decided, recorded, and nothing touched: the app answers everything, preflights included.
    const app = appResponse(v);
    if (!reachedApp) problems.push("report mode: the request must reach the app");
    if (response.status !== app.status)
      problems.push(`report mode: status ${response.status}, the app answered ${app.status}`);
    for (const [name, value] of response.headers) {
      if (
        (name.startsWith("access-control-") || name === "x-cors-decision") &&
        app.headers.get(name) !== value
      )
        problems.push(`report mode: ${name} was added`);
    }
    if (response.headers.get("vary") !== app.headers.get("vary"))
      problems.push(`report mode: Vary changed to ${JSON.stringify(response.headers.get("vary"))}`);
    return problems;
  }
  if (mode === "decision-header") {
    // The decision header names the origin, so a "*" answer varies on Origin here too.
    const relaxed: Vector = {
      ...v,
      expect: {
        ...v.expect,
        varyAbsent: (v.expect.varyAbsent ?? []).filter((t) => t.toLowerCase() !== "origin"),
      },
    };
    delete relaxed.expect.varyExact;
    problems.push(...checkVector(relaxed, response, reachedApp));
    // Every vector's answer is edge-cors's or a decorated app response (never a 101).
    const header = response.headers.get("x-cors-decision");
    if (!header?.startsWith(`${v.kind}; `))
      problems.push(`x-cors-decision: got ${JSON.stringify(header)}`);
    return problems;
  }
  return [...problems, ...checkVector(v, response, reachedApp)];
}

/** The `access-control-*` headers of a response, for comparing modes. */
export function corsHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) if (name.startsWith("access-control-")) out[name] = value;
  return out;
}
