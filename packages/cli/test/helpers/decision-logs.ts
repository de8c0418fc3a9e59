/**
 * Decision logs for the `report` tests, written by the real decision log (@edge-cors/edge) on
 * the core's real decisions, at a fixed clock; and the same lines as the platforms carry them:
 * `wrangler tail --format json` events (wrangler prints JSON.stringify(event, null, 4)) and
 * CloudWatch lines (`time\trequest-id\tINFO\tline`).
 */
import { CorsConfigError } from "@edge-cors/core";
import { DecisionLog, loadEdgePolicy } from "@edge-cors/edge";

export const APP = "https://app.example.com";
export const PARTNER = "https://partner.example";
export const EVIL = "https://evil.example";
export const ADMIN = "https://admin.example.com";
export const REPORT_POLICY = {
  mode: "report",
  allowOrigins: [APP],
  allowMethods: ["PUT"],
  routes: [{ path: "/admin/*", allowOrigins: [ADMIN] }],
};
export const T0 = Date.UTC(2026, 11, 2, 10, 0, 0);

export type Call =
  | { at: number; origin: string; path: string; method?: string }
  | { at: number; origin: string; path: string; preflight: string };

/** The lines the decision log writes for `calls` (ms offsets from T0), at `rate` per second. */
export async function decisionLines(calls: Call[], rate = 100, level?: "all"): Promise<string[]> {
  const lines: string[] = [];
  const clock = { now: T0 };
  const log = new DecisionLog({ rate, level, write: (l) => lines.push(l), now: () => clock.now });
  const loaded = loadEdgePolicy(REPORT_POLICY, "policy", log);
  if (!loaded.ok) throw new CorsConfigError(loaded.issues);
  for (const c of calls) {
    clock.now = T0 + c.at;
    const url = `https://api.example.com${c.path}`;
    const request =
      "preflight" in c
        ? new Request(url, {
            method: "OPTIONS",
            headers: { origin: c.origin, "access-control-request-method": c.preflight },
          })
        : new Request(url, { method: c.method ?? "GET", headers: { origin: c.origin } });
    await loaded.cors.handle(request, () => new Response("upstream"));
  }
  return lines;
}

/** One `wrangler tail --format json` event for a request whose Worker logged `messages`. */
export function tailEvent(
  messages: string[],
  at: number,
  url = "https://edge.example/v1/items",
): string {
  const event = {
    outcome: "ok",
    scriptName: "edge-cors",
    diagnosticsChannelEvents: [],
    exceptions: [],
    logs: messages.map((m, i) => ({ message: [m], level: "log", timestamp: at + i })),
    eventTimestamp: at,
    event: {
      request: {
        url,
        method: "GET",
        headers: { origin: APP, cookie: "session=tail-cookie" },
        cf: { colo: "FRA" },
      },
      response: { status: 200 },
    },
  };
  return JSON.stringify(event, null, 4);
}

/** A CloudWatch Logs line as the Lambda Node.js runtime writes console.log (text format). */
export const cloudWatchLine = (line: string, at: number) =>
  `${new Date(at).toISOString()}\t6c0d7d0e-1b1b-4b1e-9a3e-3d6a5c1f0a11\tINFO\t${line}`;
