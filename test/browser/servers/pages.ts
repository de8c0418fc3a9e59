/**
 * The test page origins. `/run.html?job=<id>#<job JSON>` runs a job's fetches itself and POSTs
 * the outcomes to the report sink, so no driver has to evaluate script in a page or frame: the
 * same fixture works over CDP (Chromium), WebDriver BiDi (Firefox) and classic WebDriver
 * (WebKit). `/sandbox.html?job=<id>#…` runs the same job in `<iframe sandbox="allow-scripts">`,
 * whose opaque origin sends `Origin: null`.
 */
import { type Listening, listen, readBody } from "./listen.ts";

/** One fetch of a job, as the page passes it to `fetch(url, init)`. */
export interface JobFetch {
  url: string;
  init: RequestInit;
  /** Wait this long before sending (preflight cache expiry). */
  gapMs?: number;
}

export interface Job {
  id: string;
  /** Where the page POSTs its report. */
  report: string;
  /** Response headers to read with `response.headers.get(name)`. */
  probes: string[];
  fetches: JobFetch[];
}

export interface FetchOutcome {
  resolves: boolean;
  status: number | null;
  visible: string[];
  /** The rejection's `error.name` ("TypeError" in every engine); messages differ per engine. */
  errorName: string | null;
  error: string | null;
}

export interface JobReport {
  /** `self.origin` of the document that ran the job. */
  origin: string;
  outcomes: FetchOutcome[];
}

const RUNNER = `
(async () => {
  const job = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  const outcomes = [];
  for (const f of job.fetches) {
    if (f.gapMs) await new Promise((r) => setTimeout(r, f.gapMs));
    try {
      const r = await fetch(f.url, f.init);
      const visible = job.probes.filter((n) => r.headers.get(n) !== null);
      await r.arrayBuffer().catch(() => undefined);
      outcomes.push({ resolves: true, status: r.status, visible, errorName: null, error: null });
    } catch (e) {
      outcomes.push({ resolves: false, status: null, visible: [], errorName: e && e.name, error: String(e) });
    }
  }
  await fetch(job.report + "?job=" + encodeURIComponent(job.id), {
    method: "POST",
    body: JSON.stringify({ origin: self.origin, outcomes }),
  });
})();`;

const RUN = `<!doctype html><meta charset=utf-8><title>edge-cors job</title><script>${RUNNER}</script>`;
const SANDBOX = `<!doctype html><meta charset=utf-8><title>sandbox host</title><script>
const frame = document.createElement("iframe");
frame.sandbox = "allow-scripts";
frame.src = "/run.html" + location.search + location.hash;
document.documentElement.append(frame);
</script>`;
const BLANK = "<!doctype html><meta charset=utf-8><title>edge-cors browser suite</title><p>page";

/** Collects job reports; the page server that hosts it accepts `POST /report?job=<id>`. */
export class ReportSink {
  /** The page server that receives the reports (set by the first `startPages` given this sink). */
  url = "";
  readonly #waiting = new Map<string, (r: JobReport) => void>();

  /** Resolves with the report for `id`, or rejects after `timeoutMs`. */
  wait(id: string, timeoutMs: number, what: string): Promise<JobReport> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`${what}: no report for job ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(id, (r) => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve(r);
      });
    });
  }

  deliver(id: string, report: JobReport): void {
    this.#waiting.get(id)?.(report);
  }
}

export async function startPages(name: string, sink?: ReportSink): Promise<Listening> {
  const server = await listen(
    async (req, res) => {
      const url = new URL(req.url ?? "/", "http://page.invalid");
      if (sink !== undefined && req.method === "POST" && url.pathname === "/report") {
        const report = JSON.parse((await readBody(req)).toString("utf8")) as JobReport;
        sink.deliver(url.searchParams.get("job") ?? "", report);
        // Pages on other origins (page B, the sandboxed frame) report here too.
        res.writeHead(204, { "access-control-allow-origin": "*" }).end();
        return;
      }
      const body =
        url.pathname === "/run.html" ? RUN : url.pathname === "/sandbox.html" ? SANDBOX : BLANK;
      res.writeHead(url.pathname === "/favicon.ico" ? 404 : 200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
      });
      res.end(body);
    },
    { name, maxRequests: 5000 },
  );
  if (sink !== undefined && sink.url === "") sink.url = server.url;
  return server;
}
