import { describe, expect, it } from "vitest";
import { corsUnsafeRequestHeaderNames } from "../src/index.ts";

describe("corsUnsafeRequestHeaderNames", () => {
  it("lower-cases, dedupes and sorts", () => {
    const r = corsUnsafeRequestHeaderNames([
      ["X-B", "1"],
      ["x-a", "2"],
      ["X-A", "3"],
      ["Content-Type", "application/json"],
      ["Accept", "*/*"],
    ]);
    expect(r.names).toEqual(["content-type", "x-a", "x-b"]);
    expect(r.headers).toContainEqual(["x-a", "2, 3"]);
    expect(r.reasons["content-type"]).toContain("application/json");
  });

  it("drops forbidden request headers and reports them", () => {
    const r = corsUnsafeRequestHeaderNames({
      Cookie: "a=b",
      "Sec-Fetch-Mode": "cors",
      "Proxy-Authorization": "x",
      Host: "evil",
      Origin: "https://evil.example",
      "X-HTTP-Method-Override": "TRACE",
      "X-Method-Override": "PUT",
      "Accept-Encoding": "br",
      "X-Custom": "1",
    });
    expect(r.names).toEqual(["x-custom", "x-method-override"]);
    expect(r.ignoredForbiddenHeaders).toEqual([
      "accept-encoding",
      "cookie",
      "host",
      "origin",
      "proxy-authorization",
      "sec-fetch-mode",
      "x-http-method-override",
    ]);
  });

  it.each([
    ["trace", true],
    ["GET, connect", true],
    ['"TRACE"', false], // quoted values keep their quotes
    ['"a,TRACE"', false],
    ["PATCH", false],
  ])("X-HTTP-Method %j forbidden = %j", (value, forbidden) => {
    const r = corsUnsafeRequestHeaderNames([["X-HTTP-Method", value]]);
    expect(r.ignoredForbiddenHeaders.includes("x-http-method")).toBe(forbidden);
  });

  it("reports invalid names and values (fetch would throw)", () => {
    const r = corsUnsafeRequestHeaderNames([
      ["Bad Name", "x"],
      ["x-ok", "a\r\nb"],
      ["x-emoji", "\u{1F600}"],
    ]);
    expect(r.invalidHeaders.map((i) => i.name)).toEqual(["Bad Name", "x-ok", "x-emoji"]);
    expect(r.names).toEqual([]);
  });

  it("normalizes values like Headers (strips HTTP whitespace)", () => {
    const r = corsUnsafeRequestHeaderNames([["Content-Type", "  text/plain \t"]]);
    expect(r.names).toEqual([]);
  });

  it("applies the 1024-byte total over separate entries", () => {
    const entries: Array<[string, string]> = [];
    for (let i = 0; i < 9; i++) entries.push(["accept", "a".repeat(120)]);
    entries.push(["content-language", "en"]);
    const separate = corsUnsafeRequestHeaderNames(entries, { duplicates: "separate" });
    expect(separate.overBudget).toBe(true);
    expect(separate.safelistedValueBytes).toBe(9 * 120 + 2);
    expect(separate.names).toEqual(["accept", "content-language"]);
    // Engines combine first: accept is then > 128 bytes, content-language stays safelisted.
    const combined = corsUnsafeRequestHeaderNames(entries);
    expect(combined.overBudget).toBe(false);
    expect(combined.names).toEqual(["accept"]);
  });
});
