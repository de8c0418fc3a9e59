/** The CLI's own small pieces: JSON error positions, colour decision, --header parsing. */
import { describe, expect, it } from "vitest";
import { wantsColor } from "../src/color.ts";
import { findJsonSyntaxError } from "../src/json-position.ts";
import { parseHeaderFlag } from "../src/request-flags.ts";

describe("findJsonSyntaxError", () => {
  it.each([
    ['{"a": 1}', null],
    ['[1, 2, {"x": [true, false, null, -1.5e3]}]', null],
    ['{"a": 1,}', { line: 1, column: 9, message: 'trailing comma before "}"' }],
    ['{\n  "a": [1 2]\n}', { line: 2, column: 11, message: 'expected "," or "]" but found "2"' }],
    [
      "{'a': 1}",
      { line: 1, column: 2, message: 'expected a property name in double quotes but found "\'"' },
    ],
    ['{"a": tru}', { line: 1, column: 10, message: 'expected "true" but found "}"' }],
    ['{"a": "x', { line: 1, column: 9, message: "unterminated string" }],
    [
      '{"a": 1',
      { line: 1, column: 8, message: 'expected "," or "}" but found the end of the input' },
    ],
    ["", { line: 1, column: 1, message: "expected a value but found the end of the input" }],
    ['{"a": 01}', { line: 1, column: 8, message: 'expected "," or "}" but found "1"' }],
    ['{"a": 1} x', { line: 1, column: 10, message: 'unexpected "x" after the JSON value' }],
  ])("%j", (text, expected) => {
    const got = findJsonSyntaxError(text);
    if (expected === null) {
      expect(got).toBeNull();
      expect(() => JSON.parse(text)).not.toThrow();
    } else {
      expect(got).toMatchObject(expected);
      expect(() => JSON.parse(text)).toThrow();
    }
  });
});

describe("wantsColor", () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [undefined, {}, false],
    [true, { NO_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true],
    [true, { TERM: "dumb" }, false],
    [false, { FORCE_COLOR: "1" }, true],
    [false, { FORCE_COLOR: "0" }, false],
    [false, { FORCE_COLOR: "1", NO_COLOR: "1" }, false],
  ] as const)("tty=%s env=%j → %s", (tty, env, expected) => {
    expect(wantsColor(tty, env as NodeJS.ProcessEnv)).toBe(expected);
  });
});

describe("parseHeaderFlag", () => {
  it("splits at the first colon and trims", () => {
    expect(parseHeaderFlag("X-Api-Key: a:b ")).toEqual(["X-Api-Key", "a:b"]);
    expect(parseHeaderFlag("Range:bytes=0-")).toEqual(["Range", "bytes=0-"]);
  });
  it("refuses a flag without a name", () => {
    expect(() => parseHeaderFlag("novalue")).toThrow(/name:value/);
    expect(() => parseHeaderFlag(":x")).toThrow(/name:value/);
  });
});
