/**
 * `edge-cors explain --policy <file> --origin <o> ...`: the core's decision for the request(s) a
 * browser would send for `fetch(path, { method, headers, credentials })` from `origin`.
 */

import type { WireRequest } from "@edge-cors/browser";
import { type Decision, loadCors } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import { style } from "../color.ts";
import { type BrowserVerdictJson, engineVerdicts, everyoneOk } from "../engine-verdicts.ts";
import { CliError, EXIT_OK, EXIT_PROBLEMS, type Io } from "../io.ts";
import { DEFAULT_VAR, readPolicy } from "../policy-file.ts";
import { browserVerdictLines, headerLines } from "../render.ts";
import {
  browserRequest,
  planOrThrow,
  type RequestFlags,
  selectedEngines,
} from "../request-flags.ts";
import { renderCheck } from "./check.ts";

export interface ExplainOptions extends RequestFlags {
  policy: string;
  env?: string;
  var?: string;
  path?: string;
  json?: boolean;
}

/** The host the explained requests go to; only the path matters to a policy. */
export const EXPLAIN_BASE = "https://server.invalid";

/** `--json` output of `explain`. */
export interface ExplainJson {
  command: "explain";
  ok: boolean;
  policy: {
    source: string;
    errors: Array<{ path: string; message: string }>;
    warnings: Array<{ path: string; message: string }>;
  };
  request: {
    path: string;
    origin: string;
    method: string;
    headers: Array<[string, string]>;
    credentials: boolean;
  };
  preflight: { needed: boolean; reasons: string[]; decision: Decision | null };
  /** The actual request's decision; null when a refused preflight stops the browser first. */
  actual: Decision | null;
  /**
   * The verdict on the responses this policy produces (the app answering 200): the Fetch
   * standard's, and beside it each selected engine's.
   */
  browser: BrowserVerdictJson;
}

const toRequest = (w: WireRequest) => new Request(w.url, { method: w.method, headers: w.headers });

export async function explain(opts: ExplainOptions, io: Io): Promise<number> {
  const path = opts.path ?? "/";
  if (!path.startsWith("/")) throw new CliError("usage", `--path "${path}" must start with "/"`);
  let url: string;
  try {
    url = new URL(path, EXPLAIN_BASE).href;
  } catch {
    throw new CliError("usage", `--path "${path}" is not a valid path`);
  }
  const src = await readPolicy(opts.policy, opts.env, opts.var ?? DEFAULT_VAR);
  // Validated and compiled once, with the Public Suffix List, as every runtime does.
  const loaded = loadCors(src.policy, { publicSuffixes });
  const errors = loaded.ok ? [] : [...loaded.issues];
  const warnings = [...loaded.warnings];
  if (!loaded.ok) {
    const result = {
      command: "check" as const,
      ok: false,
      file: opts.policy,
      policies: [{ source: src.source, env: src.env, ok: false, errors, warnings }],
      errors: errors.length,
      warnings: warnings.length,
    };
    if (opts.json) {
      const out = {
        command: "explain",
        ok: false,
        policy: { source: src.source, errors, warnings },
      };
      io.stdout(`${JSON.stringify(out, null, 2)}\n`);
    } else io.stdout(renderCheck(result, io.color));
    return EXIT_PROBLEMS;
  }
  const cors = loaded.cors;
  const engines = selectedEngines(opts);
  const req = browserRequest(url, opts);
  const plan = planOrThrow(req);

  const preflight = plan.preflight === null ? null : await cors.explain(toRequest(plan.preflight));
  const actual =
    preflight === null || preflight.allowed ? await cors.explain(toRequest(plan.actual)) : null;
  // The browser's side: the same policy answering, an app behind it that answers 200.
  const verdicts = await engineVerdicts(
    req,
    async (wire) => {
      const res = await cors.handle(toRequest(wire), () => new Response(null, { status: 200 }));
      return { status: res.status, headers: res.headers };
    },
    engines,
  );
  const out: ExplainJson = {
    command: "explain",
    ok: everyoneOk(verdicts.json),
    policy: { source: src.source, errors, warnings },
    request: {
      path: new URL(url).pathname + new URL(url).search,
      origin: opts.origin,
      method: plan.method,
      headers: Object.entries(plan.actual.headers).filter(([n]) => n !== "origin"),
      credentials: opts.credentials === true,
    },
    preflight: {
      needed: plan.preflight !== null,
      reasons: plan.preflight?.reasons ?? [],
      decision: preflight,
    },
    actual,
    browser: verdicts.json,
  };
  if (opts.json) io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  else io.stdout(renderExplain(out, io.color));
  return out.ok ? EXIT_OK : EXIT_PROBLEMS;
}

function decisionLines(s: ReturnType<typeof style>, title: string, d: Decision): string[] {
  const verdict = d.allowed ? s.green("allowed") : s.red("refused");
  const status = d.status === undefined ? "" : `, ${d.status}`;
  const route = d.route === null ? "" : s.dim(` (route ${d.route})`);
  const lines = [`${s.bold(title)}  →  ${verdict}${status}${route}`];
  for (const r of d.reasons) lines.push(`  · ${r}`);
  const headers = Object.entries(d.headers);
  lines.push(
    headers.length > 0 ? "  Response headers:" : "  Response headers: (none set by edge-cors)",
  );
  lines.push(...headerLines(s, headers));
  if (d.preflightCache !== undefined) {
    const c = d.preflightCache;
    lines.push(
      `  Preflight cache: Chromium ${c.chromium} s, Firefox ${c.firefox} s, WebKit ${c.webkit} s`,
    );
  }
  return lines;
}

export function renderExplain(e: ExplainJson, color: boolean): string {
  const s = style(color);
  const lines: string[] = [];
  lines.push(`${s.bold("Policy")} ${e.policy.source}`);
  for (const w of e.policy.warnings)
    lines.push(`  ${s.yellow("warning")}  ${w.path || "(policy)"}: ${w.message}`);
  const cred = e.request.credentials ? ' (credentials: "include")' : "";
  lines.push(
    `${s.bold("Request")} ${e.request.method} ${e.request.path} from ${e.request.origin}${cred}`,
  );
  lines.push(...headerLines(s, e.request.headers));
  lines.push(
    e.preflight.needed
      ? `Preflight needed: ${e.preflight.reasons.join("; ")}`
      : "No preflight: a simple request (safelisted method and headers)",
  );
  if (e.preflight.decision !== null) {
    lines.push(
      "",
      ...decisionLines(s, `Preflight OPTIONS ${e.request.path}`, e.preflight.decision),
    );
  }
  if (e.actual !== null) {
    lines.push("", ...decisionLines(s, `Actual ${e.request.method} ${e.request.path}`, e.actual));
  } else {
    lines.push("", s.dim("Actual request: not sent (the browser stops at the refused preflight)"));
  }
  const refused = e.preflight.decision?.allowed === false || e.actual?.allowed === false;
  if (refused) {
    // The browser's complaints only restate the refusal; the reasons above name the policy fix.
    lines.push(
      "",
      `${s.bold("Browser verdict")} ${s.red(s.bold("FAIL"))}  the policy refuses this request`,
    );
  } else {
    const b = e.browser;
    const heading = `${s.bold("Browser verdict")} `;
    lines.push("", ...browserVerdictLines(s, b, e.preflight.needed, heading));
    if (!everyoneOk(b)) {
      lines.push(
        s.dim(
          "  The policy allows it, but a browser rejects its responses: change the policy so it",
        ),
      );
      lines.push(s.dim("  sends what each fix says."));
    }
  }
  return `${lines.join("\n")}\n`;
}
