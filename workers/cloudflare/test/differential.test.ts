/**
 * Differential test of the path class (red team H1): path spellings × upstream readings,
 * through the real layer in workerd and real upstreams on 127.0.0.1 that route on their own
 * reading of the path (Python's http.server, a `;params`-stripping container, a
 * case-insensitive server, Hono's router) and report the route they served. The grant the
 * layer gives is never more permissive than the policy's grant for that route.
 */
import { createEdgeLayer, type EdgeLayer } from "@edge-cors/edge";
import { describe, expect, it } from "vitest";
import {
  DIFFERENTIAL_ORIGINS,
  DIFFERENTIAL_POLICY,
  differentialProblems,
  referencePolicy,
  servedRoute,
} from "../../../packages/edge/test/support/grants.ts";
import {
  CRAFTED_SPELLINGS,
  randomSpellings,
} from "../../../packages/edge/test/support/path-spellings.ts";
import { EDGE, routeServerUrls, workerWith } from "./helpers.ts";

/** The random spellings' seed: a failure message names it, to replay the same paths. */
const SEED = 20261112;
const RANDOM_COUNT = 400;
const PATHS = [...CRAFTED_SPELLINGS, ...randomSpellings(RANDOM_COUNT, SEED).map((s) => s.path)];
const reference = referencePolicy();

async function differential(send: EdgeLayer): Promise<{ checked: number; refused: number }> {
  let checked = 0;
  let refused = 0;
  const problems: string[] = [];
  for (const path of PATHS) {
    for (const origin of DIFFERENTIAL_ORIGINS) {
      const res = await send(new Request(`${EDGE}${path}`, { headers: { origin } }));
      await res.arrayBuffer();
      checked++;
      if (servedRoute(res.headers) === null) refused++;
      for (const p of await differentialProblems(reference, res, origin))
        problems.push(`${path} ${origin}: ${p}`);
    }
  }
  expect(problems, `seed ${SEED}`).toEqual([]);
  return { checked, refused };
}

describe(`path spellings × upstream readings (${PATHS.length} paths × ${DIFFERENTIAL_ORIGINS.length} origins each)`, () => {
  for (const [name, url] of Object.entries(routeServerUrls)) {
    it(`the edge layer in front of ${name}`, async () => {
      const { checked, refused } = await differential(
        createEdgeLayer({ policy: DIFFERENTIAL_POLICY, upstream: url }),
      );
      expect(checked).toBe(PATHS.length * DIFFERENTIAL_ORIGINS.length);
      // The spellings that could leave the prefix are refused; the others are served.
      expect(refused).toBeGreaterThan(0);
      expect(refused).toBeLessThan(checked);
    });

    it(`the deployed Worker in front of ${name}`, async () => {
      await differential(
        workerWith({ CORS_POLICY: JSON.stringify(DIFFERENTIAL_POLICY), UPSTREAM_URL: url }),
      );
    });
  }
});
