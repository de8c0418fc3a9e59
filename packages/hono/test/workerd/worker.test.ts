import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { actualRequest, preflightRequest } from "../helpers/browser.ts";

const APP = "https://app.example.com";
const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } })
  .default;

describe("a Worker whose default export is a Hono app using the drop-in", () => {
  it("runs inside workerd", () => {
    expect(navigator.userAgent).toBe("Cloudflare-Workers");
  });

  it("answers an allowed credentialed preflight itself", async () => {
    const res = await worker.fetch(
      preflightRequest("https://api.example.com/api/items", {
        origin: APP,
        method: "PUT",
        headers: ["content-type"],
      }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-allow-headers")).toBe("content-type");
    expect(res.headers.get("access-control-max-age")).toBe("600");
  });

  it("lets a plain OPTIONS reach the app's OPTIONS route", async () => {
    const res = await worker.fetch(
      new Request("https://api.example.com/api/items", {
        method: "OPTIONS",
        headers: { origin: APP },
      }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("allow")).toBe("GET, OPTIONS");
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
  });

  it("decorates the app's response and refuses other origins", async () => {
    const ok = await worker.fetch(
      actualRequest("https://api.example.com/api/items", { origin: APP }),
    );
    expect(await ok.json()).toEqual({ items: [] });
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP);
    expect(ok.headers.get("vary")).toBe("Origin");
    const no = await worker.fetch(
      actualRequest("https://api.example.com/api/items", { origin: "https://evil.dev" }),
    );
    expect(no.headers.get("access-control-allow-origin")).toBeNull();
    expect(no.headers.get("vary")).toBe("Origin");
  });

  it("takes the policy from the CORS_POLICY binding", async () => {
    const pre = await worker.fetch(
      preflightRequest("https://api.example.com/env/items", { origin: APP, method: "PUT" }),
    );
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-methods")).toBe("PUT");
    const refused = await worker.fetch(
      preflightRequest("https://api.example.com/env/items", { origin: APP, method: "DELETE" }),
    );
    expect(refused.status).toBe(403);
  });
});
