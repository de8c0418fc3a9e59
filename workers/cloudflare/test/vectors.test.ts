import { createEdgeLayer } from "@edge-cors/edge";
import { afterAll, beforeAll, expect, type MockInstance, vi } from "vitest";
import { appResponse, JSON_MODES, type Vector } from "../../../test/vectors/index.ts";
import { vectorSuite } from "../../../test/vectors/suite.ts";
import { callWorker, EDGE, testId, upstreamLog, upstreamUrl } from "./helpers.ts";

/**
 * The edge layer forwards the canonical path: `/%61dmin/users` IS `/admin/users` to it, decided
 * and forwarded as such (the grant is the /admin route's, tested in paths.test.ts). The core,
 * which cannot know what its app will read, refuses it as ambiguous; the layer has no ambiguity
 * left to refuse.
 */
function skip(v: Vector): string | null {
  return v.name === "ambiguous path: refused even for an origin every reading allows (fail closed)"
    ? "the layer forwards /%61dmin/users as /admin/users: one reading, the route's grant"
    : null;
}

// Each vector's app answer is produced by the real upstream: it reads x-test-app.
function toUpstream(v: Vector, id: string): Request {
  const req = new Request(EDGE + v.request.path, {
    method: v.request.method,
    headers: v.request.headers,
  });
  const app = appResponse(v);
  const headers: Record<string, string> = {};
  for (const [name, value] of app.headers)
    if (name !== "content-type" && name !== "x-app") headers[name] = value;
  req.headers.set("x-test-app", JSON.stringify({ status: app.status, headers }));
  req.headers.set("x-test-id", id);
  return req;
}

async function run(v: Vector, send: (r: Request) => Promise<Response>) {
  const id = testId();
  const response = await send(toUpstream(v, id));
  const reached = response.headers.get("x-app") === "1";
  // The upstream's own log agrees with what the response says.
  expect((await upstreamLog(id)).length > 0).toBe(reached);
  const body = await response.text();
  if (reached && response.status !== 204 && response.status !== 304 && v.request.method !== "HEAD")
    expect(body).toBe("app");
  return { response: Object.assign(response, { text: async () => body }), reached };
}

// One layer per run: the suite hands each run its own policy (report mode observes decisions).
vectorSuite(
  "the edge layer and a real upstream",
  (v, policy) => run(v, createEdgeLayer({ policy, upstream: upstreamUrl })),
  { modes: JSON_MODES, skip },
);

// The shared policies trip two policy warnings; the Worker logs them once per configuration.
let warn: MockInstance;
beforeAll(() => {
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterAll(() => {
  expect(warn).toHaveBeenCalledWith(expect.stringContaining("edge-cors: policy warnings"));
  warn.mockRestore();
});

vectorSuite(
  "the deployed Worker (CORS_POLICY as a TOML table)",
  (v, policy) =>
    run(v, (r) => callWorker(r, { CORS_POLICY: policy as object, UPSTREAM_URL: upstreamUrl })),
  { modes: JSON_MODES, skip },
);
