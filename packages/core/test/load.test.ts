import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CorsConfigError,
  createCors,
  ISSUE_CODES,
  loadCors,
  MAX_POLICY_TEXT_BYTES,
  PolicyCache,
  validatePolicy,
} from "../src/index.ts";

const APP = "https://app.example.com";
const ADMIN = "https://admin.example.com";

describe("loadCors: the one loader", () => {
  it("loads JSON text and objects alike, with the source in every path", () => {
    const text = loadCors('{"allowOrigins":["https://app.example.com"]}', {
      source: "CORS_POLICY",
    });
    expect(text.ok).toBe(true);
    const bad = loadCors({ allowOrigins: ["null"], maxAge: -1 }, { source: "CORS_POLICY" });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.issues.map((i) => i.path)).toEqual([
        "CORS_POLICY.allowOrigins[0]",
        "CORS_POLICY.maxAge",
      ]);
  });

  it("names a JSON syntax error and a policy beyond the size cap", () => {
    const syntax = loadCors("{not json", { source: "KV" });
    expect(syntax.ok ? [] : syntax.issues.map((i) => [i.code, i.path])).toEqual([
      ["policy-not-json", "KV"],
    ]);
    const huge = loadCors(`{"allowOrigins":["${"a".repeat(MAX_POLICY_TEXT_BYTES)}"]}`);
    expect(huge.ok ? [] : huge.issues.map((i) => i.code)).toEqual(["policy-too-large"]);
  });
});

/**
 * M5 (red team): a deeply nested value crashed validation (`String(r.path)` overflowed the
 * stack), and from KV every request got a 500. Any JSON value must give issues or success.
 */
describe("any value gives CorsConfigError or success, never another exception", () => {
  const deep = (depth: number): unknown => {
    let value: unknown = "x";
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };
  const deepObject = (depth: number): unknown => {
    let value: unknown = {};
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  };
  const hostile: Array<[string, unknown]> = [
    [
      "a route path nested 100 000 deep (the red team's policy)",
      { allowOrigins: [APP], routes: [{ path: deep(100_000) }] },
    ],
    ["origins nested deep", { allowOrigins: [deep(100_000)] }],
    ["maxAge nested deep", { allowOrigins: [APP], maxAge: deep(100_000) }],
    [
      "an object nested deep as an option",
      { allowOrigins: [APP], allowHeaders: deepObject(100_000) },
    ],
    [
      "__proto__ keys",
      JSON.parse(
        '{"allowOrigins":["https://app.example.com"],"__proto__":{"allowCredentials":true},"routes":[{"path":"/a","__proto__":{"x":1}}]}',
      ),
    ],
    [
      "a huge route list",
      { allowOrigins: [APP], routes: Array.from({ length: 10_000 }, () => ({ path: "/a" })) },
    ],
    [
      "a huge origin list",
      { allowOrigins: Array.from({ length: 60_000 }, (_, i) => `https://a${i}.example.com`) },
    ],
    [
      "a huge header list",
      { allowOrigins: [APP], allowHeaders: Array.from({ length: 5000 }, (_, i) => `x-${i}`) },
    ],
    [
      "a getter that throws",
      {
        allowOrigins: [APP],
        get maxAge() {
          throw new Error("boom");
        },
      },
    ],
    [
      "numbers where strings go",
      { allowOrigins: [1, 2], allowMethods: [3], routes: [{ path: 4 }] },
    ],
    ["null", null],
    ["a number", 42],
    ["a list", [APP]],
  ];
  it.each(hostile)("%s", (_what, policy) => {
    const { errors } = validatePolicy(policy);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(Object.keys(ISSUE_CODES)).toContain(e.code);
    expect(() => createCors(policy as never)).toThrow(CorsConfigError);
    expect(loadCors(policy).ok).toBe(false);
    let text: string | undefined;
    try {
      text = JSON.stringify(policy);
    } catch {
      text = undefined; // too deep, or a getter that throws: nothing to load as text
    }
    if (text !== undefined) expect(loadCors(text).ok).toBe(false);
  });

  it("fast-check's arbitrary JSON values, as objects and as text, top level and in every option", () => {
    const options = [
      "allowOrigins",
      "allowCredentials",
      "allowMethods",
      "allowHeaders",
      "exposeHeaders",
      "maxAge",
      "routes",
      "mode",
      "pathCase",
      "decisionHeader",
      "checkWebSocketOrigin",
      "__proto__",
    ];
    const json = fc.jsonValue({ maxDepth: 8 });
    const policy = fc.oneof(
      json,
      fc.dictionary(fc.constantFrom(...options), json),
      fc.record({
        allowOrigins: fc.constant([APP]),
        routes: fc.array(fc.dictionary(fc.constantFrom("path", ...options), json)),
      }),
    );
    fc.assert(
      fc.property(policy, (value) => {
        for (const input of [value, JSON.stringify(value)]) {
          const result = loadCors(input);
          if (!result.ok)
            for (const e of result.issues) expect(Object.keys(ISSUE_CODES)).toContain(e.code);
          try {
            createCors(input as never);
          } catch (e) {
            expect(e).toBeInstanceOf(CorsConfigError);
          }
        }
      }),
      { numRuns: process.env.CI ? 10_000 : 1_000 },
    );
  }, 120_000);
});

