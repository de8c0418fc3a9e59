import { publicSuffixes } from "@edge-cors/public-suffix";
import { describe, expect, it } from "vitest";
import {
  CorsConfigError,
  type CorsPolicy,
  createCors as createCorsUnchecked,
  ISSUE_CODES,
  validatePolicy as validateUnchecked,
} from "../src/index.ts";

/** Validation as every adapter runs it: with the Public Suffix List. */
const validatePolicy = (policy: unknown) => validateUnchecked(policy, { publicSuffixes });
const createCors = (policy: CorsPolicy) => createCorsUnchecked(policy, { publicSuffixes });

const A = "https://app.example.com";

/** [what, policy, expected error paths (exact), a word every message must contain] */
const invalid: Array<[string, unknown, string[], string?]> = [
  ["not an object", "nope", ["", "allowOrigins"]],
  ["missing allowOrigins", {}, ["allowOrigins"], "required"],
  ["empty origin list", { allowOrigins: [] }, ["allowOrigins"], "empty"],
  [
    '"*" with credentials',
    { allowOrigins: "*", allowCredentials: true },
    ["allowOrigins", "allowCredentials"],
    "*",
  ],
  ["null origin", { allowOrigins: ["null"] }, ["allowOrigins[0]"], "null"],
  ["file: origin", { allowOrigins: ["file://"] }, ["allowOrigins[0]"], "file"],
  ['"*" inside a list', { allowOrigins: ["*"] }, ["allowOrigins[0]"]],
  ["a path", { allowOrigins: [`${A}/api`] }, ["allowOrigins[0]"], A],
  ["a trailing slash", { allowOrigins: [`${A}/`] }, ["allowOrigins[0]"], "/"],
  ["default https port", { allowOrigins: [`${A}:443`] }, ["allowOrigins[0]"], "default port"],
  [
    "default http port",
    { allowOrigins: ["http://localhost:80"] },
    ["allowOrigins[0]"],
    "default port",
  ],
  ["upper case", { allowOrigins: ["https://App.example.com"] }, ["allowOrigins[0]"], "lower-case"],
  [
    "upper-case scheme",
    { allowOrigins: ["HTTPS://app.example.com"] },
    ["allowOrigins[0]"],
    "lower-case",
  ],
  ["userinfo", { allowOrigins: ["https://user@app.example.com"] }, ["allowOrigins[0]"], "user"],
  ["whitespace", { allowOrigins: [" https://app.example.com"] }, ["allowOrigins[0]"], "whitespace"],
  ["no scheme", { allowOrigins: ["app.example.com"] }, ["allowOrigins[0]"]],
  ["a query", { allowOrigins: [`${A}?x=1`] }, ["allowOrigins[0]"]],
  ["Unicode host", { allowOrigins: ["https://bücher.example"] }, ["allowOrigins[0]"], "xn--"],
  [
    "wildcard in the middle",
    { allowOrigins: ["https://app.*.example.com"] },
    ["allowOrigins[0]"],
    "*",
  ],
  ["wildcard scheme", { allowOrigins: ["*://app.example.com"] }, ["allowOrigins[0]"]],
  [
    "public-suffix pattern with credentials",
    { allowOrigins: ["https://*.github.io"], allowCredentials: true },
    ["allowOrigins[0]"],
    "public suffix",
  ],
  [
    "TLD pattern with credentials",
    { allowOrigins: ["https://*.com"], allowCredentials: true },
    ["allowOrigins[0]"],
    "public suffix",
  ],
  [
    "http origin with credentials",
    { allowOrigins: ["http://app.example.com"], allowCredentials: true },
    ["allowOrigins[0]"],
    "http",
  ],
  [
    "http pattern with credentials",
    { allowOrigins: ["http://*.example.com"], allowCredentials: true },
    ["allowOrigins[0]"],
    "http",
  ],
  ["non-token method", { allowOrigins: [A], allowMethods: ["PU T"] }, ["allowMethods[0]"], "token"],
  [
    "forbidden method CONNECT",
    { allowOrigins: [A], allowMethods: ["CONNECT"] },
    ["allowMethods[0]"],
    "forbidden",
  ],
  [
    "forbidden method trace (any case)",
    { allowOrigins: [A], allowMethods: ["trace"] },
    ["allowMethods[0]"],
    "forbidden",
  ],
  [
    "forbidden method TRACK",
    { allowOrigins: [A], allowMethods: ["TRACK"] },
    ["allowMethods[0]"],
    "forbidden",
  ],
  [
    "non-token header",
    { allowOrigins: [A], allowHeaders: ["x bad"] },
    ["allowHeaders[0]"],
    "token",
  ],
  [
    "Set-Cookie exposed",
    { allowOrigins: [A], exposeHeaders: ["Set-Cookie"] },
    ["exposeHeaders[0]"],
    "forbidden",
  ],
  [
    "Set-Cookie2 exposed",
    { allowOrigins: [A], exposeHeaders: ["set-cookie2"] },
    ["exposeHeaders[0]"],
    "forbidden",
  ],
  [
    "expose * with credentials",
    { allowOrigins: [A], allowCredentials: true, exposeHeaders: "*" },
    ["exposeHeaders"],
    "*",
  ],
  ["methods not a list", { allowOrigins: [A], allowMethods: "PUT" }, ["allowMethods"]],
  ["maxAge above 86400", { allowOrigins: [A], maxAge: 86401 }, ["maxAge"], "86400"],
  ["maxAge 2d", { allowOrigins: [A], maxAge: "2d" }, ["maxAge"], "86400"],
  ["maxAge negative", { allowOrigins: [A], maxAge: -1 }, ["maxAge"]],
  ["maxAge fractional", { allowOrigins: [A], maxAge: 1.5 }, ["maxAge"]],
  ["maxAge unparsable", { allowOrigins: [A], maxAge: "10 minutes" }, ["maxAge"], "duration"],
  ["maxAge wrong type", { allowOrigins: [A], maxAge: true }, ["maxAge"]],
  ["credentials not boolean", { allowOrigins: [A], allowCredentials: "yes" }, ["allowCredentials"]],
  ["unknown option with a hint", { allowOrigins: [A], origin: A }, ["origin"], "allowOrigins"],
  ["bad mode", { allowOrigins: [A], mode: "audit" }, ["mode"]],
  ["routes not a list", { allowOrigins: [A], routes: {} }, ["routes"]],
  ["route without path", { allowOrigins: [A], routes: [{ maxAge: 5 }] }, ["routes[0].path"]],
  [
    "route with a bad path",
    { allowOrigins: [A], routes: [{ path: "/a/*/b" }] },
    ["routes[0].path"],
  ],
  [
    "route opening * on a credentialed base",
    { allowOrigins: [A], allowCredentials: true, routes: [{ path: "/p/*", allowOrigins: "*" }] },
    ["routes[0].allowOrigins", "routes[0].allowCredentials"],
  ],
  [
    "route with its own bad maxAge",
    { allowOrigins: [A], routes: [{ path: "/p", maxAge: "1y" }] },
    ["routes[0].maxAge"],
  ],
  [
    "route turning credentials on over an http origin",
    { allowOrigins: ["http://app.example.com"], routes: [{ path: "/p", allowCredentials: true }] },
    ["routes[0].allowOrigins[0]"],
    "http",
  ],
  // Lints the best Go CORS library has (jub0bs/cors): the protocol's own headers listed.
  [
    "Access-Control-* in allowHeaders",
    { allowOrigins: [A], allowHeaders: ["Content-Type", "Access-Control-Allow-Origin"] },
    ["allowHeaders[1]"],
    "CORS protocol header",
  ],
  [
    "Access-Control-* in exposeHeaders",
    { allowOrigins: [A], exposeHeaders: ["access-control-allow-credentials"] },
    ["exposeHeaders[0]"],
    "CORS protocol header",
  ],
  [
    '["*"] with credentials: both problems at once',
    { allowOrigins: ["*"], allowCredentials: true },
    ["allowOrigins[0]", "allowOrigins[0]"],
  ],
  [
    "route path with %-escapes",
    { allowOrigins: [A], routes: [{ path: "/%61dmin/*" }] },
    ["routes[0].path"],
  ],
  [
    "route path with dot segments",
    { allowOrigins: [A], routes: [{ path: "/a/../admin/*" }] },
    ["routes[0].path"],
  ],
  [
    "route path with //",
    { allowOrigins: [A], routes: [{ path: "//admin/*" }] },
    ["routes[0].path"],
  ],
  [
    "route path with ;",
    { allowOrigins: [A], routes: [{ path: "/admin;x/*" }] },
    ["routes[0].path"],
  ],
  ["pathCase invalid", { allowOrigins: [A], pathCase: "mixed" }, ["pathCase"]],
  // Red team, pass 2: a trailing dot kept a public suffix away from the PSL check.
  [
    "a pattern on a fully qualified public suffix",
    { allowOrigins: ["https://*.github.io."], allowCredentials: true },
    ["allowOrigins[0]"],
    "dot",
  ],
  [
    "a route path with a trailing slash",
    { allowOrigins: [A], routes: [{ path: "/admin/" }] },
    ["routes[0].path"],
  ],
  [
    "a prefix route holding //",
    { allowOrigins: [A], routes: [{ path: "/admin//*" }] },
    ["routes[0].path"],
  ],
  ["the old debug name", { allowOrigins: [A], debug: true }, ["debug"], "decisionHeader"],
];

