import { publicSuffixes } from "@edge-cors/public-suffix";
import { describe, expect, it } from "vitest";
import { createCors, validatePolicy } from "../src/index.ts";

const A = "https://app.example.com";
/** Patterns that must be refused with credentials, and warned about without. */
const publicPatterns = [
  "https://*.com.mx",
  "https://*.ac.jp",
  "https://*.org.au",
  "https://*.s3.us-east-1.amazonaws.com",
  "https://*.r.appspot.com",
  "https://*.amazonaws.com",
  "https://*.github.io",
  "https://*.co.uk",
];

describe("validation with the Public Suffix List", () => {
  it.each(publicPatterns)("%s is refused with credentials", (pattern) => {
    const { errors } = validatePolicy(
      { allowOrigins: [A, pattern], allowCredentials: true },
      { publicSuffixes },
    );
    expect(errors).toEqual([
      expect.objectContaining({ code: "public-suffix-pattern", path: "allowOrigins[1]" }),
    ]);
  });

  it.each(publicPatterns)("%s is accepted with a warning without credentials", (pattern) => {
    const { errors, warnings } = validatePolicy({ allowOrigins: [pattern] }, { publicSuffixes });
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.code)).toContain("public-suffix-pattern");
  });

  it("a pattern on a registrable domain is accepted with credentials", () => {
    const { errors, warnings } = validatePolicy(
      {
        allowOrigins: ["https://*.preview.example.com", "https://*.example.co.uk"],
        allowCredentials: true,
      },
      { publicSuffixes },
    );
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.code)).toEqual(["subdomain-pattern", "subdomain-pattern"]);
  });

  it("a credentialed grant never reaches a host under a public suffix (the red-team request)", async () => {
    expect(() =>
      createCors(
        { allowOrigins: ["https://*.com.mx"], allowCredentials: true },
        { publicSuffixes },
      ),
    ).toThrow(/public suffix "com\.mx"/);
  });
});

describe("validation without a Public Suffix List fails closed", () => {
  it("refuses a credentialed subdomain pattern it cannot check", () => {
    const { errors } = validatePolicy({
      allowOrigins: ["https://*.example.com"],
      allowCredentials: true,
    });
    expect(errors.map((e) => e.code)).toEqual(["public-suffix-unchecked"]);
  });

  it("still knows a single label is public, and accepts patterns without credentials", () => {
    expect(
      validatePolicy({ allowOrigins: ["https://*.com"], allowCredentials: true }).errors[0]?.code,
    ).toBe("public-suffix-pattern");
    expect(validatePolicy({ allowOrigins: ["https://*.example.com"] }).errors).toEqual([]);
  });

  it("treats a lookup that throws or answers nonsense as 'public' (fail closed)", () => {
    for (const lookup of [
      () => {
        throw new Error("down");
      },
      () => undefined as unknown as string | null,
    ]) {
      const { errors } = validatePolicy(
        { allowOrigins: ["https://*.example.com"], allowCredentials: true },
        { publicSuffixes: lookup },
      );
      expect(errors.map((e) => e.code)).toEqual(["public-suffix-pattern"]);
    }
  });
});