describe("PolicyCache: one compilation per distinct policy", () => {
  it("the same object, many times: compiled once", () => {
    const cache = new PolicyCache();
    const policy = { allowOrigins: [APP] };
    const first = cache.get(policy);
    for (let i = 0; i < 100; i++) expect(cache.get(policy)).toBe(first);
    expect(cache.compilations).toBe(1);
  });

  it("fresh objects with the same content: compiled once", () => {
    const cache = new PolicyCache();
    const first = cache.get({ allowOrigins: [APP], maxAge: 600 });
    for (let i = 0; i < 100; i++)
      expect(cache.get({ allowOrigins: [APP], maxAge: 600 })).toBe(first);
    expect(cache.compilations).toBe(1);
  });

  it("the same JSON string (a binding): compiled once; another string: compiled again", () => {
    const cache = new PolicyCache();
    const text = JSON.stringify({ allowOrigins: [APP] });
    const first = cache.get(text);
    for (let i = 0; i < 100; i++) expect(cache.get(text)).toBe(first);
    expect(cache.compilations).toBe(1);
    expect(cache.get(JSON.stringify({ allowOrigins: [ADMIN] }))).not.toBe(first);
    expect(cache.compilations).toBe(2);
  });

  it("policies differing only by a function are told apart by the function's identity", () => {
    const cache = new PolicyCache();
    const a = () => true;
    const b = () => false;
    const ca = cache.get({ allowOrigins: a });
    expect(cache.get({ allowOrigins: a })).toBe(ca);
    expect(cache.get({ allowOrigins: b })).not.toBe(ca);
    expect(cache.compilations).toBe(2);
  });

  it("an invalid policy is compiled once and its error rethrown, every time", () => {
    const cache = new PolicyCache({ source: "policy" });
    const bad = JSON.stringify({ allowOrigins: "*", allowCredentials: true });
    for (let i = 0; i < 5; i++) expect(() => cache.get(bad)).toThrow(CorsConfigError);
    expect(cache.compilations).toBe(1);
    expect(() => cache.get("{not json")).toThrow(/policy: is not valid JSON/);
  });

  it("is bounded: beyond the limit the oldest content key is dropped", () => {
    const cache = new PolicyCache({ limit: 4 });
    const text = (n: number) => JSON.stringify({ allowOrigins: [`https://a${n}.example.com`] });
    for (let i = 0; i < 10; i++) cache.get(text(i));
    expect(cache.compilations).toBe(10);
    cache.get(text(9));
    expect(cache.compilations).toBe(10);
    cache.get(text(0));
    expect(cache.compilations).toBe(11);
  });

  it("prepare maps an adapter's own format, once per distinct input", () => {
    let prepared = 0;
    const cache = new PolicyCache({
      prepare: (input) => {
        prepared++;
        return { policy: { allowOrigins: (input as { origin: string[] }).origin } };
      },
    });
    const first = cache.get({ origin: [APP] });
    expect(cache.get({ origin: [APP] })).toBe(first);
    expect(prepared).toBe(1);
  });
});
