import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

// What `pnpm start` serves on a fresh clone: the Worker with no vars, the default policy, the demo upstream.
const DEV = "http://127.0.0.1:8787";

describe("zero configuration (fresh clone)", () => {
  it("answers a preflight from http://localhost:5173 at the edge", async () => {
    const res = await exports.default.fetch(`${DEV}/api/items`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "PUT",
        "access-control-request-headers": "content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(res.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain(
      "content-type",
    );
    expect(res.headers.get("x-demo-upstream")).toBeNull();
  });

  it("proxies a GET to the demo upstream and decorates it", async () => {
    const res = await exports.default.fetch(`${DEV}/api/items`, {
      headers: { origin: "http://localhost:5173" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-demo-upstream")).toBe("1");
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(res.headers.get("vary")).toContain("Origin");
    const items = (await res.json()) as unknown[];
    expect(items.length).toBeGreaterThan(0);
  });
});
