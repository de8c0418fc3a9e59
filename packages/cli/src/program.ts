/** The command-line interface: commander wiring only; each command lives in src/commands. */
import { Command, CommanderError, Option } from "commander";
import { AUDIT_DEFAULTS, DEFAULT_TIMEOUT_MS } from "./defaults.ts";
import { CliError, EXIT_OK, EXIT_USAGE, type Io, oneLine } from "./io.ts";
import { collect, engineOptions } from "./request-flags.ts";
import { VERSION } from "./version.ts";

/**
 * A command whose module (with the core, the browser model, tldts, tough-cookie, …) is imported
 * when it runs: `--help` and `--version` load none of them, which keeps start-up near Node's own.
 */
function lazy<A extends unknown[]>(
  load: () => Promise<(...args: A) => Promise<number>>,
): (...args: A) => Promise<number> {
  return async (...args) => (await load())(...args);
}
const audit = lazy(async () => (await import("./commands/audit.ts")).audit);
const bundle = lazy(async () => (await import("./commands/bundle.ts")).bundle);
const check = lazy(async () => (await import("./commands/check.ts")).check);
const explain = lazy(async () => (await import("./commands/explain.ts")).explain);
const probe = lazy(async () => (await import("./commands/probe.ts")).probe);
const report = lazy(async () => (await import("./commands/report.ts")).report);

function requestOptions(cmd: Command): Command {
  const request = cmd
    .requiredOption("--origin <origin>", "the calling page's origin, e.g. https://app.example.com")
    .option("--method <method>", "request method, as the script writes it", "GET")
    .option("--header <name:value>", "request header the script sets (repeatable)", collect)
    .option("--credentials", 'credentials: "include" (cookies / HTTP auth)', false);
  return engineOptions(request);
}

