import { describe, expect, it } from "vitest";
import { isForbiddenMethod, isSafelistedMethod, normalizeMethod } from "../src/index.ts";

describe("methods", () => {
  it.each([
    ["get", "GET"],
    ["Delete", "DELETE"],
    ["options", "OPTIONS"],
    ["put", "PUT"],
    ["patch", "patch"],
    ["Patch", "Patch"],
    ["PATCH", "PATCH"],
    ["new", "new"],
    ["poſt", "poſt"], // U+017F upper-cases to "S" in JS but not in Fetch
  ])("normalizeMethod(%j) = %j", (input, out) => {
    expect(normalizeMethod(input)).toBe(out);
  });

  it.each([
    ["GET", true],
    ["HEAD", true],
    ["POST", true],
    ["get", false],
    ["PUT", false],
    ["OPTIONS", false],
  ])("isSafelistedMethod(%j) = %j", (m, out) => {
    expect(isSafelistedMethod(m)).toBe(out);
  });

  it.each([
    ["CONNECT", true],
    ["trace", true],
    ["Track", true],
    ["DELETE", false],
  ])("isForbiddenMethod(%j) = %j", (m, out) => {
    expect(isForbiddenMethod(m)).toBe(out);
  });
});
