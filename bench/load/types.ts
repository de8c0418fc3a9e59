/** What the load generator (client.ts) is told to do. */
export interface LoadSpec {
  url: string;
  connections: number;
  /** Hard time bound, seconds. */
  durationSec: number;
  /** Hard count bound: autocannon stops after this many requests. */
  maxRequests: number;
  /** Sent in turn on every connection. */
  requests: Array<{
    method: string;
    path: string;
    headers: Record<string, string>;
    /** What a correct answer looks like (checked on every response when `check` is set). */
    expect?: { status: number; headers?: Record<string, string> };
  }>;
  /** Check every response against `expect` (costs the generator some CPU: memory run only). */
  check?: boolean;
}

/** One load run, as the generator saw it. */
export interface LoadResult {
  url: string;
  connections: number;
  durationSec: number;
  responses: number;
  reqPerSec: number;
  latencyUs: { mean: number; p50: number; p90: number; p99: number; max: number };
  statusCodes: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  resets: number;
  unexpected: number;
  unexpectedExamples: string[];
}
