/**
 * The generated CloudFront Functions (cloudfront-js-2.0) preflight answerer: generated from each
 * vector policy, loaded the way the runtime runs it (a plain script defining `handler`, in a
 * context without Request/Response/Headers/fetch/URL/Set/Map), and run against the shared
 * conformance vectors and, differentially, against the core's own `Cors.preflight`.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import { CorsConfigError, createCors } from "@edge-cors/core";
import { compilePolicy } from "@edge-cors/core/internal";
import { publicSuffixes } from "@edge-cors/public-suffix";
import fc from "fast-check";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base, checkVector, policies, type Vector, vectors } from "../../../test/vectors/index.ts";
import {
  buildCloudFrontFunction,
  CLOUDFRONT_FUNCTION_MAX_BYTES,
  planLiteral,
} from "../src/cloudfront-function.ts";
import type {
  FunctionEvent,
  FunctionHandler,
  FunctionRequest,
  FunctionResponse,
} from "../src/cloudfront-function-handler.ts";

/**
 * Globals the runtime lacks (or the function must not need), shadowed in the context: a
 * generated function that touched any of them would throw. `Set`/`Map` are not documented for
 * cloudfront-js-2.0, nor are timers, network, `process` or `require`.
 */
const ABSENT = [
  "Request",
  "Response",
  "Headers",
  "fetch",
  "URL",
  "URLSearchParams",
  "TextEncoder",
  "TextDecoder",
  "Set",
  "Map",
  "WeakMap",
  "WeakSet",
  "Proxy",
  "Reflect",
  "structuredClone",
  "queueMicrotask",
  "setTimeout",
  "setInterval",
  "setImmediate",
  "process",
  "require",
  "Buffer",
  "eval",
];

/** Load generated code as CloudFront does: a script whose top-level `function handler` is called. */
function load(code: string): FunctionHandler {
  const context = Object.fromEntries(ABSENT.map((name) => [name, undefined]));
  const handler = vm.runInNewContext(`${code}\n;handler`, context, { timeout: 1000 });
  expect(typeof handler).toBe("function");
  return handler as FunctionHandler;
}

/** A vector's request as a CloudFront Functions viewer-request event (lower-case header names). */
function functionEvent(v: Vector): FunctionEvent {
  const [uri = "/", query = ""] = v.request.path.split("?");
  const querystring: FunctionRequest["querystring"] = {};
  for (const pair of query.split("&").filter(Boolean)) {
    const [k = "", value = ""] = pair.split("=");
    querystring[k.toLowerCase()] = { value };
  }
  const headers: FunctionRequest["headers"] = { host: { value: new URL(base).host } };
  for (const [name, value] of Object.entries(v.request.headers)) {
    headers[name.toLowerCase()] = { value };
  }
  return {
    version: "1.0",
    context: {
      distributionDomainName: "d111111abcdef8.cloudfront.net",
      distributionId: "EDFDVBD6EXAMPLE",
      eventType: "viewer-request",
      requestId: "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==",
    },
    viewer: { ip: "198.51.100.11" },
    request: { method: v.request.method, uri, querystring, headers, cookies: {} },
  };
}

/** What the browser sees of a generated response (checkVector reads a Headers). */
function asSeenByBrowser(r: FunctionResponse): { status: number; headers: Headers } {
  return {
    status: r.statusCode,
    headers: new Headers(Object.entries(r.headers).map(([k, h]): [string, string] => [k, h.value])),
  };
}

/** CloudFront Functions' rules for a generated viewer-request response. */
function responseProblems(r: unknown): string[] {
  const p: string[] = [];
  const res = r as Record<string, unknown>;
  if (typeof res.statusCode !== "number") p.push("statusCode must be a number");
  if ("statusDescription" in res && typeof res.statusDescription !== "string")
    p.push("statusDescription, when present, must be a string");
  if ("body" in res) p.push("a preflight answer has no body");
  for (const [name, h] of Object.entries((res.headers ?? {}) as Record<string, unknown>)) {
    if (name !== name.toLowerCase()) p.push(`header name ${name} is not lower-case`);
    const keys = Object.keys(h as object);
    if (keys.length !== 1 || typeof (h as { value?: unknown }).value !== "string") {
      p.push(`header ${name} must be { value: string }, got ${JSON.stringify(h)}`);
    }
  }
  return p;
}

