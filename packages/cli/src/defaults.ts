/**
 * Option defaults that `--help` prints. They live apart from the commands so that building the
 * program (and so `--help`, `--version`) loads none of the commands' dependencies.
 */

/** Per-request timeout of `probe` and `audit`, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export const AUDIT_DEFAULTS = { concurrency: 4, delayMs: 0, maxRequests: 200 } as const;
