/**
 * The shared conformance vectors through the real Deno edge layer (`denoEdgeLayer` behind
 * `Deno.serve`, configured from CORS_POLICY / UPSTREAM_URL as app.ts is), in every mode a
 * JSON configuration can express, against a real upstream on 127.0.0.1 that plays each
 * vector's app. Requests go over raw HTTP, headers exactly as the vector writes them.
 */
import assert from "node:assert/strict";
import { rawRequest } from "../../../packages/edge/test/support/raw-http.ts";
import {
  appResponse,
  checkVectorInMode,
  corsHeaders,
  JSON_MODES,
  type Mode,
  policies,
  policyInMode,
  type Vector,
  vectors,
} from "../../../test/vectors/index.ts";
import { type Served, serveLayer, startTestUpstream } from "./servers.ts";

/**
 * Vectors this layer answers differently, with the reason. Deno's WebSocket client does not
 * expose a non-101 answer to a handshake, so a handshake that reaches an app answering 200
 * gets the layer's 502 (websocket.test.ts covers real upgrades).
 */
function skip(v: Vector, mode: Mode): string | null {
  if (v.kind === "websocket" && (mode === "report" || v.expect.reachesApp))
    return "Deno forwards handshakes with its WebSocket client: only a 101 comes back";
  if (v.name === "ambiguous path: refused even for an origin every reading allows (fail closed)")
    return "the layer forwards /%61dmin/users as /admin/users: one reading, the route's grant";
  return null;
}

async function run(v: Vector, layer: Served, upstream: ReturnType<typeof startTestUpstream>) {
  const id = crypto.randomUUID();
  const app = appResponse(v);
  const appHeaders: Record<string, string> = {};
  for (const [name, value] of app.headers)
    if (name !== "content-type" && name !== "x-app") appHeaders[name] = value;
  const res = await rawRequest(layer.port, `${v.request.method} ${v.request.path} HTTP/1.1`, [
    ["Host", "api.example.com"],
    ...Object.entries(v.request.headers),
    ["x-test-app", JSON.stringify({ status: app.status, headers: appHeaders })],
    ["x-test-id", id],
  ]);
  const reached = res.headers.get("x-app") === "1";
  assert.equal(
    upstream.seen(id).length > 0,
    reached,
    "the upstream's log agrees with the response",
  );
  if (reached && res.status !== 204 && res.status !== 304 && v.request.method !== "HEAD")
    assert.equal(res.body, "app");
  return { status: res.status, headers: new Headers([...res.headers]), body: res.body, reached };
}

Deno.test("conformance vectors through the Deno edge layer, in every JSON mode", async (t) => {
  const upstream = startTestUpstream();
  const layers = new Map<string, Served>();
  for (const mode of JSON_MODES)
    for (const name of Object.keys(policies))
      layers.set(
        `${mode} ${name}`,
        serveLayer({
          CORS_POLICY: JSON.stringify(policyInMode(name, mode)),
          UPSTREAM_URL: upstream.url,
        }),
      );
  let ran = 0;
  try {
    for (const v of vectors) {
      await t.step(v.name, async () => {
        const answers = new Map<Mode, { status: number; headers: Headers }>();
        for (const mode of JSON_MODES) {
          const reason = skip(v, mode);
          if (reason !== null) continue;
          const r = await run(v, layers.get(`${mode} ${v.policy}`)!, upstream);
          assert.deepEqual(checkVectorInMode(v, mode, r, r.reached), [], mode);
          if (mode !== "report" && v.expect.body !== undefined) assert.equal(r.body, v.expect.body);
          answers.set(mode, r);
          ran++;
        }
        // Every enforcing mode sends the same CORS headers and status.
        const plain = answers.get("plain");
        const header = answers.get("decision-header");
        if (plain && header) {
          assert.equal(header.status, plain.status);
          assert.deepEqual(corsHeaders(header.headers), corsHeaders(plain.headers));
        }
      });
    }
    assert.ok(ran >= vectors.length * JSON_MODES.length - 20, `ran ${ran} vector runs`);
  } finally {
    await Promise.all([...layers.values()].map((l) => l.close()));
    await upstream.close();
  }
});
