/**
 * The shared conformance vectors through `withCors`, in the real Deno runtime: as a plain
 * handler, as a `deno serve` module, and over HTTP through a real `Deno.serve` on 127.0.0.1.
 */
import assert from "node:assert/strict";
import {
  appResponse,
  checkVector,
  policies,
  type Vector,
  vectorRequest,
  vectors,
} from "../../../test/vectors/index.ts";
import { createCors, parsePolicy, withCors } from "../src/index.ts";

const compiled = Object.fromEntries(
  Object.entries(policies).map(([name, p]) => [name, createCors(parsePolicy(p))]),
);

/** Runs `v` through `fetch`, recording whether the app was reached. */
async function runInProcess(
  v: Vector,
  wrap: (app: (r: Request) => Response) => (r: Request) => Response | Promise<Response>,
) {
  let reached = false;
  const fetch = wrap(() => {
    reached = true;
    return appResponse(v);
  });
  const response = await fetch(vectorRequest(v));
  return { response, reached };
}

async function expectConforms(v: Vector, response: Response, reached: boolean) {
  assert.deepEqual(checkVector(v, response, reached), []);
  const body = await response.text();
  if (v.expect.body !== undefined) assert.equal(body, v.expect.body);
}

for (const v of vectors) {
  Deno.test(`vector: ${v.name}`, async (t) => {
    await t.step("withCors(handler)", async () => {
      const { response, reached } = await runInProcess(v, (app) =>
        withCors(app, parsePolicy(policies[v.policy])),
      );
      await expectConforms(v, response, reached);
    });
    await t.step("withCors({ fetch }) (deno serve module)", async () => {
      const { response, reached } = await runInProcess(v, (app) => {
        const mod = withCors({ fetch: app, name: "kept" }, compiled[v.policy]!);
        assert.equal(mod.name, "kept");
        return (r) => mod.fetch(r);
      });
      await expectConforms(v, response, reached);
    });
  });
}

Deno.test("vectors over HTTP through Deno.serve on 127.0.0.1", async (t) => {
  let current: Vector | null = null;
  let reached = false;
  let served = 0;
  const servers = new Map<string, Deno.HttpServer<Deno.NetAddr>>();
  try {
    for (const name of Object.keys(policies)) {
      const server = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen() {} },
        withCors((_req: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>) => {
          // The runtime's second argument reaches the app unchanged.
          assert.equal(info.remoteAddr.hostname, "127.0.0.1");
          if (++served > vectors.length)
            return new Response("request budget exceeded", { status: 599 });
          reached = true;
          return appResponse(current!);
        }, compiled[name]!),
      );
      servers.set(name, server);
    }
    for (const v of vectors) {
      await t.step(v.name, async () => {
        current = v;
        reached = false;
        const { port } = servers.get(v.policy)!.addr;
        const response = await fetch(vectorRequest(v, `http://127.0.0.1:${port}`), {
          redirect: "manual",
          signal: AbortSignal.timeout(5000),
        });
        await expectConforms(v, response, reached);
      });
    }
    assert.ok(served <= vectors.length);
  } finally {
    await Promise.all([...servers.values()].map((s) => s.shutdown()));
  }
});

Deno.test("every vector kind and policy is covered", () => {
  assert.deepEqual(
    new Set(vectors.map((v) => v.kind)),
    new Set(["preflight", "actual", "plain-options", "not-cors"]),
  );
  assert.deepEqual(new Set(vectors.map((v) => v.policy)), new Set(Object.keys(policies)));
});