const built = new Map<string, { code: string; bytes: number; handler: FunctionHandler }>();

beforeAll(async () => {
  for (const [name, policy] of Object.entries(policies)) {
    const { code, bytes } = await buildCloudFrontFunction({ policy });
    built.set(name, { code, bytes, handler: load(code) });
  }
});

describe("the generated function against the conformance vectors", () => {
  it.each(vectors.map((v) => [v.name, v] as const))("%s", (_name, v) => {
    const { handler } = built.get(v.policy)!;
    const event = functionEvent(v);
    const before = structuredClone(event.request);
    const result = handler(event);
    // edge-cors's own answers: preflights, and WebSocket handshakes from a refused origin.
    if (v.kind === "preflight" || (v.kind === "websocket" && !v.expect.reachesApp)) {
      expect(responseProblems(result)).toEqual([]);
      const r = result as FunctionResponse;
      expect(checkVector(v, asSeenByBrowser(r), false)).toEqual([]);
    } else {
      // Not a preflight: the very same request object goes on, unchanged.
      expect(result).toBe(event.request);
      expect(result).toEqual(before);
    }
  });

  it("covers every vector policy and every vector kind", () => {
    expect([...built.keys()].sort()).toEqual(Object.keys(policies).sort());
    expect(new Set(vectors.map((v) => v.kind))).toEqual(
      new Set(["preflight", "actual", "websocket", "plain-options", "not-cors"]),
    );
  });
});

