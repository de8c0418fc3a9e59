import { describe, expect, it } from "vitest";
import { isValidHost, MAX_HOST_LENGTH } from "../src/host.ts";

describe("isValidHost: host [: port], nothing that could move the path, query or host", () => {
  it.each([
    "api.example.com",
    "API.Example.COM",
    "localhost",
    "localhost:8787",
    "127.0.0.1",
    "127.0.0.1:65535",
    "xn--bcher-kva.example",
    "under_score.example",
    "edge.example.",
    "[::1]",
    "[::1]:8080",
    "[2001:db8::1]",
    "[::ffff:127.0.0.1]:443",
    "a".repeat(MAX_HOST_LENGTH),
  ])("accepts %s", (host) => {
    expect(isValidHost(host)).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["a backslash path (red team M4)", "h\\admin\\users?"],
    ["a fragment", "h#"],
    ["an unclosed IPv6 literal (red team M4)", "[::1"],
    ["a slash", "h/admin"],
    ["a query", "h?x"],
    ["userinfo", "user@h"],
    ["a space", "h x"],
    ["a tab", "h\tx"],
    ["a NUL", "h\0"],
    ["a %-escape", "h%2fx"],
    ["a non-ASCII name", "bücher.example"],
    ["an empty port", "h:"],
    ["a port over 65535", "h:65536"],
    ["a six-digit port", "h:000080"],
    ["a non-numeric port", "h:80a"],
    ["two ports", "h:80:81"],
    ["a port only", ":80"],
    ["an IPv6 literal with a letter", "[::g]"],
    ["an IPv6 literal without colons", "[1]"],
    ["text after an IPv6 literal", "[::1]x"],
    ["an IPv6 literal with an empty port", "[::1]:"],
    ["too long", "a".repeat(MAX_HOST_LENGTH + 1)],
  ])("refuses %s", (_name, host) => {
    expect(isValidHost(host)).toBe(false);
  });

  it("costs one pass for a huge value", () => {
    const started = performance.now();
    for (let i = 0; i < 100; i++) isValidHost(`${"a".repeat(1_000_000)}\\`);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
