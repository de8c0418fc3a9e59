import { describe, expect, it } from "vitest";
import {
  appResponse,
  checkVector,
  policies,
  type Vector,
  vectorRequest,
  vectors,
} from "../../../test/vectors/index.ts";
import { createCors } from "../src/index.ts";

const compiled = Object.fromEntries(
  Object.entries(policies).map(([name, p]) => [name, createCors(p)]),
);

async function run(v: Vector) {
  const cors = compiled[v.policy]!;
  let reached = false;
  const response = await cors.handle(vectorRequest(v), () => {
    reached = true;
    return appResponse(v);
  });
  return { response, reached };
}

describe("conformance vectors through the core", () => {
  it.each(vectors.map((v) => [v.name, v] as const))("%s", async (_name, v) => {
    const { response, reached } = await run(v);
    expect(checkVector(v, response, reached)).toEqual([]);
    if (v.expect.body !== undefined) expect(await response.text()).toBe(v.expect.body);
  });

  it.each(vectors.map((v) => [v.name, v] as const))("explain agrees: %s", async (_name, v) => {
    const { response } = await run(v);
    const d = await compiled[v.policy]!.explain(vectorRequest(v));
    expect(d.kind).toBe(v.kind);
    expect(d.reasons.length).toBeGreaterThan(0);
    if (d.kind === "preflight") expect(d.status).toBe(response.status);
    // Every header explain announces is on the response, with that value.
    for (const [name, value] of Object.entries(d.headers)) {
      if (name === "vary") {
        for (const t of value.split(", "))
          expect(response.headers.get("vary")?.toLowerCase()).toContain(t.toLowerCase());
      } else {
        expect(response.headers.get(name)).toBe(value);
      }
    }
    // And no access-control-* header on the response that explain did not announce.
    for (const [name] of response.headers) {
      if (name.startsWith("access-control-")) expect(d.headers).toHaveProperty(name);
    }
  });

  it("covers every kind of request and every policy", () => {
    expect(new Set(vectors.map((v) => v.kind))).toEqual(
      new Set(["preflight", "actual", "plain-options", "not-cors"]),
    );
    expect(new Set(vectors.map((v) => v.policy))).toEqual(new Set(Object.keys(policies)));
  });
});
