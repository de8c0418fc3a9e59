import { createEdgeLayer } from "@edge-cors/edge";
import { afterEach, describe, expect, it, vi } from "vitest";
import { callWorker, deadUrl, EDGE, rawUpstreamUrl, upstreamUrl } from "./helpers.ts";

const ORIGIN = "https://app.example.com";
const policy = { allowOrigins: [ORIGIN], allowCredentials: true };
const TIMEOUT = 400;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("upstream failures become readable, decorated 502/504s; nothing hangs", () => {
  it.each([
    ["unreachable", () => deadUrl, "/anything", 502, "upstream_unavailable"],
    ["resetting the connection", () => upstreamUrl, "/reset", 502, "upstream_unavailable"],
    ["slower than the timeout", () => upstreamUrl, "/slow?ms=5000", 504, "upstream_timeout"],
  ] as const)("upstream %s", async (_n, url, path, status, error) => {
    const errors: unknown[] = [];
    const layer = createEdgeLayer({
      policy,
      upstream: url(),
      timeoutMs: TIMEOUT,
      onError: (e) => errors.push(e),
    });
    const started = Date.now();
    const res = await layer(new Request(`${EDGE}${path}`, { headers: { origin: ORIGIN } }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("vary")).toContain("Origin");
    const body = (await res.json()) as { error: string; detail: string };
    expect(body.error).toBe(error);
    expect(body.detail.length).toBeGreaterThan(0);
    // The runtime's own error goes to the log hook, never to the client.
    expect(errors).toHaveLength(status === 502 ? 1 : 0);
  });

  it.each([
    ["103 and nothing after it", "/status/103"],
    ["101 to a request that asked for no upgrade", "/status/101"],
    ["600", "/status/600"],
    ["999", "/status/999"],
    ["099", "/status/099"],
    ["a status that is not a number", "/status/garbage"],
    // workerd's HTTP client refuses informational answers, even before a final one.
    ["103, then 200", "/status/103-then-200"],
  ])("an upstream answering %s gets a readable 502 (red team L1)", async (_n, path) => {
    const errors: unknown[] = [];
    const layer = createEdgeLayer({
      policy,
      upstream: rawUpstreamUrl,
      timeoutMs: 5000,
      onError: (e) => errors.push(e),
    });
    const res = await layer(new Request(`${EDGE}${path}`, { headers: { origin: ORIGIN } }));
    expect(res.status).toBe(502);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("vary")).toContain("Origin");
    const body = (await res.json()) as { error: string };
    expect(["upstream_invalid_response", "upstream_unavailable"]).toContain(body.error);
  });

  it.each([["a 205 with a body: the 205, without it", "/status/205-with-body", 205, ""]])(
    "an upstream sending %s",
    async (_n, path, status, body) => {
      const layer = createEdgeLayer({ policy, upstream: rawUpstreamUrl, timeoutMs: 5000 });
      const res = await layer(new Request(`${EDGE}${path}`, { headers: { origin: ORIGIN } }));
      expect(res.status).toBe(status);
      expect(await res.text()).toBe(body);
      expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    },
  );

  it("the demo upstream's slow endpoint times out too", async () => {
    const layer = createEdgeLayer({ policy, upstream: null, timeoutMs: TIMEOUT });
    const res = await layer(new Request(`${EDGE}/slow?ms=10000`, { headers: { origin: ORIGIN } }));
    expect(res.status).toBe(504);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });

  it("UPSTREAM_TIMEOUT_MS sets the Worker's timeout", async () => {
    const vars = {
      CORS_POLICY: JSON.stringify(policy),
      UPSTREAM_URL: upstreamUrl,
      UPSTREAM_TIMEOUT_MS: "300",
    };
    const slow = await callWorker(
      new Request(`${EDGE}/slow?ms=3000`, { headers: { origin: ORIGIN } }),
      vars,
    );
    expect(slow.status).toBe(504);
    const fast = await callWorker(
      new Request(`${EDGE}/slow?ms=10`, { headers: { origin: ORIGIN } }),
      vars,
    );
    expect(fast.status).toBe(200);
  });

  it("an invalid configuration answers 500 and logs every problem", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await callWorker(
      new Request(`${EDGE}/api/items`, { headers: { origin: ORIGIN } }),
      {
        CORS_POLICY: JSON.stringify({
          allowOrigins: "*",
          allowCredentials: true,
          maxAge: "forever",
        }),
        UPSTREAM_URL: "ftp://files.example.com",
        UPSTREAM_TIMEOUT_MS: "-1",
        CORS_UPSTREAM_HEADERS: "keep",
      },
    );
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: string }).error).toBe("edge_cors_misconfigured");
    const logged = log.mock.calls.map((c) => String(c[0])).join("\n");
    for (const path of [
      "CORS_POLICY.allowCredentials",
      "CORS_POLICY.maxAge",
      "UPSTREAM_URL",
      "UPSTREAM_TIMEOUT_MS",
      "CORS_UPSTREAM_HEADERS",
    ]) {
      expect(logged).toContain(path);
    }
  });

  it("a CORS_POLICY that is not JSON is refused with the parse error", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await callWorker(new Request(`${EDGE}/`), { CORS_POLICY: "{allowOrigins: nope" });
    expect(res.status).toBe(500);
    expect(String(log.mock.calls[0]?.[0])).toContain("not valid JSON");
  });
});
