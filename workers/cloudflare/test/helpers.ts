import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import worker, { type Env } from "../src/index.ts";

/** How the runtime types an incoming request (tests build plain ones). */
type Incoming = Request<unknown, IncomingRequestCfProperties>;

export const upstreamUrl: string = inject("upstreamUrl");
export const deadUrl: string = inject("deadUrl");
export const rawUpstreamUrl: string = inject("rawUpstreamUrl");
export const routeServerUrls = inject("routeServerUrls");
export const filesUpstreamUrl: string = inject("filesUpstreamUrl");
/** The public URL the tests pretend the edge layer runs on. */
export const EDGE = "https://edge.example";
export const MIB = 1024 * 1024;

export const testId = (): string => crypto.randomUUID();

/** The requests the upstream saw carrying `x-test-id: id`. */
export async function upstreamLog(
  id: string,
): Promise<Array<{ method: string; url: string; headers: Record<string, string> }>> {
  return (await fetch(`${upstreamUrl}/log?id=${id}`)).json();
}

/** The deployable Worker with extra vars (a fresh env object: a fresh isolate-level state). */
export async function callWorker(request: Request, vars: Partial<Env>): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request as Incoming, { ...env, ...vars } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A long-lived env object, for tests that need the Worker's per-isolate state to persist. */
export function workerWith(vars: Partial<Env>): (request: Request) => Promise<Response> {
  const e = { ...env, ...vars } as Env;
  return async (request) => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(request as Incoming, e, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
}

/** Deterministic content: byte i is (i * 31 + 7) & 0xff (same as the upstream's /source). */
export function pattern(offset: number, length: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = ((offset + i) * 31 + 7) & 0xff;
  return b;
}

export async function sha256Hex(data: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
