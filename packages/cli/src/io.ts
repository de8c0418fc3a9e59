/** Where the CLI writes, and the one error type it turns into a one-line message. */

/** Exit codes: 0 ok, 1 problems found, 2 usage or input error. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

export interface Io {
  /** Writes to standard output (text includes its own newlines). */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** ANSI colour on human output. */
  color: boolean;
}

/** Stable codes for input errors; `--json` prints them as `error.code`. */
export type CliErrorCode =
  | "usage"
  | "file-not-found"
  | "file-unreadable"
  | "invalid-json"
  | "invalid-toml"
  | "no-policy"
  | "invalid-input"
  | "invalid-url"
  | "connection-refused"
  | "timeout"
  | "network-error"
  | "request-limit"
  | "bundle-failed";

/** An input or usage error: printed as one line (never a stack trace), exit code 2. */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly code: CliErrorCode;
  readonly exitCode: number;

  constructor(code: CliErrorCode, message: string, exitCode = EXIT_USAGE) {
    super(message);
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Collapses a message to one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
