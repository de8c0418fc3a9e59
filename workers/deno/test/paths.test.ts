/**
 * Paths through the real Deno layer over raw HTTP, so the request target reaches Deno exactly
 * as written (Deno hands it over un-normalised): what the layer matches is what it forwards
 * (red team H1), and no spelling leaves the UPSTREAM_URL prefix (M3).
 */
import assert from "node:assert/strict";
import {
  DIFFERENTIAL_ORIGINS,
  DIFFERENTIAL_POLICY,
  excessGrant,
  readable,
  referencePolicy,
  routeGrant,
} from "../../../packages/edge/test/support/grants.ts";
import type { ServedRoute } from "../../../packages/edge/test/support/path-readings.ts";
import {
  CRAFTED_SPELLINGS,
  PREFIX_ESCAPES,
  randomSpellings,
} from "../../../packages/edge/test/support/path-spellings.ts";
import { rawRequest } from "../../../packages/edge/test/support/raw-http.ts";
import { FILES } from "../../../packages/edge/test/support/route-reporting.ts";
import { serveLayer, startRouteServers, startTestUpstream } from "./servers.ts";

const APP = "https://app.example.com";
const PARTNER = "https://partner.example.net";
const ROUTED = {
  allowOrigins: [APP, PARTNER],
  allowCredentials: true,
  routes: [{ path: "/admin/*", allowOrigins: [APP] }],
};

function get(port: number, target: string, headers: Array<[string, string]> = []) {
  return rawRequest(port, `GET ${target} HTTP/1.1`, [["Host", "edge.example"], ...headers]);
}

Deno.test("what you match is what you forward (red team H1), over raw HTTP", async (t) => {
  const upstream = startTestUpstream();
  const layer = serveLayer({
    CORS_POLICY: JSON.stringify(ROUTED),
    UPSTREAM_URL: `${upstream.url}/v1`,
  });
  try {
    for (const [target, forwarded, origin, granted] of [
      // Deno used to match the raw `/./admin/users` (top level) and forward `/admin/users`.
      ["/./admin/users", "/v1/admin/users", PARTNER, null],
      ["/api/../admin/users", "/v1/admin/users", PARTNER, null],
      ["/%61dmin/users", "/v1/admin/users", APP, APP],
      ["/%61dmin/users", "/v1/admin/users", PARTNER, null],
      ["//admin//users", "/v1/admin/users", PARTNER, null],
      ["/admin\\users", "/v1/admin/users", PARTNER, null],
      ["/admin%2fusers", "/v1/admin%2Fusers", PARTNER, null],
      ["/ADMIN/users", "/v1/ADMIN/users", PARTNER, null],
      ["/%61pi/./users?q=%61", "/v1/api/users?q=%61", PARTNER, PARTNER],
    ] as const) {
      await t.step(`${target} → ${forwarded}, ${origin} gets ${granted}`, async () => {
        const id = crypto.randomUUID();
        const res = await get(layer.port, target, [
          ["Origin", origin],
          ["x-test-id", id],
        ]);
        const [seen] = upstream.seen(id);
        assert.ok(seen, `forwarded (status ${res.status})`);
        const url = new URL(seen.url);
        assert.equal(seen.url.slice(url.origin.length), forwarded);
        assert.equal(res.headers.get("access-control-allow-origin") ?? null, granted);
      });
    }
  } finally {
    await layer.close();
    await upstream.close();
  }
});

Deno.test("no spelling leaves the UPSTREAM_URL prefix (red team M3)", async (t) => {
  const routes = startRouteServers();
  // A Python-http.server-like file server: decodes before it normalises; /secret.txt is outside /v1.
  const layer = serveLayer({
    CORS_POLICY: JSON.stringify(ROUTED),
    UPSTREAM_URL: `${routes.filesUrl}/v1`,
  });
  try {
    await t.step("the control: a file inside the prefix is served", async () => {
      const res = await get(layer.port, "/public.txt");
      assert.equal(res.status, 200);
      assert.equal(res.body, FILES["/v1/public.txt"]);
    });
    for (const [spelling, outcome] of PREFIX_ESCAPES) {
      await t.step(`GET /${spelling}secret.txt is ${outcome}`, async () => {
        const res = await get(layer.port, `/${spelling}secret.txt`, [["Origin", APP]]);
        assert.doesNotMatch(res.body, /SECRET/);
        if (outcome === "refused") {
          assert.equal(res.status, 400);
          assert.equal(JSON.parse(res.body).error, "path_not_forwardable");
          assert.equal(res.headers.get("vary"), "Origin");
          assert.equal(res.headers.get("access-control-allow-origin"), undefined);
        } else {
          assert.equal(res.status, 404);
          assert.match(decodeURIComponent(res.headers.get("x-served-path")!), /^\/v1\//);
        }
      });
    }
  } finally {
    await layer.close();
    await routes.close();
  }
});

/** The random spellings' seed: a failure message names it, to replay the same paths. */
const SEED = 20261112;
const RANDOM_COUNT = 400;

Deno.test("differential: path spellings × upstream readings, over raw HTTP (red team H1)", async (t) => {
  const routes = startRouteServers();
  const reference = referencePolicy();
  const targets = [...CRAFTED_SPELLINGS, ...randomSpellings(RANDOM_COUNT, SEED).map((s) => s.path)];
  try {
    for (const [name, url] of Object.entries(routes.urls)) {
      await t.step(
        `the Deno layer in front of ${name}: ${targets.length} paths × ${DIFFERENTIAL_ORIGINS.length} origins`,
        async () => {
          const layer = serveLayer({
            CORS_POLICY: JSON.stringify(DIFFERENTIAL_POLICY),
            UPSTREAM_URL: url,
          });
          const problems: string[] = [];
          let refused = 0;
          try {
            for (const target of targets) {
              for (const origin of DIFFERENTIAL_ORIGINS) {
                const res = await get(layer.port, target, [["Origin", origin]]);
                const granted = readable(new Headers([...res.headers]), origin);
                const route = res.headers.get("x-served-route") as ServedRoute | undefined;
                if (route === undefined) {
                  refused++;
                  if (res.status !== 400 || granted.anonymous)
                    problems.push(`${target} ${origin}: not served, status ${res.status}`);
                  continue;
                }
                for (const excess of excessGrant(
                  granted,
                  await routeGrant(reference, route, origin),
                ))
                  problems.push(`${target} ${origin}: served ${route}: ${excess}`);
              }
            }
          } finally {
            await layer.close();
          }
          assert.deepEqual(problems, [], `seed ${SEED}`);
          assert.ok(refused > 0 && refused < targets.length * DIFFERENTIAL_ORIGINS.length);
        },
      );
    }
  } finally {
    await routes.close();
  }
});
