/**
 * The load generator, run as its own process (see load.ts): autocannon against one URL for a
 * bounded time and request count. Reads a `LoadSpec` (JSON) from argv[2] and prints one
 * `LoadResult` (JSON) on stdout. Latencies are recorded here at microsecond resolution
 * (autocannon's own histogram rounds to whole milliseconds).
 */
import { createRequire } from "node:module";
import type { LoadResult, LoadSpec } from "./types.ts";

interface AcRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  onResponse?: (
    status: number,
    body: string,
    context: unknown,
    headers: Record<string, string>,
  ) => void;
}
interface AcResult {
  duration: number;
  errors: number;
  timeouts: number;
  resets: number;
  mismatches: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
interface AcInstance {
  on(
    event: "response",
    fn: (client: unknown, status: number, bytes: number, ms: number) => void,
  ): void;
}
type Autocannon = (
  opts: Record<string, unknown>,
  cb: (err: Error | null, result: AcResult) => void,
) => AcInstance;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function lower(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

const spec = JSON.parse(process.argv[2] ?? "") as LoadSpec;
const latencies = new Float64Array(spec.maxRequests);
let n = 0;
let unexpected = 0;
const examples: string[] = [];

const requests: AcRequest[] = spec.requests.map((r) => {
  const ac: AcRequest = { method: r.method, path: r.path, headers: r.headers };
  const expect = r.expect;
  if (spec.check && expect) {
    ac.onResponse = (status, _body, _ctx, rawHeaders) => {
      const h = lower(rawHeaders);
      const bad: string[] = [];
      if (status !== expect.status) bad.push(`status ${status}`);
      for (const [k, v] of Object.entries(expect.headers ?? {}))
        if (h[k] !== v) bad.push(`${k}: ${h[k] ?? "(absent)"}`);
      if (bad.length > 0) {
        unexpected++;
        if (examples.length < 5) examples.push(`${r.method} ${r.path}: ${bad.join(", ")}`);
      }
    };
  }
  return ac;
});

const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    pipelining: 1,
    duration: spec.durationSec,
    maxOverallRequests: spec.maxRequests,
    timeout: 10,
    requests,
  },
  (err, r) => {
    if (err) {
      console.error(err);
      process.exit(1);
    }
    const sorted = latencies.slice(0, Math.min(n, latencies.length)).sort();
    let sum = 0;
    for (const v of sorted) sum += v;
    const statusCodes: Record<string, number> = {};
    for (const [code, s] of Object.entries(r.statusCodeStats)) statusCodes[code] = s.count;
    const result: LoadResult = {
      url: spec.url,
      connections: spec.connections,
      durationSec: r.duration,
      responses: n,
      reqPerSec: n / r.duration,
      latencyUs: {
        mean: (sum / sorted.length) * 1000,
        p50: quantile(sorted, 0.5) * 1000,
        p90: quantile(sorted, 0.9) * 1000,
        p99: quantile(sorted, 0.99) * 1000,
        max: (sorted[sorted.length - 1] ?? Number.NaN) * 1000,
      },
      statusCodes,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      resets: r.resets,
      unexpected,
      unexpectedExamples: examples,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  },
);

instance.on("response", (_client, _status, _bytes, ms) => {
  if (n < latencies.length) latencies[n] = ms;
  n++;
});