describe("size and syntax", () => {
  it.each(Object.keys(policies))("%s: within CloudFront Functions' 10 KB", (name) => {
    const { bytes, code } = built.get(name)!;
    expect(bytes).toBe(Buffer.byteLength(code));
    expect(bytes).toBeLessThanOrEqual(CLOUDFRONT_FUNCTION_MAX_BYTES);
    expect(CLOUDFRONT_FUNCTION_MAX_BYTES).toBe(10240);
  });

  /** Syntax beyond ES 5.1 (cloudfront-js-2.0 documents only some of it; none is needed). */
  const NOT_ES5: ReadonlyMap<ts.SyntaxKind, string> = new Map([
    [ts.SyntaxKind.ArrowFunction, "ArrowFunction"],
    [ts.SyntaxKind.ClassDeclaration, "ClassDeclaration"],
    [ts.SyntaxKind.ClassExpression, "ClassExpression"],
    [ts.SyntaxKind.ForOfStatement, "ForOfStatement"],
    [ts.SyntaxKind.ObjectBindingPattern, "ObjectBindingPattern"],
    [ts.SyntaxKind.ArrayBindingPattern, "ArrayBindingPattern"],
    [ts.SyntaxKind.SpreadElement, "SpreadElement"],
    [ts.SyntaxKind.SpreadAssignment, "SpreadAssignment"],
    [ts.SyntaxKind.TemplateExpression, "TemplateExpression"],
    [ts.SyntaxKind.NoSubstitutionTemplateLiteral, "NoSubstitutionTemplateLiteral"],
    [ts.SyntaxKind.TaggedTemplateExpression, "TaggedTemplateExpression"],
    [ts.SyntaxKind.ShorthandPropertyAssignment, "ShorthandPropertyAssignment"],
    [ts.SyntaxKind.ComputedPropertyName, "ComputedPropertyName"],
    [ts.SyntaxKind.MethodDeclaration, "MethodDeclaration"],
    [ts.SyntaxKind.QuestionDotToken, "QuestionDotToken"],
    [ts.SyntaxKind.QuestionQuestionToken, "QuestionQuestionToken"],
    [ts.SyntaxKind.AsteriskAsteriskToken, "AsteriskAsteriskToken"],
    [ts.SyntaxKind.AwaitExpression, "AwaitExpression"],
    [ts.SyntaxKind.YieldExpression, "YieldExpression"],
    [ts.SyntaxKind.BigIntLiteral, "BigIntLiteral"],
    [ts.SyntaxKind.ImportDeclaration, "ImportDeclaration"],
    [ts.SyntaxKind.ExportDeclaration, "ExportDeclaration"],
    [ts.SyntaxKind.ExportAssignment, "ExportAssignment"],
  ]);

  function syntaxBeyondEs5(code: string): string[] {
    const file = ts.createSourceFile("f.js", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const found: string[] = [];
    const visit = (node: ts.Node) => {
      const kind = NOT_ES5.get(node.kind);
      if (kind !== undefined) found.push(kind);
      if (ts.isVariableDeclarationList(node) && node.flags & ts.NodeFlags.BlockScoped) {
        found.push("let/const");
      }
      if (ts.isParameter(node) && (node.initializer || node.dotDotDotToken)) {
        found.push("default/rest parameter");
      }
      if (ts.isFunctionLike(node) && "asteriskToken" in node && node.asteriskToken) {
        found.push("generator");
      }
      node.forEachChild(visit);
    };
    visit(file);
    return [...new Set(found)];
  }

  it.each(Object.keys(policies))(
    "%s: ES 5.1 syntax only, one top-level `function handler`",
    (name) => {
      const { code } = built.get(name)!;
      expect(syntaxBeyondEs5(code)).toEqual([]);
      const file = ts.createSourceFile(
        "f.js",
        code,
        ts.ScriptTarget.Latest,
        true,
        ts.ScriptKind.JS,
      );
      const handlers = file.statements.filter(
        (s) => ts.isFunctionDeclaration(s) && s.name?.text === "handler",
      );
      expect(handlers).toHaveLength(1);
    },
  );

  it("the syntax check itself catches what it must", () => {
    expect(
      syntaxBeyondEs5(
        "const a = 1; let b; var c = () => 1; for (var x of y) {} var { d } = e; f?.g; h ?? i; `j`; class K {} function l(m = 1, ...n) {} var o = { p };",
      ).sort(),
    ).toEqual(
      [
        "let/const",
        "ArrowFunction",
        "ForOfStatement",
        "ObjectBindingPattern",
        "QuestionDotToken",
        "QuestionQuestionToken",
        "NoSubstitutionTemplateLiteral",
        "ClassDeclaration",
        "default/rest parameter",
        "ShorthandPropertyAssignment",
      ].sort(),
    );
  });

  it("fails to load where a runtime global it needs is missing (the context really lacks them)", () => {
    const h = load("function handler(e) { return new Headers(); }");
    expect(() => h({ request: functionEvent(vectors[0]!).request })).toThrow(/not a constructor/);
    const s = load("function handler(e) { return new Set([1]); }");
    expect(() => s({ request: functionEvent(vectors[0]!).request })).toThrow(/not a constructor/);
  });
});

/** Random preflights (and near-preflights) from pools that hit every branch of the decision. */
const ORIGINS = [
  "https://app.example.com",
  "https://a.example.org",
  "https://a.b.example.org",
  "https://example.org",
  "http://a.example.org",
  "http://localhost",
  "http://localhost:5173",
  "http://localhost:0",
  "http://[::1]:8080",
  "https://evil.example",
  "https://app.example.com.evil.example",
  "https://APP.example.com",
  "null",
  "",
  `https://${"a".repeat(1100)}.example.org`,
];
const METHODS = ["PUT", "DELETE", "PATCH", "patch", "GET", "POST", "FOO", "TRACE", "put"];
const NAMES = ["content-type", "authorization", "x-request-id", "x-other", "Content-Type", "a b"];
const PATHS = ["/api/items", "/public/file", "/public", "/publicx", "/nocache", "/nocache/x", "/"];

const preflightArb = fc.record({
  method: fc.constantFrom("OPTIONS", "OPTIONS", "OPTIONS", "GET", "POST"),
  path: fc.constantFrom(...PATHS),
  origin: fc.option(
    fc.oneof(
      { arbitrary: fc.constantFrom(...ORIGINS.slice(0, 3), "http://localhost:5173"), weight: 3 },
      { arbitrary: fc.constantFrom(...ORIGINS), weight: 2 },
    ),
    { nil: undefined, freq: 8 },
  ),
  acrm: fc.option(fc.constantFrom(...METHODS), { nil: undefined, freq: 8 }),
  acrh: fc.option(
    fc.array(fc.array(fc.constantFrom(...NAMES), { maxLength: 3 }), { minLength: 1, maxLength: 2 }),
    { nil: undefined },
  ),
  pna: fc.option(fc.constantFrom("true", "false", "TRUE"), { nil: undefined }),
});

describe("differential: the generated function answers as the core's Cors.preflight does", () => {
  it.each(Object.keys(policies))("%s", async (name) => {
    const cors = createCors(policies[name]!, { publicSuffixes });
    const { handler } = built.get(name)!;
    await fc.assert(
      fc.asyncProperty(preflightArb, async (p) => {
        const headers = new Headers();
        const fn: FunctionRequest["headers"] = {};
        const put = (n: string, lines: string[]) => {
          for (const line of lines) headers.append(n, line);
          fn[n] = {
            value: lines[0]!,
            ...(lines.length > 1 ? { multiValue: lines.map((value) => ({ value })) } : {}),
          };
        };
        if (p.origin !== undefined) put("origin", [p.origin]);
        if (p.acrm !== undefined) put("access-control-request-method", [p.acrm]);
        if (p.acrh !== undefined) {
          put(
            "access-control-request-headers",
            p.acrh.map((names) => names.join(",")),
          );
        }
        if (p.pna !== undefined) put("access-control-request-private-network", [p.pna]);
        const want = await cors.preflight(
          new Request(base + p.path, { method: p.method, headers }),
        );
        const got = handler({
          request: { method: p.method, uri: p.path, querystring: {}, headers: fn, cookies: {} },
        });
        if (want === null) {
          expect("statusCode" in got).toBe(false);
          return;
        }
        expect(responseProblems(got)).toEqual([]);
        const seen = asSeenByBrowser(got as FunctionResponse);
        expect(seen.status).toBe(want.status);
        expect(Object.fromEntries(seen.headers)).toEqual(Object.fromEntries(want.headers));
      }),
      { numRuns: 400, seed: 6 },
    );
  });
});

describe("header lines", () => {
  it.each<[string, string, Record<string, { value: string; multiValue?: { value: string }[] }>]>([
    [
      "several Access-Control-Request-Headers lines are joined as Headers.get joins them",
      "echo",
      {
        "access-control-request-headers": {
          value: "x-a",
          multiValue: [{ value: "x-a" }, { value: "x-b,x-c" }],
        },
      },
    ],
    [
      "two Origin lines are one value that matches nothing",
      "credentialed",
      {
        origin: {
          value: "https://app.example.com",
          multiValue: [{ value: "https://app.example.com" }, { value: "https://app.example.com" }],
        },
      },
    ],
  ])("%s", async (_what, policy, extra) => {
    const fn: FunctionRequest["headers"] = {
      origin: { value: "https://app.example.com" },
      "access-control-request-method": { value: "PUT" },
      ...extra,
    };
    const headers = new Headers();
    for (const [name, h] of Object.entries(fn)) {
      for (const line of h.multiValue ?? [{ value: h.value }]) headers.append(name, line.value);
    }
    const want = await createCors(policies[policy]!, { publicSuffixes }).preflight(
      new Request(`${base}/api/items`, { method: "OPTIONS", headers }),
    );
    const got = built.get(policy)!.handler({
      request: { method: "OPTIONS", uri: "/api/items", querystring: {}, headers: fn, cookies: {} },
    }) as FunctionResponse;
    expect(want).not.toBeNull();
    expect(got.statusCode).toBe(want!.status);
    expect(Object.fromEntries(asSeenByBrowser(got).headers)).toEqual(
      Object.fromEntries(want!.headers),
    );
  });
});

describe("generation refuses what a preflight-only CloudFront Function cannot do", () => {
  it("a bad policy fails generation, listing every problem", async () => {
    const bad = {
      allowOrigins: ["null", "http://evil.example", "https://*.github.io"],
      allowCredentials: true,
      alowMethods: ["PUT"],
      maxAge: "forever",
      mode: "report",
      decisionHeader: true,
    };
    const e = await buildCloudFrontFunction({ policy: bad }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CorsConfigError);
    const paths = (e as CorsConfigError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "allowOrigins[0]",
        "allowOrigins[1]",
        "allowOrigins[2]",
        "alowMethods",
        "maxAge",
        "mode",
        "decisionHeader",
      ]),
    );
    expect((e as Error).message).toMatch(/7 problems/);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    [
      "an origin predicate",
      { allowOrigins: (o: string) => o.endsWith(".example.com") },
      "allowOrigins",
      /function/,
    ],
    [
      "onDecision",
      { allowOrigins: ["https://app.example.com"], onDecision: () => {} },
      "onDecision",
      /function/,
    ],
    [
      "report mode",
      { allowOrigins: ["https://app.example.com"], mode: "report" },
      "mode",
      /report/,
    ],
    [
      "the decision header",
      { allowOrigins: ["https://app.example.com"], decisionHeader: true },
      "decisionHeader",
      /X-CORS-Decision/i,
    ],
  ])("refuses %s, saying where", async (_what, policy, path, message) => {
    const e = await buildCloudFrontFunction({ policy }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CorsConfigError);
    const issue = (e as CorsConfigError).issues.find((i) => i.path === path);
    expect(issue?.message).toMatch(message);
  });

  it("a policy whose function would exceed 10 KB is refused with its size", async () => {
    const many = Array.from({ length: 400 }, (_, i) => `https://app${i}.example.com`);
    const e = await buildCloudFrontFunction({ policy: { allowOrigins: many } }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(CorsConfigError);
    expect((e as Error).message).toMatch(/\d+ bytes, above CloudFront Functions' 10240-byte/);
  });

  it("no policy at all is an error, not an empty function", async () => {
    await expect(buildCloudFrontFunction({})).rejects.toThrow(/no policy/);
  });
});

describe("files and the inlined plans", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edge-cors-cff-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads policyPath and writes outFile; the written file is the function", async () => {
    const policyPath = join(dir, "cors.json");
    await writeFile(policyPath, JSON.stringify(policies.credentialed));
    const outFile = join(dir, "out", "cors-preflight.js");
    const r = await buildCloudFrontFunction({ policyPath, outFile });
    expect(r.outFile).toBe(outFile);
    expect(await readFile(outFile, "utf8")).toBe(r.code);
    expect(r.code).toBe(built.get("credentialed")!.code); // same policy, same bytes
    expect(r.warnings.map((w) => w.path)).toContain("allowOrigins[1]"); // *.example.org
  });

  it("a policy file that is not JSON names the file", async () => {
    const policyPath = join(dir, "broken.json");
    await writeFile(policyPath, "{ allowOrigins: ");
    await expect(buildCloudFrontFunction({ policyPath })).rejects.toThrow(
      /broken\.json is not valid JSON/,
    );
  });

  it("planLiteral rebuilds the compiled plans exactly, sharing what repeats", () => {
    const { compiled } = compilePolicy(policies.credentialed);
    const plans = { base: compiled.base, routes: compiled.routes };
    const { declarations, expression } = planLiteral(plans);
    expect(declarations).not.toBe(""); // the routes repeat most of the top level
    const rebuilt = new Function(`${declarations}\nreturn ${expression};`)();
    expect(rebuilt).toEqual(plans);
    expect(() => planLiteral({ f: () => 1 })).toThrow(/plans\.f: function cannot be inlined/);
    expect(planLiteral("a\u2028b").expression).toBe('"a\\u2028b"');
  });
});
