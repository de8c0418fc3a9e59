/**
 * The shared conformance vectors (vectors.json) and the helpers every adapter's test uses to
 * run them: build the Request, build the app's Response, check what came back.
 */
import type { CorsPolicy } from "../../packages/core/src/policy.ts";
import data from "./vectors.json" with { type: "json" };

export interface Vector {
  name: string;
  policy: string;
  kind: "preflight" | "actual" | "plain-options" | "not-cors";
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
