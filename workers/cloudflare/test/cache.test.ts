import { createEdgeLayer } from "@edge-cors/edge";
import { describe, expect, it } from "vitest";
import { EDGE, upstreamUrl } from "./helpers.ts";

const A = "https://a.example";
const B = "https://b.example";

describe("decoration happens per request, after the cache", () => {
  it("a response cached by the Cache API never carries another origin's headers", async () => {
    const cache = await caches.open(`edge-cors-${crypto.randomUUID()}`);
    let misses = 0;
    // The upstream fetch goes through the Cache API, as a caching Worker (or Cloudflare's cache) would.
    const cachingFetch = async (request: Request): Promise<Response> => {
      const key = new Request(request.url);
      const hit = await cache.match(key);
      if (hit !== undefined) return hit;
      misses++;
      const res = await fetch(request);
      await cache.put(key, res.clone());
      return res;
    };
    const layer = createEdgeLayer({
      policy: { allowOrigins: [A, B], allowCredentials: true },
      upstream: upstreamUrl,
      fetch: cachingFetch,
    });
    const get = (origin?: string) =>
      layer(new Request(`${EDGE}/cacheable`, { headers: origin === undefined ? {} : { origin } }));
    const hitsBefore = (
      (await (await fetch(`${upstreamUrl}/cacheable-hits`)).json()) as { hits: number }
    ).hits;

    const a = await get(A);
    expect(a.headers.get("access-control-allow-origin")).toBe(A);
    const bodyA = await a.text();

    const b = await get(B);
    expect(b.headers.get("access-control-allow-origin")).toBe(B);
    expect(b.headers.get("access-control-allow-credentials")).toBe("true");
    expect(await b.text()).toBe(bodyA);

    const none = await get();
    expect(none.headers.get("access-control-allow-origin")).toBeNull();
    expect(none.headers.get("access-control-allow-credentials")).toBeNull();
    expect(none.headers.get("vary")).toBe("Origin");

    const evil = await get("https://evil.example");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    await evil.text();
    await none.text();

    // One upstream request, three answers from the cache; the cached copy holds no CORS headers.
    expect(misses).toBe(1);
    const hitsAfter = (
      (await (await fetch(`${upstreamUrl}/cacheable-hits`)).json()) as { hits: number }
    ).hits;
    expect(hitsAfter - hitsBefore).toBe(1);
    const stored = await cache.match(new Request(`${upstreamUrl}/cacheable`));
    expect(stored).toBeDefined();
    expect(stored!.headers.get("access-control-allow-origin")).toBeNull();
    expect(stored!.headers.get("vary")).toBeNull();
    await stored!.text();
  });
});
