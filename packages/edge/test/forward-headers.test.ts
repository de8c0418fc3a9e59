import { describe, expect, it } from "vitest";
import { stripHopByHop, upstreamRequestHeaders } from "../src/forward-headers.ts";

const VIA = { host: "edge.example", proto: "https" };

describe("Connection can strip only what is not protected (red team L5)", () => {
  it.each([
    ["origin", "origin", "https://app.example.com"],
    ["vary", "vary", "Origin"],
    ["an Access-Control-* header", "access-control-allow-origin", "*"],
    ["Sec-Fetch-Site", "sec-fetch-site", "cross-site"],
    ["a Sec-WebSocket-* header", "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="],
    ["X-Forwarded-For", "x-forwarded-for", "192.0.2.1"],
    ["X-Real-IP", "x-real-ip", "192.0.2.1"],
    ["Forwarded", "forwarded", "for=192.0.2.1"],
  ])("keeps %s", (_n, name, value) => {
    const h = new Headers({ connection: `keep-alive, ${name.toUpperCase()}`, [name]: value });
    stripHopByHop(h);
    expect(h.get(name)).toBe(value);
    expect(h.get("connection")).toBeNull();
  });

  it("strips an ordinary header it names, and every hop-by-hop header", () => {
    const h = new Headers({
      connection: " x-hop ,, X-Other\t",
      "x-hop": "1",
      "x-other": "1",
      "keep-alive": "timeout=5",
      "proxy-authorization": "Basic Zm9vOmJhcg==",
      te: "trailers",
      upgrade: "websocket",
      "x-end-to-end": "1",
    });
    stripHopByHop(h);
    expect([...h.keys()]).toEqual(["x-end-to-end"]);
  });

  it("a Connection list of malformed or thousands of names costs one pass and never throws", () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `x-${i}`).join(", ");
    const h = new Headers({ connection: `${names}, "bad name", (x), ,,,`, "x-19999": "1", a: "1" });
    const started = performance.now();
    stripHopByHop(h);
    expect(performance.now() - started).toBeLessThan(500);
    expect([...h.keys()]).toEqual(["a"]);
  });
});

describe("the upstream request's headers", () => {
  it("the client's forwarding headers are dropped and the layer's set after the Connection list is applied", () => {
    const h = upstreamRequestHeaders(
      new Headers({
        connection: "x-forwarded-for, x-real-ip, origin, x-forwarded-host",
        origin: "https://app.example.com",
        host: "edge.example",
        "x-forwarded-host": "evil.example",
        "x-forwarded-proto": "http",
        "x-forwarded-for": "203.0.113.9",
        "x-forwarded-port": "1",
        "x-real-ip": "203.0.113.9",
        forwarded: "for=203.0.113.9;host=evil.example",
        "proxy-authorization": "Basic Zm9vOmJhcg==",
        "x-kept": "1",
      }),
      VIA,
      false,
    );
    expect(Object.fromEntries(h)).toEqual({
      origin: "https://app.example.com",
      "x-forwarded-host": "edge.example",
      "x-forwarded-proto": "https",
      "x-kept": "1",
    });
  });

  it("a WebSocket handshake keeps its Upgrade and Connection, and nothing else hop-by-hop", () => {
    const h = upstreamRequestHeaders(
      new Headers({
        upgrade: "websocket",
        connection: "keep-alive, Upgrade, x-hop",
        "x-hop": "1",
        "sec-websocket-key": "k",
        "sec-websocket-version": "13",
        "proxy-authorization": "Basic Zm9vOmJhcg==",
      }),
      VIA,
      true,
    );
    expect(Object.fromEntries(h)).toEqual({
      connection: "Upgrade",
      "sec-websocket-key": "k",
      "sec-websocket-version": "13",
      upgrade: "websocket",
      "x-forwarded-host": "edge.example",
      "x-forwarded-proto": "https",
    });
  });
});