/** Builds the program; `setExit` receives each action's exit code. */
export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command("edge-cors")
    .description("Check CORS policies, explain decisions and probe live servers like a browser.")
    .version(VERSION, "-v, --version")
    .option("--no-color", "plain output even on a terminal (NO_COLOR works too)")
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (str) => io.stdout(str),
      writeErr: (str) => io.stderr(str),
      outputError: (str, write) =>
        write(`edge-cors: ${oneLine(str.replace(/^error: /, ""))} (see edge-cors --help)\n`),
    });
  const colorOf = (cmd: Command): Io => ({
    ...io,
    color: io.color && cmd.optsWithGlobals().color !== false,
  });

  program
    .command("check")
    .description(
      "validate a policy (JSON file, or CORS_POLICY in a wrangler.toml); exit 1 on errors",
    )
    .argument("<file>", "policy.json or wrangler.toml")
    .option("--var <name>", "the wrangler var holding the policy", "CORS_POLICY")
    .option("--strict", "fail on warnings too", false)
    .option("--json", "machine-readable output", false)
    .action(async (file: string, opts, cmd: Command) =>
      setExit(await check(file, opts, colorOf(cmd))),
    );

  requestOptions(
    program
      .command("explain")
      .description("print the policy's decision for a browser request, and the browser's verdict")
      .requiredOption("--policy <file>", "policy.json or wrangler.toml"),
  )
    .option("--path <path>", "request path (selects routes)", "/")
    .option("--env <name>", "wrangler environment whose CORS_POLICY to use")
    .option("--var <name>", "the wrangler var holding the policy", "CORS_POLICY")
    .option("--json", "machine-readable output", false)
    .action(async (opts, cmd: Command) => setExit(await explain(opts, colorOf(cmd))));

  requestOptions(
    program
      .command("probe")
      .description("send a live request the way a browser does and diagnose the CORS headers")
      .argument("<url>", "the URL a script would fetch"),
  )
    .option("--data <body>", "body of the actual request (never sent on the preflight)")
    .option(
      "--cookie <cookie>",
      "cookies for the URL's origin, sent on --credentials requests there",
    )
    .option(
      "--read-header <name>",
      "response header the script wants to read (repeatable)",
      collect,
    )
    .addOption(
      new Option("--timeout <ms>", "per-request timeout in milliseconds").default(
        String(DEFAULT_TIMEOUT_MS),
      ),
    )
    .option("--json", "machine-readable output", false)
    .action(async (url: string, opts, cmd: Command) =>
      setExit(await probe(url, opts, colorOf(cmd))),
    );

  program
    .command("audit")
    .description(
      "send crafted Origin values to a live URL and report CORS misconfigurations; --fix prints a policy",
    )
    .argument("<url>", "the URL to audit")
    .requiredOption("--allow <origin>", "an origin that is meant to work (repeatable)", collect)
    .option("--method <method>", "request method the allowed origins use", "GET")
    .option(
      "--header <name:value>",
      "request header the allowed origins send (repeatable)",
      collect,
    )
    .option("--credentials", 'credentials: "include" (cookies / HTTP auth)', false)
    .option("--cookie <cookie>", "cookies for the URL's origin, sent on --credentials requests")
    .option("--concurrency <n>", "requests in flight at once", String(AUDIT_DEFAULTS.concurrency))
    .option(
      "--delay <ms>",
      "pause between requests, in milliseconds",
      String(AUDIT_DEFAULTS.delayMs),
    )
    .option("--timeout <ms>", "per-request timeout in milliseconds", String(DEFAULT_TIMEOUT_MS))
    .option(
      "--max-requests <n>",
      "stop (exit 2) past this many requests",
      String(AUDIT_DEFAULTS.maxRequests),
    )
    .option("--fix", "print an edge-cors policy that keeps what the allowed origins need", false)
    .option("--verify", "with the fixed policy, audit again through the local edge layer", false)
    .option("--json", "machine-readable output", false)
    .action(async (url: string, opts, cmd: Command) =>
      setExit(await audit(url, opts, colorOf(cmd))),
    );

  program
    .command("bundle")
    .description("build a deployable artefact with the policy inlined (target: lambda-edge)")
    .argument("<target>", "lambda-edge")
    .requiredOption("--policy <file>", "policy.json or wrangler.toml")
    .requiredOption("--out <dir>", "output directory (created if missing)")
    .option("--env <name>", "wrangler environment whose CORS_POLICY to use")
    .option("--var <name>", "the wrangler var holding the policy", "CORS_POLICY")
    .option(
      "--decision-log <level>",
      "decision log: refused | all | off (default: refused in report mode, else off)",
    )
    .option("--decision-log-rate <n>", "decision log lines per second per instance (default 100)")
    .option("--json", "machine-readable output", false)
    .action(async (target: string, opts, cmd: Command) =>
      setExit(await bundle(target, opts, colorOf(cmd))),
    );

  program
    .command("report")
    .description(
      "read decision logs (JSON lines, wrangler tail --format json) and count refused decisions by origin, reason and route",
    )
    .argument("[file]", "the log file, or - for standard input (default)")
    .option(
      "--policy <file>",
      "with --accept: the policy to add origins to (JSON or wrangler.toml)",
    )
    .option(
      "--accept <origin>",
      "an origin you recognise, to add to the policy (repeatable)",
      collect,
    )
    .option("--route <path>", "with --accept: add to this route's allowOrigins")
    .option("--env <name>", "wrangler environment whose CORS_POLICY to use")
    .option("--var <name>", "the wrangler var holding the policy", "CORS_POLICY")
    .option("--json", "machine-readable output", false)
    .action(async (file: string | undefined, opts, cmd: Command) =>
      setExit(await report(file, opts, colorOf(cmd))),
    );

  return program;
}

/** Runs the CLI on `argv` (without node and script), returning the exit code. Never throws. */
export async function run(argv: string[], io: Io): Promise<number> {
  let exit = EXIT_OK;
  const json = argv.includes("--json");
  const program = buildProgram(io, (code) => {
    exit = code;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; every parse error is a usage error.
      if (e.exitCode === 0) return EXIT_OK;
      if (json) io.stdout(errorJson("usage", e.message.replace(/^error: /, "")));
      return EXIT_USAGE;
    }
    const err =
      e instanceof CliError
        ? e
        : new CliError("usage", `unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    if (!(e instanceof CliError) && process.env.EDGE_CORS_DEBUG)
      io.stderr(`${(e as Error).stack}\n`);
    io.stderr(`edge-cors: ${oneLine(err.message)}\n`);
    if (json) io.stdout(errorJson(err.code, err.message));
    return err.exitCode;
  }
}

/** `--json` output for an input or usage error (exit 2). */
export interface ErrorJson {
  ok: false;
  error: { code: string; message: string };
}

function errorJson(code: string, message: string): string {
  const out: ErrorJson = { ok: false, error: { code, message: oneLine(message) } };
  return `${JSON.stringify(out, null, 2)}\n`;
}
