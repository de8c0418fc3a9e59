import { createEdgeLayer } from "@edge-cors/edge";
import { describe, expect, it } from "vitest";
import { PREFIX_ESCAPES } from "../../../packages/edge/test/support/path-spellings.ts";
import { FILES } from "../../../packages/edge/test/support/route-reporting.ts";
import { callWorker, EDGE, filesUpstreamUrl, testId, upstreamLog, upstreamUrl } from "./helpers.ts";

const APP = "https://app.example.com";
const PARTNER = "https://partner.example.net";
const policy = {
  allowOrigins: [APP, PARTNER],
  allowCredentials: true,
  routes: [{ path: "/admin/*", allowOrigins: [APP] }],
};
const layer = createEdgeLayer({ policy, upstream: `${upstreamUrl}/v1` });

/** The raw request target the upstream received for a request tagged `id`. */
async function receivedTarget(id: string): Promise<string | undefined> {
  return (await upstreamLog(id))[0]?.url;
}

describe("what you match is what you forward (red team H1)", () => {
  it.each([
    ["/%61dmin/users", "/v1/admin/users", APP, APP],
    ["/%61dmin/users", "/v1/admin/users", PARTNER, null],
    ["//admin//users", "/v1/admin/users", PARTNER, null],
    ["/api/%2e%2e/admin/users", "/v1/admin/users", PARTNER, null],
    ["/admin%2fusers", "/v1/admin%2Fusers", PARTNER, null],
    ["/ADMIN/users", "/v1/ADMIN/users", PARTNER, null],
    ["/admin;x=1/users", "/v1/admin;x=1/users", PARTNER, null],
    ["/%61pi/users?q=%61", "/v1/api/users?q=%61", PARTNER, PARTNER],
  ])("%s is forwarded as %s; %s gets %s", async (path, forwarded, origin, granted) => {
    const id = testId();
    const res = await layer(
      new Request(`${EDGE}${path}`, { headers: { origin, "x-test-id": id } }),
    );
    await res.arrayBuffer();
    expect(await receivedTarget(id)).toBe(forwarded);
    expect(res.headers.get("access-control-allow-origin")).toBe(granted);
    expect(res.headers.get("vary")).toContain("Origin");
  });
});

describe("no spelling leaves the UPSTREAM_URL prefix (red team M3)", () => {
  // The upstream decodes before it normalises, like Python's http.server, and serves files:
  // /v1/public.txt inside the prefix, /secret.txt outside it.
  const files = `${filesUpstreamUrl}/v1`;
  const viaLayer = createEdgeLayer({ policy, upstream: files });
  const viaWorker = (r: Request) =>
    callWorker(r, { CORS_POLICY: JSON.stringify(policy), UPSTREAM_URL: files });

  it("the control: a file inside the prefix is served", async () => {
    const res = await viaLayer(new Request(`${EDGE}/public.txt`, { headers: { origin: APP } }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(FILES["/v1/public.txt"]);
  });

  for (const [name, send] of [
    ["the edge layer", viaLayer],
    ["the deployed Worker", viaWorker],
  ] as const) {
    it.each(PREFIX_ESCAPES)(`${name}: GET /%ssecret.txt is %s`, async (spelling, outcome) => {
      const res = await send(
        new Request(`${EDGE}/${spelling}secret.txt`, { headers: { origin: APP } }),
      );
      const body = await res.text();
      expect(body).not.toContain("SECRET");
      if (outcome === "refused") {
        expect(res.status).toBe(400);
        expect(JSON.parse(body).error).toBe("path_not_forwardable");
      } else {
        expect(res.status).toBe(404);
        expect(decodeURIComponent(res.headers.get("x-served-path")!)).toMatch(/^\/v1\//);
      }
    });
  }
});

describe("the 400 for a request the layer will not forward", () => {
  it("small JSON, Vary: Origin, no-store, and no grant even for an allowed origin", async () => {
    const id = testId();
    const res = await layer(
      new Request(`${EDGE}/..%2fadmin`, {
        headers: { origin: APP, "x-test-id": id },
      }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("vary")).toBe("Origin");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    const body = (await res.json()) as { error: string; detail: string };
    expect(body.error).toBe("path_not_forwardable");
    expect(body.detail.length).toBeGreaterThan(0);
    expect(await upstreamLog(id)).toEqual([]);
  });

  it("a preflight for such a path is refused the same way, before any grant", async () => {
    const res = await layer(
      new Request(`${EDGE}/..%2fadmin`, {
        method: "OPTIONS",
        headers: { origin: APP, "access-control-request-method": "PUT" },
      }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("access-control-allow-methods")).toBeNull();
    await res.arrayBuffer();
  });

  it.each([
    ["a Host that would move the path (red team M4)", "h\\admin\\users?"],
    ["a Host with a fragment", "h#"],
    ["an unclosed IPv6 literal", "[::1"],
    ["userinfo", "user@edge.example"],
  ])("%s is a 400 bad_host, never forwarded", async (_n, host) => {
    const id = testId();
    const res = await layer(
      new Request(`${EDGE}/other`, { headers: { host, origin: APP, "x-test-id": id } }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("bad_host");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(await upstreamLog(id)).toEqual([]);
  });
});
