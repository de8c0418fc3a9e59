import { describe, expect, it } from "vitest";
import { isCorsSafelistedRequestHeader, parseMimeEssence } from "../src/index.ts";

describe("isCorsSafelistedRequestHeader", () => {
  const long = "0".repeat(129);
  it.each<[string, string, boolean]>([
    // accept
    ["Accept", "*/*", true],
    ["accept", "text/html, application/json;q=0.9", true],
    ["accept", '"', false], // WPT not-cors-safelisted: accept: "
    ["accept", long, false], // > 128 bytes
    ["accept", "a".repeat(128), true],
    ["accept", "a\u0001b", false],
    ["accept", "a\tb", true], // HT is allowed
    ["accept", "text/html@x", false],
    ["accept", "a\u007fb", false],
    ["accept", "caf\u00e9", true], // bytes >= 0x80 are not unsafe
    // accept-language / content-language
    ["accept-language", "en-US,en;q=0.9", true],
    ["accept-language", "\u0001", false],
    ["accept-language", "@", false],
    ["content-language", "de-DE, *", true],
    ["content-language", "\u0001", false],
    ["content-language", "@", false],
    ["content-language", "fr_FR", false],
    // content-type
    ["content-type", "text/plain", true],
    ["Content-Type", "Text/Plain;charset=utf-8", true],
    ["content-type", "application/x-www-form-urlencoded", true],
    ["content-type", "multipart/form-data; boundary=x", true],
    ["content-type", "text/plain ;charset=utf-8", true],
    ["content-type", "text/html", false],
    ["content-type", "application/json", false],
    ["content-type", "text /plain", false],
    ["content-type", "text/plain,", false],
    ["content-type", "text/plain, text/plain", false],
    ["content-type", "text", false],
    ["content-type", "/plain", false],
    ["content-type", 'text/plain; charset="a@b"', false], // unsafe byte '"' / '@'
    ["content-type", `text/plain; long=${"0".repeat(120)}`, false], // long MIME parameter
    // range
    ["range", "bytes=200-", true],
    ["range", "bytes=0-0", true],
    ["range", "bytes=100-200", true],
    ["range", "bytes=0200-200", true],
    ["range", "bytes=-200", false],
    ["range", "bytes=200-100", false],
    ["range", "bytes 0-", false],
    ["range", "bytes= 200-", false],
    ["range", "bytes=200 -", false],
    ["range", "bytes =200-", false],
    ["range", "bytes=200-300,400-500", false],
    ["range", "Bytes=200-", false],
    ["range", "bytes=-", false],
    ["range", "bytes=99999999999999999999-100000000000000000000", true],
    ["range", "bytes=100000000000000000000-99999999999999999999", false],
    // never safelisted names
    ["authorization", "basics", false],
    ["test", "hi", false],
    ["x-requested-with", "XMLHttpRequest", false],
    ["content-length", "0", false],
  ])("%s: %j → %j", (name, value, out) => {
    expect(isCorsSafelistedRequestHeader(name, value)).toBe(out);
  });

  it.each([
    ["text/plain", "text/plain"],
    [" TEXT/PLAIN ; x=y", "text/plain"],
    ["text/plain;", "text/plain"],
    ["text/", null],
    ["te xt/plain", null],
  ])("parseMimeEssence(%j) = %j", (v, out) => {
    expect(parseMimeEssence(v)).toBe(out);
  });
});
