/**
 * The shared conformance vectors through `withCors`, in the real Deno runtime, in every mode
 * (plain, decision header, onDecision, report): as a plain handler, as a `deno serve` module,
 * and over HTTP through a real `Deno.serve` on 127.0.0.1.
 */
import assert from "node:assert/strict";
import {
  appResponse,
  checkVectorInMode,
  corsHeaders,
  MODES,
  type Mode,
  policies,
  policyInMode,
  type Vector,
  vectorRequest,
  vectors,
} from "../../../test/vectors/index.ts";
import type { Decision } from "../../core/src/index.ts";
import { createCors, publicSuffixes, withCors } from "../src/index.ts";

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

async function expectConforms(
  v: Vector,
  mode: Mode,
  response: Response,
  reached: boolean,
  decisions?: Decision[],
) {
  assert.deepEqual(checkVectorInMode(v, mode, response, reached, decisions), [], mode);
  const body = await response.text();
  if (mode !== "report" && v.expect.body !== undefined) assert.equal(body, v.expect.body);
}

const observed = (mode: Mode, d: Decision[]) =>
  mode === "on-decision" || mode === "report" ? d : undefined;

for (const v of vectors) {
  Deno.test(`vector: ${v.name}`, async (t) => {
    const cors: Record<string, { status: number; headers: Record<string, string> }> = {};
    for (const mode of MODES) {
      await t.step(`${mode}: withCors(handler)`, async () => {
        const decisions: Decision[] = [];
        const { response, reached } = await runInProcess(v, (app) =>
          withCors(app, policyInMode(v.policy, mode, decisions)),
        );
        if (mode !== "report")
          cors[mode] = { status: response.status, headers: corsHeaders(response.headers) };
        await expectConforms(v, mode, response, reached, observed(mode, decisions));
      });
      await t.step(`${mode}: withCors({ fetch }) (deno serve module)`, async () => {
        const decisions: Decision[] = [];
        const compiled = createCors(policyInMode(v.policy, mode, decisions), { publicSuffixes });
        const { response, reached } = await runInProcess(v, (app) => {
          const mod = withCors({ fetch: app, name: "kept" }, compiled);
          assert.equal(mod.name, "kept");
          return (r) => mod.fetch(r);
        });
        await expectConforms(v, mode, response, reached, observed(mode, decisions));
      });
    }
    // Every enforcing mode sends the same CORS headers and status.
    for (const mode of ["decision-header", "on-decision"] as const)
      assert.deepEqual(cors[mode], cors.plain, mode);
  });
}

Deno.test("vectors over HTTP through Deno.serve on 127.0.0.1, in every mode", async (t) => {
  let current: Vector | null = null;
  let reached = false;
  let served = 0;
  const budget = vectors.length * MODES.length;
  const decisions: Decision[] = [];
  const servers = new Map<string, Deno.HttpServer<Deno.NetAddr>>();
  try {
    for (const mode of MODES) {
      for (const name of Object.keys(policies)) {
        const server = Deno.serve(
          { hostname: "127.0.0.1", port: 0, onListen() {} },
          withCors(
            (_req: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>) => {
              // The runtime's second argument reaches the app unchanged.
              assert.equal(info.remoteAddr.hostname, "127.0.0.1");
              if (++served > budget)
                return new Response("request budget exceeded", { status: 599 });
              reached = true;
              return appResponse(current!);
            },
            createCors(policyInMode(name, mode, decisions), { publicSuffixes }),
          ),
        );
        servers.set(`${mode} ${name}`, server);
      }
    }
    for (const v of vectors) {
      await t.step(v.name, async () => {
        for (const mode of MODES) {
          current = v;
          reached = false;
          decisions.length = 0;
          const { port } = servers.get(`${mode} ${v.policy}`)!.addr;
          const response = await fetch(vectorRequest(v, `http://127.0.0.1:${port}`), {
            redirect: "manual",
            signal: AbortSignal.timeout(5000),
          });
          await expectConforms(v, mode, response, reached, observed(mode, decisions));
        }
      });
    }
    assert.ok(served <= budget);
  } finally {
    await Promise.all([...servers.values()].map((s) => s.shutdown()));
  }
});

Deno.test("every vector kind and policy is covered", () => {
  assert.deepEqual(
    new Set(vectors.map((v) => v.kind)),
    new Set(["preflight", "actual", "websocket", "plain-options", "not-cors"]),
  );
  assert.deepEqual(new Set(vectors.map((v) => v.policy)), new Set(Object.keys(policies)));
});
