/**
 * The probe's transport: sends each request the browser model plans with Node's fetch, exactly
 * as planned. No redirects are followed here (the model follows them), nothing is judged here.
 */
import type { Respond } from "@edge-cors/browser";
import { CliError } from "./io.ts";

export interface TransportOptions {
  /** Per-request limit (connect + response headers), in milliseconds. */
  timeoutMs: number;
  /** Body of the actual request (never of the preflight); ignored for GET and HEAD. */
  body?: string;
  /** Cookie header for a credentialed actual request (never on the preflight). */
  cookie?: string;
  userAgent: string;
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
  let failure: CliError | null = null;
  const respond: Respond = async (wire) => {
    const headers = new Headers(wire.headers);
    if (!headers.has("user-agent")) headers.set("user-agent", opts.userAgent);
    const actual = wire.kind === "actual";
    if (actual && wire.credentials && opts.cookie !== undefined) headers.set("cookie", opts.cookie);
    const withBody =
      actual && opts.body !== undefined && wire.method !== "GET" && wire.method !== "HEAD";
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
      const f = describeFailure(err, wire.url, opts.timeoutMs);
      failure ??= f;
      throw new Error(f.message);
    }
    const lines: Array<[string, string]> = [];
    // Iteration yields each Set-Cookie line separately and every other name once (joined).
    for (const [name, value] of res.headers) lines.push([name, value]);
    await res.body?.cancel().catch(() => {});
    return { status: res.status, headers: lines };
  };
  return { respond, failure: () => failure };
}
