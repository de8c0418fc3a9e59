/** Runs a scenario's fetches in the real Chromium, from the page origin the scenario names. */
import type { Frame } from "playwright-core";
import type { FetchSpec } from "./scenarios.ts";
import { PROBED_HEADERS } from "./suite-env.ts";

export interface FetchOutcome {
  resolves: boolean;
  status: number | null;
  visible: string[];
  /** Chromium's rejection message (a TypeError: "Failed to fetch"). */
  error: string | null;
}

interface Init {
  method: string;
  headers: Record<string, string>;
  credentials: RequestCredentials;
  redirect: RequestRedirect;
  body?: string;
}

/** `fetch(url, init)` inside `frame`; reads each probed header with `response.headers.get`. */
export async function fetchIn(frame: Frame, url: string, spec: FetchSpec): Promise<FetchOutcome> {
  const init: Init = {
    method: spec.method ?? "GET",
    headers: spec.headers ?? {},
    credentials: spec.credentials ?? "same-origin",
    redirect: spec.redirect ?? "follow",
  };
  if (spec.body !== undefined) init.body = spec.body;
  return frame.evaluate(
    async ({ url, init, probes }) => {
      try {
        const r = await fetch(url, init);
        const visible = probes.filter((n) => r.headers.get(n) !== null);
        await r.arrayBuffer().catch(() => undefined);
        return { resolves: true, status: r.status, visible, error: null };
      } catch (e) {
        return { resolves: false, status: null, visible: [], error: String(e) };
      }
    },
    { url, init, probes: [...PROBED_HEADERS] },
  );
}