describe("validation refuses invalid and insecure policies", () => {
  it.each(invalid)("%s", (_what, policy, paths, word) => {
    const { errors } = validatePolicy(policy);
    expect(errors.map((e) => e.path).sort()).toEqual([...paths].sort());
    for (const e of errors) expect(Object.keys(ISSUE_CODES)).toContain(e.code);
    if (word) for (const e of errors) expect(e.message).toContain(word);
    expect(() => createCors(policy as CorsPolicy)).toThrow(CorsConfigError);
  });

  it("lists every problem of a policy with many, not just the first", () => {
    const policy = {
      allowOrigins: [
        "null",
        "https://App.example.com",
        `${A}/`,
        "http://evil.com",
        "https://*.github.io",
      ],
      allowCredentials: true,
      allowMethods: ["TRACE", "PUT"],
      allowHeaders: ["ok", "not ok"],
      exposeHeaders: ["Set-Cookie"],
      maxAge: "3d",
      routes: [{ path: "bad" }],
      origins: [],
    };
    let err: CorsConfigError | undefined;
    try {
      createCors(policy as unknown as CorsPolicy);
    } catch (e) {
      err = e as CorsConfigError;
    }
    expect(err).toBeInstanceOf(CorsConfigError);
    expect(err!.issues.map((i) => i.path)).toEqual([
      "origins",
      "allowOrigins[0]",
      "allowOrigins[1]",
      "allowOrigins[2]",
      "allowOrigins[3]",
      "allowOrigins[4]",
      "allowMethods[0]",
      "allowHeaders[1]",
      "exposeHeaders[0]",
      "maxAge",
      "routes[0].path",
    ]);
    expect(err!.message).toContain("11 problems");
    for (const i of err!.issues) expect(err!.message).toContain(i.path);
  });

  it("a problem inherited by a route is reported once, at the top level", () => {
    const { errors } = validatePolicy({
      allowOrigins: ["null"],
      routes: [{ path: "/a", maxAge: 5 }],
    });
    expect(errors.map((e) => e.path)).toEqual(["allowOrigins[0]"]);
  });
});

