import { publicSuffixes } from "@edge-cors/public-suffix";
import { describe, expect, it } from "vitest";
import {
  appResponse,
  policies,
  policyInMode,
  vectorRequest,
  vectors,
} from "../../../test/vectors/index.ts";
import { vectorSuite } from "../../../test/vectors/suite.ts";
import { createCors } from "../src/index.ts";

vectorSuite("the core's handle()", async (v, policy) => {
  const cors = createCors(policy, { publicSuffixes });
  let reached = false;
  const response = await cors.handle(vectorRequest(v), () => {
    reached = true;
    return appResponse(v);
  });
  return { response, reached };
});

vectorSuite("the core's preflight() + decorate()", async (v, policy) => {
  const cors = createCors(policy, { publicSuffixes });
  const request = vectorRequest(v);
  const answer = await cors.preflight(request);
  if (answer !== null) return { response: answer, reached: false };
  const response = await cors.decorate(request, appResponse(v));
  return { response, reached: true };
});

describe("explain() announces the headers that are sent", () => {
  it.each(vectors.map((v) => [v.name, v] as const))("%s", async (_name, v) => {
    for (const mode of ["plain", "decision-header"] as const) {
      const cors = createCors(policyInMode(v.policy, mode), { publicSuffixes });
      const response = await cors.handle(vectorRequest(v), () => appResponse(v));
      const d = await cors.explain(vectorRequest(v));
      expect(d.kind).toBe(v.kind);
      expect(d.reason.length).toBeGreaterThan(0);
      if (d.status !== undefined) expect(d.status).toBe(response.status);
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
        if (name.startsWith("access-control-") || name === "x-cors-decision")
          expect(d.headers).toHaveProperty(name);
      }
    }
  });

  it("covers every kind of request and every policy", () => {
    expect(new Set(vectors.map((v) => v.kind))).toEqual(
      new Set(["preflight", "actual", "websocket", "plain-options", "not-cors"]),
    );
    expect(new Set(vectors.map((v) => v.policy))).toEqual(new Set(Object.keys(policies)));
  });
});
