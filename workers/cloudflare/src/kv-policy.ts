import { type Cors, formatIssues } from "@edge-cors/core";
import { type DecisionLog, type EdgeLayer, loadEdgePolicy } from "@edge-cors/edge";

export const DEFAULT_KV_KEY = "cors-policy";
export const DEFAULT_KV_TTL_MS = 15_000;
export const MAX_KV_TTL_MS = 300_000;

export interface KvPolicyOptions {
  kv: KVNamespace;
  key: string;
  ttlMs: number;
  /** Builds the layer for a validated policy (same upstream settings, new policy). */
  build: (cors: Cors) => EdgeLayer;
  log?: (message: string) => void;
  /** The isolate's decision log: policies from KV tell it their decisions too. */
  decisionLog?: DecisionLog | null;
}

/**
 * The policy from KV, cached in the isolate for `ttlMs`. A value that fails validation is
 * refused (logged once with every problem) and the last good policy keeps serving; a missing
 * key means "use the policy from the Worker's vars" (`fallback`).
 */
export class KvPolicy {
  readonly #o: KvPolicyOptions;
  readonly #log: (message: string) => void;
  /** The layer for the last good KV text, or null while the key is absent. */
  #good: { text: string; layer: EdgeLayer } | null = null;
  #refused: string | null = null;
  #readAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<void> | null = null;

  constructor(options: KvPolicyOptions) {
    this.#o = options;
    this.#log = options.log ?? ((m) => console.error(m));
  }

  /** The layer to serve with: KV's policy when it has a good one, else `fallback`. */
  async layer(fallback: EdgeLayer): Promise<EdgeLayer> {
    if (Date.now() - this.#readAt >= this.#o.ttlMs) {
      // One KV read per isolate at a time; concurrent requests wait for the same read.
      this.#reading ??= this.#refresh().finally(() => {
        this.#reading = null;
      });
      await this.#reading;
    }
    return this.#good?.layer ?? fallback;
  }

  async #refresh(): Promise<void> {
    let text: string | null;
    try {
      text = await this.#o.kv.get(this.#o.key, "text");
    } catch (e) {
      // KV unavailable: keep serving what we have, try again after the TTL.
      this.#readAt = Date.now();
      this.#log(
        `edge-cors: reading the policy from KV key "${this.#o.key}" failed, keeping the current one: ${e}`,
      );
      return;
    }
    this.#readAt = Date.now();
    if (text === null) {
      this.#good = null;
      return;
    }
    if (text === this.#good?.text || text === this.#refused) return;
    // Compiled once per distinct KV text: a refused text is remembered and not recompiled.
    const loaded = loadEdgePolicy(text, `KV "${this.#o.key}"`, this.#o.decisionLog);
    if (loaded.ok) {
      this.#good = { text, layer: this.#o.build(loaded.cors) };
      this.#refused = null;
      if (loaded.warnings.length > 0)
        this.#log(
          `edge-cors: policy from KV accepted with warnings:\n${formatIssues(loaded.warnings)}`,
        );
      return;
    }
    this.#refused = text;
    const keeping =
      this.#good === null ? "the policy from the Worker's vars" : "the last good policy from KV";
    const count = loaded.issues.length;
    this.#log(
      `edge-cors: refused the policy in KV key "${this.#o.key}" (${count} problem${count === 1 ? "" : "s"}); still serving ${keeping}:\n${formatIssues(loaded.issues)}`,
    );
  }
}
