import { createEdgeLayer } from "@edge-cors/edge";
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import {
  appResponse,
  checkVector,
  policies,
  type Vector,
  vectorRequest,
  vectors,
} from "../../../test/vectors/index.ts";
import { callWorker, EDGE, testId, upstreamLog, upstreamUrl } from "./helpers.ts";

// Each vector's app answer is produced by the real upstream: it reads x-test-app.
function toUpstream(v: Vector, id: string): Request {
  const req = vectorRequest(v, EDGE);
  const app = appResponse(v);
  const headers: Record<string, string> = {};
  app.headers.forEach((value, name) => {
    if (name !== "content-type" && name !== "x-app") headers[name] = value;
  });
  req.headers.set("x-test-app", JSON.stringify({ status: app.status, headers }));
  req.headers.set("x-test-id", id);
  return req;
}

async function check(v: Vector, send: (r: Request) => Promise<Response>) {
  const id = testId();
  const res = await send(toUpstream(v, id));
  const reached = res.headers.get("x-app") === "1";
  // The upstream's own log agrees with what the response says.
  expect((await upstreamLog(id)).length > 0).toBe(reached);
  expect(checkVector(v, res, reached)).toEqual([]);
  const body = await res.text();
  if (v.expect.body !== undefined) expect(body).toBe(v.expect.body);
  if (reached && res.status !== 204 && res.status !== 304 && v.request.method !== "HEAD")
    expect(body).toBe("app");
}

const layers = Object.fromEntries(
  Object.entries(policies).map(([name, policy]) => [
    name,
    createEdgeLayer({ policy, upstream: upstreamUrl }),
  ]),
);
const cases = vectors.map((v) => [v.name, v] as const);

describe("conformance vectors through the edge layer and a real upstream", () => {
  it.each(cases)("%s", (_n, v) => check(v, (r) => layers[v.policy]!(r)));
});

describe("conformance vectors through the deployed Worker (CORS_POLICY as a TOML table)", () => {
  // The shared policies trip two policy warnings; the Worker logs them once per configuration.
  let warn: MockInstance;
  beforeAll(() => {
    warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  });
  afterAll(() => {
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("edge-cors: policy warnings"));
    warn.mockRestore();
  });
  it.each(cases)("%s", (_n, v) =>
    check(v, (r) => callWorker(r, { CORS_POLICY: policies[v.policy]!, UPSTREAM_URL: upstreamUrl })),
  );
});
