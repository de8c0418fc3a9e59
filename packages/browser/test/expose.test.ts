import { describe, expect, it } from "vitest";
import { exposedHeaderNames, type ResponseLike } from "../src/index.ts";
import { codes, ORIGIN, req, warningCodes } from "./helpers.ts";

describe("exposedHeaderNames", () => {
  const base: Array<[string, string]> = [
    ["Access-Control-Allow-Origin", ORIGIN],
    ["Cache-Control", "no-store"],
    ["Content-Language", "en"],
    ["Content-Length", "3"],
    ["Content-Type", "text/plain"],
    ["Expires", "0"],
    ["Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"],
    ["Pragma", "no-cache"],
    ["Age", "1"],
    ["Server", "x"],
    ["Warning", "199 - x"],
    ["X-Custom", "1"],
    ["Set-Cookie", "a=b"],
    ["Set-Cookie2", "c=d"],
  ];
  const safelisted = [
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
  ];
  const res = (extra: Array<[string, string]> = []): ResponseLike => ({
    status: 200,
    headers: [...base, ...extra],
  });

  it("exposes only safelisted response headers by default", () => {
    const r = exposedHeaderNames(req(), res());
    expect(r.exposed).toEqual(safelisted);
    expect(r.hidden).toEqual([
      "access-control-allow-origin",
      "age",
      "server",
      "set-cookie",
      "set-cookie2",
      "warning",
      "x-custom",
    ]);
  });

  it("ACEH lists names case-insensitively; Set-Cookie never", () => {
    const r = exposedHeaderNames(
      req(),
      res([["Access-Control-Expose-Headers", "AGE, x-custom, Set-Cookie"]]),
    );
    expect(r.exposed).toEqual(["age", ...safelisted, "x-custom"].sort());
    expect(r.exposed).not.toContain("set-cookie");
    expect(warningCodes(r)).toEqual(["aceh-forbidden"]);
  });

  it("ACEH * exposes all non-forbidden headers without credentials", () => {
    const r = exposedHeaderNames(req(), res([["Access-Control-Expose-Headers", "*"]]));
    expect(r.wildcard).toBe(true);
    expect(r.hidden).toEqual(["set-cookie", "set-cookie2"]);
  });

  it("ACEH * with credentials exposes only a header literally named *", () => {
    const r = exposedHeaderNames(
      req({ credentials: "include" }),
      res([
        ["Access-Control-Expose-Headers", "*"],
        ["*", "star"],
      ]),
    );
    expect(r.wildcard).toBe(false);
    expect(r.exposed).toEqual(["*", ...safelisted]);
    expect(warningCodes(r)).toEqual(["aceh-wildcard-credentials"]);
  });

  it("an unparsable ACEH exposes nothing extra", () => {
    const r = exposedHeaderNames(
      req(),
      res([["Access-Control-Expose-Headers", "x-custom, not valid"]]),
    );
    expect(r.exposed).toEqual(safelisted);
    expect(warningCodes(r)).toEqual(["aceh-invalid"]);
  });

  it("same-origin responses expose everything but Set-Cookie", () => {
    const r = exposedHeaderNames(req({ origin: "https://api.example.net" }), res());
    expect(r.hidden).toEqual(["set-cookie", "set-cookie2"]);
  });

  it("readHeaders turns unreadable headers into problems with the fix", () => {
    const r = exposedHeaderNames(req(), res([["Access-Control-Expose-Headers", "age"]]), [
      "X-Custom",
      "X-Request-Id",
      "Set-Cookie",
      "Content-Type",
      "Age",
    ]);
    expect(codes(r)).toEqual(["header-not-exposed", "header-not-exposed", "header-forbidden"]);
    expect(r.problems[0]?.fix).toBe(
      "send Access-Control-Expose-Headers: age, x-custom, x-request-id",
    );
  });
});
