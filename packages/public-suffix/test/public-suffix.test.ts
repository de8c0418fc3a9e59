import { describe, expect, it } from "vitest";
import { publicSuffixes } from "../src/index.ts";

/** [domain, what the lookup must answer: a suffix it names, "public" for any, or null] */
const table: Array<[string, string | null]> = [
  // ICANN section (the red-team's findings: 31 hard-coded entries missed these)
  ["com.mx", "com.mx"],
  ["ac.jp", "ac.jp"],
  ["org.au", "org.au"],
  ["co.uk", "co.uk"],
  ["kawasaki.jp", "kawasaki.jp"], // *.kawasaki.jp: every child is a suffix
  // private section
  ["s3.us-east-1.amazonaws.com", "s3.us-east-1.amazonaws.com"],
  ["github.io", "github.io"],
  ["pages.dev", "pages.dev"],
  ["workers.dev", "workers.dev"],
  ["vercel.app", "vercel.app"],
  ["herokuapp.com", "herokuapp.com"],
  ["r.appspot.com", "r.appspot.com"],
  // registrable domains
  ["example.com", null],
  ["preview.example.com", null],
  ["example.co.uk", null],
  ["city.kawasaki.jp", null], // !city.kawasaki.jp: an exception, registrable
  ["github.com", null],
];

describe("publicSuffixes (the Public Suffix List through tldts)", () => {
  it.each(table)("%s → %s", (domain, expected) => {
    expect(publicSuffixes(domain)).toBe(expected);
  });

  it("finds a public suffix below a registrable domain: *.amazonaws.com admits any S3 bucket", () => {
    const found = publicSuffixes("amazonaws.com");
    expect(found).not.toBeNull();
    expect(found!.endsWith(".amazonaws.com")).toBe(true);
    expect(publicSuffixes(found!)).toBe(found); // what it names is itself a public suffix
  });
});
