/**
 * The one vitest harness every adapter runs the conformance vectors through: each vector in
 * each mode the adapter supports, checked by `checkVectorInMode`, plus the check that the
 * modes send identical CORS headers.
 */
import { describe, expect, it } from "vitest";
import type { CorsPolicy, Decision } from "../../packages/core/src/policy.ts";
import {
  checkVectorInMode,
  corsHeaders,
  MODES,
  type Mode,
  policyInMode,
  type Vector,
  vectors,
} from "./index.ts";

/** What running one vector through an adapter gave. */
export interface VectorRun {
  response: { status: number; headers: Headers; text?: () => Promise<string> };
  reached: boolean;
}

/**
 * Runs `vector` with `policy` (the vector's policy set up for a mode) through the adapter.
 * `policyName` identifies the policy for adapters that cache compiled policies per name.
 */
export type VectorRunner = (
  vector: Vector,
  policy: CorsPolicy,
  policyName: string,
  mode: Mode,
) => Promise<VectorRun>;

export interface VectorSuiteOptions {
  /**
   * The modes this adapter can be configured with (default: all four). `JSON_MODES` for an
   * adapter configured with JSON only: no onDecision, so what it decided is not observed.
   */
  modes?: readonly Mode[];
  /** Vectors this adapter cannot run, with the reason (e.g. a runtime answers them itself). */
  skip?: (vector: Vector) => string | null;
}

export function vectorSuite(
  adapter: string,
  run: VectorRunner,
  options: VectorSuiteOptions = {},
): void {
  const modes = options.modes ?? MODES;
  const selected = vectors.filter((v) => options.skip?.(v) == null);
  describe(`conformance vectors through ${adapter}`, () => {
    for (const mode of modes) {
      it.each(selected.map((v) => [v.name, v] as const))(`${mode}: %s`, async (_name, v) => {
        // An adapter configured with JSON only has no onDecision: nothing to observe.
        const observes = modes.includes("on-decision");
        const decisions: Decision[] = [];
        const policy = policyInMode(v.policy, mode, observes ? decisions : undefined);
        const { response, reached } = await run(v, policy, v.policy, mode);
        const observed =
          observes && (mode === "on-decision" || mode === "report") ? decisions : undefined;
        expect(checkVectorInMode(v, mode, response, reached, observed)).toEqual([]);
        if (mode !== "report" && v.expect.body !== undefined && response.text)
          expect(await response.text()).toBe(v.expect.body);
      });
    }
    const enforcing = modes.filter((m) => m !== "report" && m !== "plain");
    if (modes.includes("plain") && enforcing.length > 0) {
      it.each(selected.map((v) => [v.name, v] as const))(
        "every enforcing mode sends the same CORS headers and status: %s",
        async (_name, v) => {
          const plain = await run(v, policyInMode(v.policy, "plain"), v.policy, "plain");
          for (const mode of enforcing) {
            const other = await run(v, policyInMode(v.policy, mode, []), v.policy, mode);
            expect({
              mode,
              status: other.response.status,
              headers: corsHeaders(other.response.headers),
            }).toEqual({
              mode,
              status: plain.response.status,
              headers: corsHeaders(plain.response.headers),
            });
          }
        },
      );
    }
  });
}
