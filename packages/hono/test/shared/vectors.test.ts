import type { CorsPolicy } from "@edge-cors/core";
import { describe, expect, it } from "vitest";
import { checkVector, policies, vectors } from "../../../../test/vectors/index.ts";
import { cors } from "../../src/index.ts";
import { runVector } from "../helpers/vector-app.ts";

const table = vectors.map((v) => [v.name, v] as const);

// One middleware per policy, built once, as an app would.
const staticMiddleware = Object.fromEntries(
  Object.entries(policies).map(([name, p]) => [name, cors(p as CorsPolicy)]),
);
// The same policies from bindings: c.env.CORS_POLICY holds the JSON text.
const fromBindings = cors((c) => c.env.CORS_POLICY as string);

describe("conformance vectors through a Hono app (static policy)", () => {
  it.each(table)("%s", async (_name, v) => {
    const { response, reached } = await runVector(v, staticMiddleware[v.policy]!);
    expect(checkVector(v, response, reached)).toEqual([]);
    if (v.expect.body !== undefined) expect(await response.text()).toBe(v.expect.body);
  });
});

describe("conformance vectors through a Hono app (policy from bindings)", () => {
  it.each(table)("%s", async (_name, v) => {
    const env = { CORS_POLICY: JSON.stringify(policies[v.policy]) };
    const { response, reached } = await runVector(v, fromBindings, env);
    expect(checkVector(v, response, reached)).toEqual([]);
    if (v.expect.body !== undefined) expect(await response.text()).toBe(v.expect.body);
  });
});
