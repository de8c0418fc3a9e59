/**
 * `edge-cors report [FILE|-]`: reads decision logs (the layers' JSON lines, `wrangler tail
 * --format json`, CloudWatch lines) and prints the refused decisions by origin, reason and
 * route. With `--policy FILE --accept ORIGIN…` it prints the policy with those origins added,
 * validated. Reading standard input ends at EOF or Ctrl-C (then the report is printed), so
 * `wrangler tail --format json | edge-cors report -` works live.
 */
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { formatIssues } from "@edge-cors/core";
import { CliError, EXIT_OK, EXIT_PROBLEMS, type Io } from "../io.ts";
import { DEFAULT_VAR, readPolicy } from "../policy-file.ts";
import { type AcceptJson, acceptOrigins } from "../report/accept.ts";
import { readDecisionRecords } from "../report/read-logs.ts";
import { renderReport, terminalSafe } from "../report/render.ts";
import { type ReportJson, summarize } from "../report/summarize.ts";

export interface ReportOptions {
  json?: boolean;
  /** With `accept`: the policy to add the origins to (JSON, or a wrangler.toml's CORS_POLICY). */
  policy?: string;
  accept?: string[];
  /** Add to this route's allowOrigins instead of the top level. */
  route?: string;
  env?: string;
  var?: string;
}

/** `--json` output of `report`; `accept` only with `--accept`. */
export type ReportCommandJson = ReportJson & { accept?: AcceptJson };

/** The log as a stream: the file, or standard input for `-` (and when no file is named). */
async function logStream(file: string, stdin: Readable): Promise<Readable> {
  if (file === "-") return stdin;
  try {
    const handle = await open(file, "r");
    return handle.createReadStream({ encoding: "utf8" });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CliError("file-not-found", `${file}: no such file`);
    throw new CliError("file-unreadable", `${file}: cannot read (${code ?? String(e)})`);
  }
}

/** The lines of `stream`; for standard input, Ctrl-C ends them (and the report is printed). */
function linesOf(stream: Readable, interruptible: boolean) {
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  if (interruptible) {
    const stop = () => rl.close();
    process.once("SIGINT", stop);
    rl.once("close", () => process.removeListener("SIGINT", stop));
  }
  return rl;
}

function checkOptions(opts: ReportOptions): void {
  const accepting = (opts.accept?.length ?? 0) > 0;
  if (accepting && opts.policy === undefined)
    throw new CliError("usage", "--accept needs --policy FILE: the policy to add the origins to");
  if (!accepting && opts.policy !== undefined)
    throw new CliError("usage", "--policy is for --accept ORIGIN…: name the origins to add");
  if (!accepting && opts.route !== undefined)
    throw new CliError("usage", "--route is for --accept ORIGIN…");
}

export async function report(
  file: string | undefined,
  opts: ReportOptions,
  io: Io,
  stdin: Readable = process.stdin,
): Promise<number> {
  checkOptions(opts);
  const source = file ?? "-";
  if (source === "-" && (stdin as { isTTY?: boolean }).isTTY === true) {
    throw new CliError(
      "usage",
      "no log to read: pipe one in (wrangler tail --format json | edge-cors report -) or name a file",
    );
  }
  const policySource =
    opts.policy === undefined
      ? null
      : await readPolicy(opts.policy, opts.env, opts.var ?? DEFAULT_VAR);
  const stream = await logStream(source, stdin);
  const lines = linesOf(stream, source === "-");
  if (source === "-")
    io.stderr("edge-cors: reading standard input until it ends (Ctrl-C: stop and report)\n");
  const { records, stats } = await readDecisionRecords(lines);
  const summary: ReportCommandJson = summarize(source, records, stats);

  if (policySource === null) {
    io.stdout(
      opts.json ? `${JSON.stringify(summary, null, 2)}\n` : renderReport(summary, io.color),
    );
    return summary.refused > 0 ? EXIT_PROBLEMS : EXIT_OK;
  }
  const accepted = await acceptOrigins(policySource.policy, opts.accept!, records, opts.route);
  summary.accept = accepted;
  if (opts.json) {
    io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  } else if (accepted.policy === null) {
    io.stderr(
      `edge-cors: the policy with ${opts.accept!.join(", ")} added is refused; nothing proposed:\n${formatIssues(accepted.errors)}\n`,
    );
  } else {
    io.stdout(`${JSON.stringify(accepted.policy, null, 2)}\n`);
    io.stderr(acceptNotes(accepted, policySource.source));
  }
  return accepted.policy === null ? EXIT_PROBLEMS : EXIT_OK;
}

/** What `--accept` did, one line each, for standard error (the policy alone goes to stdout). */
function acceptNotes(a: AcceptJson, source: string): string {
  const lines = [
    ...a.added.map(
      (x) =>
        `edge-cors: added ${x.origin} to ${x.to} of ${source} (refused ${x.refusedInLog} time${x.refusedInLog === 1 ? "" : "s"} in the log)`,
    ),
    ...a.alreadyListed.map((o) => `edge-cors: ${o} is already listed; not added twice`),
    ...a.notInLog.map((o) => `edge-cors: note: ${o} is not refused anywhere in the log`),
    ...a.stillRefused.map(
      (x) =>
        `edge-cors: warning: ${x.origin} is still refused on ${terminalSafe(x.path)}${x.route === null ? "" : ` (route "${x.route}": add it there with --route ${x.route})`}: ${terminalSafe(x.reason, 200)}`,
    ),
    ...a.warnings.map((w) => `edge-cors: warning: ${w.path || "(policy)"}: ${w.message}`),
  ];
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
