/**
 * The decision log of the deployed edge layers (Cloudflare Worker, Deno, Lambda@Edge, the
 * Lambda wrapper): the core tells it every decision (the `observe` hook of `loadCors`), and it
 * writes the ones its level asks for as one JSON line each (decision-log-line.ts), at most
 * `rate` per second per isolate. The rest are counted and summarised in one line per window.
 * Optionally every decision also becomes an Analytics Engine data point.
 *
 * It never slows or breaks a request: no I/O but one `console.log` per written line, no timers;
 * the core swallows an observer's errors, and a failing metrics binding is swallowed here.
 *
 * Time comes from the isolate's clock (`Date.now()`). In workerd that clock only advances
 * with I/O, so a burst of requests within one turn counts against one window.
 */
import type { Decision } from "@edge-cors/core";
import { type AnalyticsDataset, decisionDataPoint } from "./decision-analytics.ts";
import { decisionLine, droppedLine, isLoggedKind } from "./decision-log-line.ts";

/**
 * `refused`: refused decisions only; `all`: allowed ones too; `off`: none. Unset: `refused`
 * for a policy in `mode: "report"`, `off` in `enforce`.
 */
export type DecisionLogLevel = "refused" | "all" | "off";

/** Lines per second per isolate when `CORS_DECISION_LOG_RATE` is unset. */
export const DEFAULT_DECISION_LOG_RATE = 100;
/** The largest `CORS_DECISION_LOG_RATE` accepted. */
export const MAX_DECISION_LOG_RATE = 100_000;
/** The rate bound's window, in ms. */
export const DECISION_LOG_WINDOW_MS = 1000;

export interface DecisionLogOptions {
  /** The level; `null`/absent: by the policy's mode (see {@link DecisionLogLevel}). */
  level?: DecisionLogLevel | null;
  /** Lines per window (second). Default {@link DEFAULT_DECISION_LOG_RATE}. */
  rate?: number;
  /** Where lines go. Default `console.log` (stdout), looked up on every line. */
  write?: (line: string) => void;
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number;
  /** An Analytics Engine dataset: every logged kind of decision becomes a data point. */
  analytics?: AnalyticsDataset | null;
}

/** An observer for `loadCors(…, { observe })`. */
export type DecisionObserver = (decision: Decision) => void;

/** The level in force for a policy in `mode`. */
export function levelFor(
  level: DecisionLogLevel | null | undefined,
  mode: "enforce" | "report",
): DecisionLogLevel {
  return level ?? (mode === "report" ? "refused" : "off");
}

/** One isolate's decision log: its rate-bound state is shared by every policy it observes. */
export class DecisionLog {
  readonly level: DecisionLogLevel | null;
  readonly rate: number;
  readonly analytics: AnalyticsDataset | null;
  readonly #write: (line: string) => void;
  readonly #now: () => number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #written = 0;
  #dropped = 0;
  #droppedRefused = 0;

  constructor(options: DecisionLogOptions = {}) {
    this.level = options.level ?? null;
    this.rate = options.rate ?? DEFAULT_DECISION_LOG_RATE;
    this.analytics = options.analytics ?? null;
    this.#write = options.write ?? ((line) => console.log(line));
    this.#now = options.now ?? Date.now;
  }

  /**
   * The observer to compile a policy in `mode` with, or `undefined` when it would do nothing
   * (log off and no metrics): then the core does not even put decisions into words.
   */
  observerFor(mode: "enforce" | "report"): DecisionObserver | undefined {
    const level = levelFor(this.level, mode);
    if (level === "off" && this.analytics === null) return undefined;
    return (decision) => this.#observe(decision, level);
  }

  #observe(decision: Decision, level: DecisionLogLevel): void {
    const kept = isLoggedKind(decision.kind);
    if (kept && this.analytics !== null) {
      try {
        this.analytics.writeDataPoint(decisionDataPoint(decision));
      } catch {
        // Metrics must not cost the log line, nor the request.
      }
    }
    if (!kept || level === "off" || (level === "refused" && decision.allowed)) {
      // Not written; but a later request of any kind closes a window that held lines back.
      if (this.#dropped > 0) this.#rollWindow(this.#now());
      return;
    }
    const now = this.#now();
    this.#rollWindow(now);
    if (this.#written < this.rate) {
      this.#written++;
      this.#write(decisionLine(decision, now));
    } else {
      this.#dropped++;
      if (!decision.allowed) this.#droppedRefused++;
    }
  }

  /** Past the window: summarise what it held back (one line), start a new one at `now`. */
  #rollWindow(now: number): void {
    if (now - this.#windowStart < DECISION_LOG_WINDOW_MS) return;
    if (this.#dropped > 0) {
      this.#write(
        droppedLine(
          this.#dropped,
          this.#droppedRefused,
          this.#windowStart,
          this.#windowStart + DECISION_LOG_WINDOW_MS,
        ),
      );
    }
    this.#windowStart = now;
    this.#written = 0;
    this.#dropped = 0;
    this.#droppedRefused = 0;
  }
}
