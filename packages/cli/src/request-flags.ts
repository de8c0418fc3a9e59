/** Turns the request flags shared by `explain` and `probe` into a browser-model request. */
import { type BrowserRequest, planRequest, type RequestPlan } from "@edge-cors/browser";
import { CliError } from "./io.ts";

export interface RequestFlags {
  origin: string;
  method?: string;
  header?: string[];
  credentials?: boolean;
}

/** `--header "Name: value"` → [name, value]; the value keeps its text after the first colon. */
export function parseHeaderFlag(flag: string): [string, string] {
  const colon = flag.indexOf(":");
  if (colon <= 0) {
    throw new CliError(
      "usage",
      `--header "${flag}" must look like name:value (e.g. "X-Api-Key: 1")`,
    );
  }
  return [flag.slice(0, colon).trim(), flag.slice(colon + 1).trim()];
}

export function browserRequest(url: string, flags: RequestFlags): BrowserRequest {
  return {
    url,
    origin: flags.origin,
    method: flags.method ?? "GET",
    headers: (flags.header ?? []).map(parseHeaderFlag),
    credentials: flags.credentials ? "include" : "same-origin",
  };
}

const URL_PROBLEMS = new Set(["request-invalid-url", "request-scheme", "request-url-credentials"]);

/**
 * Plans the request with the browser model; what `fetch()` itself would reject (a bad origin,
 * method or header) is an input error.
 */
export function planOrThrow(req: BrowserRequest): RequestPlan {
  const plan = planRequest(req);
  if (!plan.ok) {
    const text = plan.problems
      .map((p) => {
        const what =
          p.code === "request-invalid-origin"
            ? "--origin"
            : p.code.includes("method")
              ? "--method"
              : p.code === "request-invalid-header"
                ? "--header"
                : "URL";
        return `${what}: ${p.message} (${p.fix})`;
      })
      .join("; ");
    const first = plan.problems[0]?.code ?? "";
    throw new CliError(URL_PROBLEMS.has(first) ? "invalid-url" : "invalid-input", text);
  }
  return plan;
}
