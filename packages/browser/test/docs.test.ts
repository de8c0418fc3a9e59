import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROBLEM_CODES, WARNING_CODES } from "../src/index.ts";

describe("docs/browser-model.md", () => {
  const doc = readFileSync(new URL("../../../docs/browser-model.md", import.meta.url), "utf8");
  it.each([...new Set([...PROBLEM_CODES, ...WARNING_CODES])])("documents %s", (code) => {
    expect(doc).toContain(`\`${code}\``);
  });
});
