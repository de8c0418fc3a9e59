import { env } from "cloudflare:workers";
import { createEdgeLayer } from "@edge-cors/edge";
import { describe, expect, it } from "vitest";
import { callWorker, EDGE, rawUpstreamUrl, testId, upstreamLog, upstreamUrl } from "./helpers.ts";

const APP = "https://app.example.com";
const policy = {
  allowOrigins: [APP],
  allowMethods: ["PUT", "DELETE"],
  allowHeaders: ["Content-Type", "X-Custom"],
  exposeHeaders: ["X-Upstream-Own"],
  allowCredentials: true,
};
const layer = createEdgeLayer({ policy, upstream: upstreamUrl });

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  bodyBytes: number;
}

describe("forwarding", () => {
  it("forwards method, path, query, headers and body; Host is the upstream's, the original goes in X-Forwarded-Host", async () => {
    const res = await layer(
      new Request(`${EDGE}/echo?a=1&b=two%20words`, {
        method: "PUT",
        headers: { origin: APP, "content-type": "text/plain", "x-custom": "kept" },
        body: "hello upstream",
      }),
    );
    expect(res.status).toBe(200);
    const echo = (await res.json()) as Echo;
    expect(echo.method).toBe("PUT");
    expect(echo.url).toBe("/echo?a=1&b=two%20words");
    expect(echo.headers.host).toBe(new URL(upstreamUrl).host);
    expect(echo.headers["x-forwarded-host"]).toBe("edge.example");
    expect(echo.headers["x-forwarded-proto"]).toBe("https");
    expect(echo.headers["x-custom"]).toBe("kept");
    expect(echo.headers.origin).toBe(APP);
    expect(echo.bodyBytes).toBe("hello upstream".length);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
  });

  it("drops hop-by-hop headers, including those named in Connection", async () => {
    const res = await layer(
      new Request(`${EDGE}/echo`, {
        headers: {
          connection: "keep-alive, x-hop",
          "x-hop": "1",
          "keep-alive": "timeout=5",
          "proxy-authorization": "Basic Zm9vOmJhcg==",
          "x-end-to-end": "1",
        },
      }),
    );
    const { headers } = (await res.json()) as Echo;
    expect(headers["x-hop"]).toBeUndefined();
    expect(headers["keep-alive"]).toBeUndefined();
    expect(headers["proxy-authorization"]).toBeUndefined();
    expect(headers["x-end-to-end"]).toBe("1");
  });

  it("a client's Connection list cannot remove Origin or the layer's own headers (red team L5)", async () => {
    const res = await layer(
      new Request(`${EDGE}/echo`, {
        headers: {
          origin: APP,
          connection:
            "x-forwarded-for, x-real-ip, origin, x-forwarded-host, x-forwarded-proto, x-hop",
          "x-hop": "1",
          "x-forwarded-for": "203.0.113.9",
          "x-real-ip": "203.0.113.9",
        },
      }),
    );
    const { headers } = (await res.json()) as Echo;
    expect(headers.origin).toBe(APP);
    expect(headers["x-forwarded-host"]).toBe("edge.example");
    expect(headers["x-forwarded-proto"]).toBe("https");
    expect(headers["x-hop"]).toBeUndefined();
    // The client's own forwarding headers are never passed on.
    expect(headers["x-forwarded-for"]).toBeUndefined();
    expect(headers["x-real-ip"]).toBeUndefined();
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
  });

  it.each([
    ["replace", "https://evil.example", null, "Accept-Encoding, Origin"],
    ["merge", "https://evil.example", "*", "Accept-Encoding, Origin"],
    ["replace", APP, APP, "Accept-Encoding, Origin"],
  ] as const)(
    "an upstream's Connection list cannot drop its Vary or CORS headers (red team L5): %s, %s",
    async (mode, origin, acao, vary) => {
      const l = createEdgeLayer({ policy, upstream: rawUpstreamUrl, upstreamCors: mode });
      const res = await l(
        new Request(`${EDGE}/connection-names-end-to-end`, { headers: { origin } }),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("vary")).toBe(vary);
      expect(res.headers.get("access-control-allow-origin")).toBe(acao);
      expect(res.headers.get("x-hop")).toBeNull();
      expect(res.headers.get("connection")).toBeNull();
      await res.arrayBuffer();
    },
  );

  it("keeps the path prefix of UPSTREAM_URL", async () => {
    const prefixed = createEdgeLayer({ policy, upstream: `${upstreamUrl}/v1/` });
    const res = await prefixed(new Request(`${EDGE}/items/7?x=1`));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { path: string }).path).toBe("/v1/items/7");
  });

  it("never forwards a preflight", async () => {
    const id = testId();
    const res = await layer(
      new Request(`${EDGE}/echo`, {
        method: "OPTIONS",
        headers: { origin: APP, "access-control-request-method": "DELETE", "x-test-id": id },
      }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-methods")).toBe("PUT, DELETE");
    expect(await upstreamLog(id)).toEqual([]);
  });

  it.each([
    ["with Origin", { origin: APP }],
    ["without Origin", {}],
  ])("forwards a non-CORS OPTIONS request (%s)", async (_n, extra) => {
    const id = testId();
    const res = await layer(
      new Request(`${EDGE}/echo`, { method: "OPTIONS", headers: { ...extra, "x-test-id": id } }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).method).toBe("OPTIONS");
    expect(await upstreamLog(id)).toHaveLength(1);
    expect(res.headers.get("access-control-allow-origin")).toBe("origin" in extra ? APP : null);
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("passes redirects through, decorated, without following them", async () => {
    const res = await layer(new Request(`${EDGE}/redirect`, { headers: { origin: APP } }));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/elsewhere");
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("reaches a Worker through the UPSTREAM service binding (wins over UPSTREAM_URL)", async () => {
    const res = await callWorker(new Request(`${EDGE}/svc?q=1`, { headers: { origin: APP } }), {
      CORS_POLICY: JSON.stringify(policy),
      UPSTREAM: env.API_WORKER,
      UPSTREAM_URL: "https://unused.example",
    });
    expect(await res.json()).toEqual({
      via: "service binding",
      url: `${EDGE}/svc?q=1`,
      method: "GET",
    });
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
  });
});

describe("the upstream's own Access-Control-* headers", () => {
  const merge = createEdgeLayer({ policy, upstream: upstreamUrl, upstreamCors: "merge" });
  const get = (l: typeof layer, origin: string | null) =>
    l(new Request(`${EDGE}/cors`, { headers: origin === null ? {} : { origin } }));

  it("replace (default): only the policy's headers, for allowed origins", async () => {
    const ok = await get(layer, APP);
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP);
    expect(ok.headers.get("access-control-allow-credentials")).toBe("true");
    expect(ok.headers.get("access-control-expose-headers")).toBe("x-upstream-own");
    expect(ok.headers.get("access-control-max-age")).toBeNull();
    expect(ok.headers.get("vary")).toBe("Accept-Encoding, Origin");
    expect(ok.headers.get("x-upstream-own")).toBe("1");
  });

  it("replace: the upstream's `*` never reaches a refused origin", async () => {
    const refused = await get(layer, "https://evil.example");
    const acHeaders: string[] = [];
    refused.headers.forEach((_v, n) => {
      if (n.startsWith("access-control-")) acHeaders.push(n);
    });
    expect(acHeaders).toEqual([]);
    expect(refused.headers.get("vary")).toBe("Accept-Encoding, Origin");
  });

  it("merge: the upstream's headers stay, the policy's win where both set one", async () => {
    const ok = await get(merge, APP);
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP);
    expect(ok.headers.get("access-control-allow-credentials")).toBe("true");
    expect(ok.headers.get("access-control-expose-headers")).toBe("x-upstream-own");
    expect(ok.headers.get("access-control-max-age")).toBe("99");
    const refused = await get(merge, "https://evil.example");
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("is chosen with CORS_UPSTREAM_HEADERS in the Worker", async () => {
    const vars = { CORS_POLICY: JSON.stringify(policy), UPSTREAM_URL: upstreamUrl };
    const r1 = await callWorker(
      new Request(`${EDGE}/cors`, { headers: { origin: "https://evil.example" } }),
      vars,
    );
    expect(r1.headers.get("access-control-allow-origin")).toBeNull();
    const r2 = await callWorker(
      new Request(`${EDGE}/cors`, { headers: { origin: "https://evil.example" } }),
      {
        ...vars,
        CORS_UPSTREAM_HEADERS: "merge",
      },
    );
    expect(r2.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("hostile requests cost bounded time and never a 5xx", () => {
  const long = (n: number, s: string) => s.repeat(n);
  it.each([
    ["a 9000-character path", `/${long(9000, "a")}`, {}, 400],
    ["5000 encoded dot-dot-slashes", `/${long(5000, "..%2f")}x`, {}, 400],
    ["a 10 kB path of percent-escapes", `/${long(3000, "%41")}`, {}, 404],
    ["a 60 kB header", "/echo", { "x-big": long(60_000, "b") }, 200],
    [
      "3000 names in Connection",
      "/echo",
      { connection: Array.from({ length: 3000 }, (_, i) => `x-${i}`).join(", ") },
      200,
    ],
    ["malformed names in Connection", "/echo", { connection: '"a b", (x), @, , ,x-ok' }, 200],
    ["a 10 kB Origin", "/echo", { origin: `https://${long(10_000, "a")}.example` }, 200],
  ] as const)("%s", async (_n, path, headers, status) => {
    const started = Date.now();
    const res = await layer(new Request(`${EDGE}${path}`, { headers }));
    await res.arrayBuffer();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(status);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});
