import { describe, expect, it } from "vitest";
import { checkPreflight, preflightCacheSeconds } from "../src/index.ts";
import { okPreflight, req, warningCodes } from "./helpers.ts";

describe("preflightCacheSeconds (Access-Control-Max-Age)", () => {
  // Engine columns follow each engine's parser; `-1`, `+5`, `abc`, `5, 5`, `1.5` and `` were
  // measured in the three engines by the browser suite (max-age-* scenarios).
  it.each<[string | null, boolean, number, number, number, number]>([
    [null, false, 5, 5, 5, 5],
    ["0", true, 0, 0, 0, 0],
    ["1", true, 1, 1, 1, 1],
    ["600", true, 600, 600, 600, 600],
    ["7200", true, 7200, 7200, 600, 7200],
    ["12000", true, 7200, 12000, 600, 12000],
    ["86400", true, 7200, 86400, 600, 86400],
    ["100000", true, 7200, 86400, 600, 100000],
    ["000042", true, 42, 42, 42, 42],
    // int64 overflow: Chromium and WebKit fall back to 5 s
    ["99999999999999999999", true, 5, 86400, 5, 1e20],
    ["-1", false, 0, 0, 0, 5], // negative: Chromium and WebKit 0, Firefox not cached; Fetch 5
    ["-0", false, 0, 0, 0, 5],
    ["+10", false, 10, 0, 10, 5],
    ["abc", false, 5, 0, 5, 5],
    ["", false, 5, 5, 5, 5],
    ["5, 5", false, 5, 0, 5, 5], // two lines joined by get
    ["1.5", false, 5, 0, 5, 5],
  ])(
    "%j → valid %j, chromium %i, firefox %i, webkit %i, standard %d",
    (raw, valid, chromium, firefox, webkit, standard) => {
      expect(preflightCacheSeconds(raw)).toEqual({
        raw,
        valid,
        seconds: { chromium, firefox, webkit },
        standard,
      });
    },
  );

  it.each<[string, string[]]>([
    ["7200", []],
    ["abc", ["acma-invalid"]],
    ["-1", ["acma-invalid"]],
    ["100000", ["acma-above-caps"]],
  ])("ACMA %j warnings", (raw, expected) => {
    const r = checkPreflight(
      req({ method: "PUT" }),
      okPreflight([
        ["Access-Control-Allow-Methods", "PUT"],
        ["Access-Control-Max-Age", raw],
      ]),
    );
    expect(r.ok).toBe(true);
    expect(warningCodes(r)).toEqual(expected);
  });
});