const valid: Array<[string, CorsPolicy, string[]]> = [
  [
    "exact origins",
    { allowOrigins: [A, "http://localhost:5173", "http://[::1]:8080", "http://127.0.0.1:3000"] },
    [],
  ],
  ["extension origin", { allowOrigins: ["chrome-extension://abcdefghijklmnop"] }, []],
  ["Punycode host", { allowOrigins: ["https://xn--bcher-kva.example"] }, []],
  [
    "loopback http with credentials",
    {
      allowOrigins: ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"],
      allowCredentials: true,
    },
    [],
  ],
  [
    "star without credentials",
    { allowOrigins: "*", allowMethods: "*", allowHeaders: "*", exposeHeaders: "*" },
    [],
  ],
  [
    "subdomain pattern warns about its breadth",
    { allowOrigins: ["https://*.example.com"] },
    ["allowOrigins[0]"],
  ],
  [
    "public suffix without credentials warns",
    { allowOrigins: ["https://*.vercel.app"] },
    ["allowOrigins[0]"],
  ],
  ["maxAge 2h warns about WebKit's cap", { allowOrigins: [A], maxAge: "2h" }, ["maxAge"]],
  [
    "maxAge 1d warns about Chromium and WebKit",
    { allowOrigins: [A], maxAge: "1d" },
    ["maxAge", "maxAge"],
  ],
  ["maxAge 600 is silent", { allowOrigins: [A], maxAge: 600 }, []],
  ["maxAge 0", { allowOrigins: [A], maxAge: 0 }, []],
  [
    "lower-case normalized method warns",
    { allowOrigins: [A], allowMethods: ["delete"] },
    ["allowMethods[0]"],
  ],
  [
    "lower-case custom method warns about case",
    { allowOrigins: [A], allowMethods: ["patch"] },
    ["allowMethods[0]"],
  ],
  ["safelisted method warns", { allowOrigins: [A], allowMethods: ["GET"] }, ["allowMethods[0]"]],
  [
    "forbidden request header warns",
    { allowOrigins: [A], allowHeaders: ["Cookie"] },
    ["allowHeaders[0]"],
  ],
  [
    "safelisted response header warns",
    { allowOrigins: [A], exposeHeaders: ["Content-Type"] },
    ["exposeHeaders[0]"],
  ],
  [
    "routes",
    {
      allowOrigins: [A],
      allowCredentials: true,
      routes: [
        { path: "/public/*", allowOrigins: "*", allowCredentials: false },
        { path: "*", maxAge: 0 },
      ],
    },
    [],
  ],
];

describe("valid policies compile, with warnings where they deserve one", () => {
  it.each(valid)("%s", (_what, policy, warningPaths) => {
    const cors = createCors(policy);
    expect(cors.warnings.map((w) => w.path)).toEqual(warningPaths);
  });

  it("a predicate is accepted in code", () => {
    expect(() => createCors({ allowOrigins: (o) => o.endsWith(".example.com") })).not.toThrow();
  });
});

// Type-level: "*" with credentials does not compile.
// @ts-expect-error allowCredentials: true is not assignable when allowOrigins is "*"
const _typeError: CorsPolicy = { allowOrigins: "*", allowCredentials: true };
void _typeError;

describe("docs/policy-issues.md", () => {
  it("lists every issue code", async () => {
    const { readFileSync } = await import("node:fs");
    const doc = readFileSync(new URL("../../../docs/policy-issues.md", import.meta.url), "utf8");
    for (const code of Object.keys(ISSUE_CODES)) expect(doc).toContain(`\`${code}\``);
  });
});
