/**
 * The probe's transport: sends each request the browser model plans with Node's fetch, as
 * planned except for credentials, which `ProbeCredentials` attaches only where they belong
 * (src/credentials.ts). No redirects are followed here (the model follows them), nothing is
 * judged here.
 */
import type { Respond } from "@edge-cors/browser";
import { ProbeCredentials } from "./credentials.ts";
import { CliError } from "./io.ts";

export interface TransportOptions {
  /** The URL the script fetches: its host owns the cookies, its origin the Authorization header. */
  url: string;
  /** Per-request limit (connect + response headers), in milliseconds. */
  timeoutMs: number;
  /** Body of the actual request (never of the preflight); ignored for GET and HEAD. */
  body?: string;
  /** Cookie header the browser holds for `url`'s host; sent on credentialed requests there. */
  cookie?: string;
  userAgent: string;
  /** Awaited before each request is sent (pacing, request budgets); may throw a CliError. */
  beforeSend?: () => Promise<void>;
}

export interface Transport {
  respond: Respond;
  /** The first connection-level failure, as the error the CLI reports; null if none. */
  failure(): CliError | null;
}

function describeFailure(err: unknown, url: string, timeoutMs: number): CliError {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") {
    return new CliError("timeout", `${url}: no response within ${timeoutMs} ms (raise --timeout)`);
  }
  const code = e.cause?.code;
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  if (code === "ECONNREFUSED") {
    return new CliError("connection-refused", `${url}: connection refused by ${host}`);
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new CliError("network-error", `${url}: cannot resolve host ${new URL(url).hostname}`);
  }
  if (e.cause?.message === "bad port") {
    return new CliError(
      "invalid-url",
      `${url}: port ${new URL(url).port} is blocked by fetch (browsers block it too)`,
    );
  }
  const detail = e.cause?.message ?? e.message ?? String(err);
  return new CliError(
    "network-error",
    `${url}: ${detail.split("\n")[0]}${code !== undefined && !detail.includes(code) ? ` (${code})` : ""}`,
  );
}

export function fetchTransport(opts: TransportOptions): Transport {
  const credentials = new ProbeCredentials(opts.url, opts.cookie);
  let failure: CliError | null = null;
  const fail = (f: CliError): never => {
    failure ??= f;
    throw new Error(f.message);
  };
  const respond: Respond = async (wire) => {
    const headers = credentials.headersFor(wire);
    if (!headers.has("user-agent")) headers.set("user-agent", opts.userAgent);
    const withBody =
      wire.kind === "actual" &&
      opts.body !== undefined &&
      wire.method !== "GET" &&
      wire.method !== "HEAD";
    try {
      await opts.beforeSend?.();
    } catch (err) {
      if (err instanceof CliError) fail(err);
      throw err;
    }
    let res: Response;
    try {
      res = await fetch(wire.url, {
        method: wire.method,
        headers,
        body: withBody ? opts.body : null,
        redirect: "manual",
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (err) {
      return fail(describeFailure(err, wire.url, opts.timeoutMs));
    }
    credentials.remember(wire, res.headers.getSetCookie());
    const lines: Array<[string, string]> = [];
    // Iteration yields each Set-Cookie line separately and every other name once (joined).
    for (const [name, value] of res.headers) lines.push([name, value]);
    await res.body?.cancel().catch(() => {});
    return { status: res.status, headers: lines };
  };
  return { respond, failure: () => failure };
}
