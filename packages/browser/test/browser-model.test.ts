import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type BrowserRequest,
  checkCors,
  checkPreflight,
  corsUnsafeRequestHeaderNames,
  exposedHeaderNames,
  isCorsSafelistedRequestHeader,
  isForbiddenMethod,
  isSafelistedMethod,
  normalizeMethod,
  PROBLEM_CODES,
  parseMimeEssence,
  planRequest,
  preflightCacheSeconds,
  type ResponseLike,
  simulate,
  WARNING_CODES,
} from "../src/index.ts";

const ORIGIN = "https://app.example.com";
const URL_ = "https://api.example.net/items?id=1";

function req(over: Partial<BrowserRequest> = {}): BrowserRequest {
  return { url: URL_, origin: ORIGIN, method: "GET", ...over };
}

function codes(r: { problems: Array<{ code: string }> }): string[] {
  return r.problems.map((p) => p.code);
}

function warningCodes(r: { warnings: Array<{ code: string }> }): string[] {
  return r.warnings.map((p) => p.code);
}

/** A preflight response that grants everything for ORIGIN without credentials. */
function okPreflight(extra: Array<[string, string]> = [], status = 204): ResponseLike {
  return {
    status,
    headers: [["Access-Control-Allow-Origin", ORIGIN], ["Vary", "Origin"], ...extra],
  };
}

describe("methods", () => {
  it.each([
    ["get", "GET"],
    ["Delete", "DELETE"],
    ["options", "OPTIONS"],
    ["put", "PUT"],
    ["patch", "patch"],
    ["Patch", "Patch"],
    ["PATCH", "PATCH"],
    ["new", "new"],
    ["poſt", "poſt"], // U+017F upper-cases to "S" in JS but not in Fetch
  ])("normalizeMethod(%j) = %j", (input, out) => {
    expect(normalizeMethod(input)).toBe(out);
  });

  it.each([
    ["GET", true],
    ["HEAD", true],
    ["POST", true],
    ["get", false],
    ["PUT", false],
    ["OPTIONS", false],
  ])("isSafelistedMethod(%j) = %j", (m, out) => {
    expect(isSafelistedMethod(m)).toBe(out);
  });

  it.each([
    ["CONNECT", true],
    ["trace", true],
    ["Track", true],
    ["DELETE", false],
  ])("isForbiddenMethod(%j) = %j", (m, out) => {
    expect(isForbiddenMethod(m)).toBe(out);
  });
});

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

describe("corsUnsafeRequestHeaderNames", () => {
  it("lower-cases, dedupes and sorts", () => {
    const r = corsUnsafeRequestHeaderNames([
      ["X-B", "1"],
      ["x-a", "2"],
      ["X-A", "3"],
      ["Content-Type", "application/json"],
      ["Accept", "*/*"],
    ]);
    expect(r.names).toEqual(["content-type", "x-a", "x-b"]);
    expect(r.headers).toContainEqual(["x-a", "2, 3"]);
    expect(r.reasons["content-type"]).toContain("application/json");
  });

  it("drops forbidden request headers and reports them", () => {
    const r = corsUnsafeRequestHeaderNames({
      Cookie: "a=b",
      "Sec-Fetch-Mode": "cors",
      "Proxy-Authorization": "x",
      Host: "evil",
      Origin: "https://evil.example",
      "X-HTTP-Method-Override": "TRACE",
      "X-Method-Override": "PUT",
      "Accept-Encoding": "br",
      "X-Custom": "1",
    });
    expect(r.names).toEqual(["x-custom", "x-method-override"]);
    expect(r.ignoredForbiddenHeaders).toEqual([
      "accept-encoding",
      "cookie",
      "host",
      "origin",
      "proxy-authorization",
      "sec-fetch-mode",
      "x-http-method-override",
    ]);
  });

  it.each([
    ["trace", true],
    ["GET, connect", true],
    ['"TRACE"', false], // quoted values keep their quotes
    ['"a,TRACE"', false],
    ["PATCH", false],
  ])("X-HTTP-Method %j forbidden = %j", (value, forbidden) => {
    const r = corsUnsafeRequestHeaderNames([["X-HTTP-Method", value]]);
    expect(r.ignoredForbiddenHeaders.includes("x-http-method")).toBe(forbidden);
  });

  it("reports invalid names and values (fetch would throw)", () => {
    const r = corsUnsafeRequestHeaderNames([
      ["Bad Name", "x"],
      ["x-ok", "a\r\nb"],
      ["x-emoji", "\u{1F600}"],
    ]);
    expect(r.invalidHeaders.map((i) => i.name)).toEqual(["Bad Name", "x-ok", "x-emoji"]);
    expect(r.names).toEqual([]);
  });

  it("normalizes values like Headers (strips HTTP whitespace)", () => {
    const r = corsUnsafeRequestHeaderNames([["Content-Type", "  text/plain \t"]]);
    expect(r.names).toEqual([]);
  });

  it("applies the 1024-byte total over separate entries", () => {
    const entries: Array<[string, string]> = [];
    for (let i = 0; i < 9; i++) entries.push(["accept", "a".repeat(120)]);
    entries.push(["content-language", "en"]);
    const separate = corsUnsafeRequestHeaderNames(entries, { duplicates: "separate" });
    expect(separate.overBudget).toBe(true);
    expect(separate.safelistedValueBytes).toBe(9 * 120 + 2);
    expect(separate.names).toEqual(["accept", "content-language"]);
    // Engines combine first: accept is then > 128 bytes, content-language stays safelisted.
    const combined = corsUnsafeRequestHeaderNames(entries);
    expect(combined.overBudget).toBe(false);
    expect(combined.names).toEqual(["accept"]);
  });
});

describe("planRequest", () => {
  it.each<[string, Partial<BrowserRequest>]>([
    ["GET", {}],
    ["HEAD", { method: "HEAD" }],
    ["POST text/plain", { method: "POST", headers: { "Content-Type": "text/plain" } }],
    [
      "POST Text/Plain;charset=utf-8",
      { method: "post", headers: { "Content-Type": "Text/Plain;charset=utf-8" } },
    ],
    [
      "safelisted Accept/Accept-Language/Content-Language",
      { headers: { Accept: "*", "Accept-Language": "bzh", "Content-Language": "bzh" } },
    ],
    ["range bytes=200-", { headers: { Range: "bytes=200-" } }],
    ["credentials alone", { credentials: "include" }],
    ["forbidden header only", { headers: { Cookie: "a=b", DNT: "1" } }],
  ])("no preflight: %s", (_, over) => {
    const plan = planRequest(req(over));
    expect(plan.ok).toBe(true);
    expect(plan.preflight).toBeNull();
    expect(plan.actual.headers.origin).toBe(ORIGIN);
  });

  it.each<[string, Partial<BrowserRequest>, string, string | undefined]>([
    ["PUT", { method: "put" }, "PUT", undefined],
    ["DELETE", { method: "delete" }, "DELETE", undefined],
    ["patch as written", { method: "patch" }, "patch", undefined],
    [
      "safelisted headers stay out of ACRH",
      {
        method: "PUT",
        headers: { Accept: "*", "Accept-Language": "bzh", "Content-Language": "bzh" },
      },
      "PUT",
      undefined,
    ],
    ["custom NEW", { method: "NEW" }, "NEW", undefined],
    ['accept: "', { headers: { Accept: '"' } }, "GET", "accept"],
    ["text/html", { headers: { "Content-Type": "text/html" } }, "GET", "content-type"],
    ["range bytes 0-", { headers: { Range: "bytes 0-" } }, "GET", "range"],
    ["range bytes=-200", { headers: { Range: "bytes=-200" } }, "GET", "range"],
    ["range bytes=200-100", { headers: { Range: "bytes=200-100" } }, "GET", "range"],
    ["authorization", { headers: { Authorization: "Bearer x" } }, "GET", "authorization"],
    [
      "sorted lower-case names",
      {
        method: "POST",
        headers: [
          ["X-Zeta", "1"],
          ["X-Alpha", "2"],
          ["Content-Type", "application/json"],
        ],
      },
      "POST",
      "content-type,x-alpha,x-zeta",
    ],
  ])("preflight: %s", (_, over, acrm, acrh) => {
    const plan = planRequest(req(over));
    expect(plan.preflight).not.toBeNull();
    const pf = plan.preflight!;
    expect(pf.method).toBe("OPTIONS");
    expect(pf.credentials).toBe(false);
    expect(pf.headers).toEqual({
      accept: "*/*",
      "access-control-request-method": acrm,
      ...(acrh === undefined ? {} : { "access-control-request-headers": acrh }),
      origin: ORIGIN,
    });
    expect(pf.reasons.length).toBeGreaterThan(0);
    expect(plan.actual.method).toBe(acrm);
  });

  it("forcePreflight sends a preflight for a simple GET", () => {
    const plan = planRequest(req({ forcePreflight: true }));
    expect(plan.preflight?.headers["access-control-request-method"]).toBe("GET");
    expect(plan.preflight?.reasons[0]).toMatch(/forces a preflight/);
  });

  it("same-origin requests need no preflight and no Origin on GET", () => {
    const plan = planRequest(req({ origin: "https://api.example.net", method: "PUT" }));
    expect(plan.crossOrigin).toBe(false);
    expect(plan.preflight).toBeNull();
    expect(plan.actual.headers.origin).toBe("https://api.example.net");
    expect(plan.actual.credentials).toBe(true);
    const get = planRequest(req({ origin: "https://api.example.net" }));
    expect(get.actual.headers.origin).toBeUndefined();
  });

  it("Origin: null is always cross-origin", () => {
    const plan = planRequest(req({ origin: "null", method: "PUT" }));
    expect(plan.crossOrigin).toBe(true);
    expect(plan.preflight?.headers.origin).toBe("null");
  });

  it("actual request: default Accept, credentials, fragment dropped, forbidden ignored", () => {
    const plan = planRequest(
      req({
        url: `${URL_}#frag`,
        credentials: "include",
        headers: { Cookie: "a=b", "X-Trace": "1" },
      }),
    );
    expect(plan.actual).toEqual({
      method: "GET",
      url: URL_,
      headers: { "x-trace": "1", accept: "*/*", origin: ORIGIN },
      credentials: true,
    });
    expect(plan.preflight?.url).toBe(URL_);
    expect(plan.ignoredForbiddenHeaders).toEqual(["cookie"]);
    expect(warningCodes(plan)).toEqual(["forbidden-header-ignored"]);
  });

  it("credentials same-origin are not sent cross-origin", () => {
    expect(planRequest(req()).actual.credentials).toBe(false);
  });

  it.each<[string, Partial<BrowserRequest>, string]>([
    ["bad URL", { url: "not a url" }, "request-invalid-url"],
    ["URL credentials", { url: "https://u:p@api.example.net/" }, "request-url-credentials"],
    ["ftp", { url: "ftp://api.example.net/" }, "request-scheme"],
    ["origin with slash", { origin: `${ORIGIN}/` }, "request-invalid-origin"],
    ["origin upper case", { origin: "https://App.example.com" }, "request-invalid-origin"],
    ["origin default port", { origin: "https://app.example.com:443" }, "request-invalid-origin"],
    ["method with space", { method: "GE T" }, "request-invalid-method"],
    ["TRACE", { method: "trace" }, "request-forbidden-method"],
    ["header with CR", { headers: { "X-A": "a\rb" } }, "request-invalid-header"],
  ])("request errors: %s", (_, over, code) => {
    const plan = planRequest(req(over));
    expect(plan.ok).toBe(false);
    expect(codes(plan)).toContain(code);
  });
});

describe("checkCors", () => {
  const cases: Array<[string, Partial<BrowserRequest>, Array<[string, string]>, string[]]> = [
    ["ACAO missing", {}, [], ["acao-missing"]],
    ["ACAO *", {}, [["Access-Control-Allow-Origin", "*"]], []],
    ["ACAO exact", {}, [["Access-Control-Allow-Origin", ORIGIN]], []],
    ["ACAO surrounding whitespace", {}, [["Access-Control-Allow-Origin", `  ${ORIGIN}\t`]], []],
    [
      "ACAO upper case",
      {},
      [["Access-Control-Allow-Origin", "https://APP.example.com"]],
      ["acao-mismatch"],
    ],
    ["ACAO trailing slash", {}, [["Access-Control-Allow-Origin", `${ORIGIN}/`]], ["acao-mismatch"]],
    ["ACAO :443", {}, [["Access-Control-Allow-Origin", `${ORIGIN}:443`]], ["acao-mismatch"]],
    ["ACAO ?", {}, [["Access-Control-Allow-Origin", `${ORIGIN}?`]], ["acao-mismatch"]],
    ["ACAO #", {}, [["Access-Control-Allow-Origin", `${ORIGIN}#`]], ["acao-mismatch"]],
    [
      "ACAO http scheme",
      {},
      [["Access-Control-Allow-Origin", "http://app.example.com"]],
      ["acao-mismatch"],
    ],
    ["ACAO other port", {}, [["Access-Control-Allow-Origin", `${ORIGIN}:8443`]], ["acao-mismatch"]],
    [
      "ACAO subdomain",
      {},
      [["Access-Control-Allow-Origin", "https://www.app.example.com"]],
      ["acao-mismatch"],
    ],
    ["ACAO empty", {}, [["Access-Control-Allow-Origin", ""]], ["acao-mismatch"]],
    ["ACAO null", {}, [["Access-Control-Allow-Origin", "null"]], ["acao-mismatch"]],
    [
      "ACAO list",
      {},
      [["Access-Control-Allow-Origin", `${ORIGIN}, https://b.example`]],
      ["acao-multiple"],
    ],
    ["ACAO list with *", {}, [["Access-Control-Allow-Origin", "*, *"]], ["acao-multiple"]],
    [
      "ACAO two lines (right origin twice)",
      {},
      [
        ["Access-Control-Allow-Origin", ORIGIN],
        ["Access-Control-Allow-Origin", ORIGIN],
      ],
      ["acao-multiple"],
    ],
    [
      "ACAO two lines (* and origin)",
      {},
      [
        ["Access-Control-Allow-Origin", "*"],
        ["Access-Control-Allow-Origin", ORIGIN],
      ],
      ["acao-multiple"],
    ],
    ["null origin, ACAO null", { origin: "null" }, [["Access-Control-Allow-Origin", "null"]], []],
    ["null origin, ACAO *", { origin: "null" }, [["Access-Control-Allow-Origin", "*"]], []],
    [
      "credentials: ACAO * fails",
      { credentials: "include" },
      [
        ["Access-Control-Allow-Origin", "*"],
        ["Access-Control-Allow-Credentials", "true"],
      ],
      ["acao-wildcard-credentials"],
    ],
    [
      "credentials: exact + true",
      { credentials: "include" },
      [
        ["Access-Control-Allow-Origin", ORIGIN],
        ["Access-Control-Allow-Credentials", "true"],
      ],
      [],
    ],
    [
      "credentials: ACAC missing",
      { credentials: "include" },
      [["Access-Control-Allow-Origin", ORIGIN]],
      ["acac-missing"],
    ],
    [
      "credentials: ACAC True",
      { credentials: "include" },
      [
        ["Access-Control-Allow-Origin", ORIGIN],
        ["Access-Control-Allow-Credentials", "True"],
      ],
      ["acac-invalid"],
    ],
    [
      "credentials: ACAC twice",
      { credentials: "include" },
      [
        ["Access-Control-Allow-Origin", ORIGIN],
        ["Access-Control-Allow-Credentials", "true"],
        ["Access-Control-Allow-Credentials", "true"],
      ],
      ["acac-invalid"],
    ],
    [
      "same-origin credentials mode behaves like omit",
      { credentials: "same-origin" },
      [["Access-Control-Allow-Origin", "*"]],
      [],
    ],
  ];
  it.each(cases)("%s", (_, over, headers, expected) => {
    const r = checkCors(req(over), { status: 200, headers });
    expect(codes(r)).toEqual(expected);
    expect(r.ok).toBe(expected.length === 0);
    for (const p of r.problems) {
      expect(p.header).toBeDefined();
      expect(p.fix).toMatch(/^send /);
    }
  });

  it("names the exact header and value to send", () => {
    const [p] = checkCors(req(), { status: 200, headers: [] }).problems;
    expect(p).toMatchObject({
      code: "acao-missing",
      header: "Access-Control-Allow-Origin",
    });
    expect(p?.fix).toContain("send Access-Control-Allow-Origin: https://app.example.com");
  });

  it("reads a Headers object with get semantics", () => {
    const h = new Headers();
    h.append("Access-Control-Allow-Origin", ORIGIN);
    h.append("Access-Control-Allow-Origin", ORIGIN);
    expect(codes(checkCors(req(), { status: 200, headers: h }))).toEqual(["acao-multiple"]);
    expect(
      checkCors(req(), {
        status: 200,
        headers: new Headers({ "access-control-allow-origin": ORIGIN }),
      }).ok,
    ).toBe(true);
  });

  it.each<[string, Partial<BrowserRequest>, Array<[string, string]>, string[]]>([
    [
      "specific origin without Vary",
      {},
      [["Access-Control-Allow-Origin", ORIGIN]],
      ["vary-origin-missing"],
    ],
    [
      "Vary: Accept-Encoding, origin",
      {},
      [
        ["Access-Control-Allow-Origin", ORIGIN],
        ["Vary", "Accept-Encoding, origin"],
      ],
      [],
    ],
    [
      "Vary: *",
      {},
      [
        ["Access-Control-Allow-Origin", ORIGIN],
        ["Vary", "*"],
      ],
      [],
    ],
    ["* needs no Vary", {}, [["Access-Control-Allow-Origin", "*"]], []],
    [
      "* with ACAC true",
      {},
      [
        ["Access-Control-Allow-Origin", "*"],
        ["Access-Control-Allow-Credentials", "true"],
      ],
      ["acao-wildcard-with-credentials"],
    ],
    [
      "ACAC True without credentials",
      {},
      [
        ["Access-Control-Allow-Origin", "*"],
        ["Access-Control-Allow-Credentials", "True"],
      ],
      ["acac-not-true"],
    ],
    [
      "ACAO null trusted",
      { origin: "null" },
      [
        ["Access-Control-Allow-Origin", "null"],
        ["Vary", "Origin"],
      ],
      ["acao-null"],
    ],
  ])("warning: %s", (_, over, headers, expected) => {
    const r = checkCors(req(over), { status: 200, headers });
    expect(r.ok).toBe(true);
    expect(warningCodes(r)).toEqual(expected);
  });
});

describe("checkPreflight", () => {
  it.each([200, 201, 202, 203, 204, 205, 206])("status %i passes", (status) => {
    const r = checkPreflight(
      req({ method: "PUT" }),
      okPreflight([["Access-Control-Allow-Methods", "PUT"]], status),
    );
    expect(codes(r)).toEqual([]);
  });

  it.each([300, 301, 302, 303, 304, 305, 306, 307, 308])(
    "status %i is a redirect: fails",
    (status) => {
      const r = checkPreflight(
        req({ method: "PUT" }),
        okPreflight([["Access-Control-Allow-Methods", "PUT"]], status),
      );
      expect(codes(r)).toEqual(["preflight-redirect"]);
    },
  );

  it.each([400, 401, 402, 403, 404, 405, 500, 501, 502, 503, 504, 505])(
    "status %i fails",
    (status) => {
      const r = checkPreflight(
        req({ method: "PUT" }),
        okPreflight([["Access-Control-Allow-Methods", "PUT"]], status),
      );
      expect(codes(r)).toEqual(["preflight-status"]);
    },
  );

  type Case = [string, Partial<BrowserRequest>, Array<[string, string]>, string[]];
  const cases: Case[] = [
    // methods (cors-preflight-star.any.js, cors-preflight.any.js)
    ["PUT allowed", { method: "PUT" }, [["Access-Control-Allow-Methods", "PUT"]], []],
    [
      "ACAM put fails for PUT",
      { method: "put" },
      [["Access-Control-Allow-Methods", "put"]],
      ["method-case-mismatch"],
    ],
    [
      "ACAM delete fails for DELETE",
      { method: "DELETE" },
      [["Access-Control-Allow-Methods", "delete"]],
      ["method-case-mismatch"],
    ],
    [
      "PATCH allowed by PATCH",
      { method: "PATCH" },
      [["Access-Control-Allow-Methods", "PATCH"]],
      [],
    ],
    [
      "patch refused by PATCH",
      { method: "patch" },
      [["Access-Control-Allow-Methods", "PATCH"]],
      ["method-case-mismatch"],
    ],
    [
      "PATCH refused by patch",
      { method: "PATCH" },
      [["Access-Control-Allow-Methods", "patch"]],
      ["method-case-mismatch"],
    ],
    [
      "patch allowed by patch",
      { method: "patch" },
      [["Access-Control-Allow-Methods", "patch"]],
      [],
    ],
    ["NEW allowed", { method: "NEW" }, [["Access-Control-Allow-Methods", "GET, NEW"]], []],
    [
      "NEW refused",
      { method: "NEW" },
      [["Access-Control-Allow-Methods", "GET, POST"]],
      ["method-not-allowed"],
    ],
    ["ACAM missing", { method: "DELETE" }, [], ["method-not-allowed"]],
    [
      "ACAM empty elements ok",
      { method: "PUT" },
      [["Access-Control-Allow-Methods", ",, PUT ,"]],
      [],
    ],
    [
      "ACAM over two lines",
      { method: "PUT" },
      [
        ["Access-Control-Allow-Methods", "GET"],
        ["Access-Control-Allow-Methods", "PUT"],
      ],
      [],
    ],
    ["* allows any method", { method: "DELETE" }, [["Access-Control-Allow-Methods", "*"]], []],
    ["* allows custom method", { method: "SUPER" }, [["Access-Control-Allow-Methods", "*"]], []],
    [
      "* literal with credentials",
      { method: "DELETE", credentials: "include" },
      [
        ["Access-Control-Allow-Methods", "*"],
        ["Access-Control-Allow-Credentials", "true"],
      ],
      ["acam-wildcard-credentials"],
    ],
    [
      "safelisted method passes regardless of ACAM case",
      { method: "POST", headers: { "X-A": "1" } },
      [
        ["Access-Control-Allow-Methods", "post"],
        ["Access-Control-Allow-Headers", "x-a"],
      ],
      [],
    ],
    [
      "ACAM Bad value",
      { method: "PUT" },
      [["Access-Control-Allow-Methods", "Bad value"]],
      ["acam-invalid"],
    ],
    [
      "ACAM with quotes",
      { method: "PUT" },
      [["Access-Control-Allow-Methods", '"PUT"']],
      ["acam-invalid"],
    ],
    // headers
    [
      "header allowed case-insensitively",
      { headers: { "X-Test": "1" } },
      [["Access-Control-Allow-Headers", "X-TEST"]],
      [],
    ],
    ["header missing", { headers: { "X-Test": "1" } }, [], ["header-not-allowed"]],
    [
      "one of two headers missing",
      { headers: { "X-A": "1", "X-B": "2" } },
      [["Access-Control-Allow-Headers", "x-a"]],
      ["header-not-allowed"],
    ],
    [
      "* covers custom headers",
      { headers: { "X-A": "1", "X-B": "2" } },
      [["Access-Control-Allow-Headers", "*"]],
      [],
    ],
    [
      "* does not cover Authorization",
      { headers: { Authorization: "Bearer x" } },
      [["Access-Control-Allow-Headers", "*"]],
      ["acah-wildcard-authorization"],
    ],
    [
      "*, Authorization works",
      { headers: { Authorization: "Bearer x", "X-A": "1" } },
      [["Access-Control-Allow-Headers", "*, Authorization"]],
      [],
    ],
    [
      "Authorization listed",
      { headers: { Authorization: "Bearer x" } },
      [["Access-Control-Allow-Headers", "authorization"]],
      [],
    ],
    [
      "* literal with credentials",
      { headers: { "X-A": "1" }, credentials: "include" },
      [
        ["Access-Control-Allow-Headers", "*"],
        ["Access-Control-Allow-Credentials", "true"],
      ],
      ["acah-wildcard-credentials"],
    ],
    [
      "header literally named * with credentials",
      { headers: { "*": "1" }, credentials: "include" },
      [
        ["Access-Control-Allow-Headers", "*"],
        ["Access-Control-Allow-Credentials", "true"],
      ],
      [],
    ],
    [
      "ACAH Bad value",
      { headers: { "X-A": "1" } },
      [["Access-Control-Allow-Headers", "Bad value"]],
      ["acah-invalid"],
    ],
    [
      "ACAH Bad value even when unneeded",
      { method: "PUT" },
      [
        ["Access-Control-Allow-Methods", "PUT"],
        ["Access-Control-Allow-Headers", "a b"],
      ],
      ["acah-invalid"],
    ],
    [
      "safelisted headers need no grant",
      { headers: { Accept: "x", "Content-Language": "en" }, forcePreflight: true },
      [],
      [],
    ],
    [
      "unsafe value of a safelisted name needs a grant",
      { method: "POST", headers: { "Content-Type": "application/json" } },
      [],
      ["header-not-allowed"],
    ],
    // the CORS check inside the preflight uses the actual request's credentials
    [
      "credentialed preflight needs ACAC",
      { method: "PUT", credentials: "include" },
      [["Access-Control-Allow-Methods", "PUT"]],
      ["acac-missing"],
    ],
    // forced preflight: an absent ACAM grants the request's own method
    ["forced preflight, no ACAM", { method: "PUT", forcePreflight: true }, [], []],
  ];
  it.each(cases)("%s", (_, over, extra, expected) => {
    const r = checkPreflight(req(over), okPreflight(extra));
    expect(codes(r)).toEqual(expected);
    expect(r.ok).toBe(expected.length === 0);
  });

  it("credentialed preflight with ACAO * fails", () => {
    const r = checkPreflight(req({ method: "PUT", credentials: "include" }), {
      status: 204,
      headers: [
        ["Access-Control-Allow-Origin", "*"],
        ["Access-Control-Allow-Credentials", "true"],
        ["Access-Control-Allow-Methods", "PUT"],
      ],
    });
    expect(codes(r)).toEqual(["acao-wildcard-credentials"]);
  });

  it("fixes list the complete header value to send", () => {
    const r = checkPreflight(
      req({ method: "PUT", headers: { "X-A": "1", "X-B": "2" } }),
      okPreflight([
        ["Access-Control-Allow-Methods", "GET, POST"],
        ["Access-Control-Allow-Headers", "x-a"],
      ]),
    );
    expect(r.problems).toEqual([
      expect.objectContaining({
        code: "method-not-allowed",
        header: "Access-Control-Allow-Methods",
        fix: "send Access-Control-Allow-Methods: GET, POST, PUT",
      }),
      expect.objectContaining({
        code: "header-not-allowed",
        header: "Access-Control-Allow-Headers",
        fix: "send Access-Control-Allow-Headers: x-a, x-b",
      }),
    ]);
    expect(r.allowedMethods).toEqual(["GET", "POST"]);
    expect(r.allowedHeaders).toEqual(["x-a"]);
  });

  it("reports max-age per engine and warns", () => {
    const r = checkPreflight(
      req({ method: "PUT" }),
      okPreflight([["Access-Control-Allow-Methods", "PUT"]]),
    );
    expect(r.maxAge.seconds).toEqual({ chromium: 5, firefox: 5, webkit: 5 });
    expect(warningCodes(r)).toEqual(["acma-missing"]);
  });
});

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

describe("exposedHeaderNames", () => {
  const base: Array<[string, string]> = [
    ["Access-Control-Allow-Origin", ORIGIN],
    ["Cache-Control", "no-store"],
    ["Content-Language", "en"],
    ["Content-Length", "3"],
    ["Content-Type", "text/plain"],
    ["Expires", "0"],
    ["Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"],
    ["Pragma", "no-cache"],
    ["Age", "1"],
    ["Server", "x"],
    ["Warning", "199 - x"],
    ["X-Custom", "1"],
    ["Set-Cookie", "a=b"],
    ["Set-Cookie2", "c=d"],
  ];
  const safelisted = [
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
  ];
  const res = (extra: Array<[string, string]> = []): ResponseLike => ({
    status: 200,
    headers: [...base, ...extra],
  });

  it("exposes only safelisted response headers by default", () => {
    const r = exposedHeaderNames(req(), res());
    expect(r.exposed).toEqual(safelisted);
    expect(r.hidden).toEqual([
      "access-control-allow-origin",
      "age",
      "server",
      "set-cookie",
      "set-cookie2",
      "warning",
      "x-custom",
    ]);
  });

  it("ACEH lists names case-insensitively; Set-Cookie never", () => {
    const r = exposedHeaderNames(
      req(),
      res([["Access-Control-Expose-Headers", "AGE, x-custom, Set-Cookie"]]),
    );
    expect(r.exposed).toEqual(["age", ...safelisted, "x-custom"].sort());
    expect(r.exposed).not.toContain("set-cookie");
    expect(warningCodes(r)).toEqual(["aceh-forbidden"]);
  });

  it("ACEH * exposes all non-forbidden headers without credentials", () => {
    const r = exposedHeaderNames(req(), res([["Access-Control-Expose-Headers", "*"]]));
    expect(r.wildcard).toBe(true);
    expect(r.hidden).toEqual(["set-cookie", "set-cookie2"]);
  });

  it("ACEH * with credentials exposes only a header literally named *", () => {
    const r = exposedHeaderNames(
      req({ credentials: "include" }),
      res([
        ["Access-Control-Expose-Headers", "*"],
        ["*", "star"],
      ]),
    );
    expect(r.wildcard).toBe(false);
    expect(r.exposed).toEqual(["*", ...safelisted]);
    expect(warningCodes(r)).toEqual(["aceh-wildcard-credentials"]);
  });

  it("an unparsable ACEH exposes nothing extra", () => {
    const r = exposedHeaderNames(
      req(),
      res([["Access-Control-Expose-Headers", "x-custom, not valid"]]),
    );
    expect(r.exposed).toEqual(safelisted);
    expect(warningCodes(r)).toEqual(["aceh-invalid"]);
  });

  it("same-origin responses expose everything but Set-Cookie", () => {
    const r = exposedHeaderNames(req({ origin: "https://api.example.net" }), res());
    expect(r.hidden).toEqual(["set-cookie", "set-cookie2"]);
  });

  it("readHeaders turns unreadable headers into problems with the fix", () => {
    const r = exposedHeaderNames(req(), res([["Access-Control-Expose-Headers", "age"]]), [
      "X-Custom",
      "X-Request-Id",
      "Set-Cookie",
      "Content-Type",
      "Age",
    ]);
    expect(codes(r)).toEqual(["header-not-exposed", "header-not-exposed", "header-forbidden"]);
    expect(r.problems[0]?.fix).toBe(
      "send Access-Control-Expose-Headers: age, x-custom, x-request-id",
    );
  });
});

describe("simulate", () => {
  type Handler = (r: {
    method: string;
    url: string;
    headers: Record<string, string>;
  }) => ResponseLike;
  const server = (handler: Handler) => {
    const seen: Array<{ method: string; url: string; headers: Record<string, string> }> = [];
    const respond = async (r: { method: string; url: string; headers: Record<string, string> }) => {
      seen.push(r);
      return handler(r);
    };
    return { seen, respond };
  };

  it("runs preflight → actual → exposure", async () => {
    const { seen, respond } = server(
      (r): ResponseLike =>
        r.method === "OPTIONS"
          ? {
              status: 204,
              headers: {
                "access-control-allow-origin": ORIGIN,
                "access-control-allow-methods": "PUT",
                "access-control-allow-headers": "content-type",
                "access-control-max-age": "7200",
              },
            }
          : {
              status: 200,
              headers: {
                "access-control-allow-origin": ORIGIN,
                "access-control-expose-headers": "x-request-id",
                "x-request-id": "42",
                vary: "Origin",
              },
            },
    );
    const report = await simulate(
      req({ method: "PUT", headers: { "Content-Type": "application/json" } }),
      respond,
      { readHeaders: ["X-Request-Id"] },
    );
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.status).toBe(200);
    expect(seen.map((s) => s.method)).toEqual(["OPTIONS", "PUT"]);
    expect(seen[0]?.headers["access-control-request-headers"]).toBe("content-type");
    expect(report.preflight?.maxAge.seconds.chromium).toBe(7200);
    expect(report.exposure?.exposed).toContain("x-request-id");
  });

  it("stops after a failing preflight", async () => {
    const { seen, respond } = server(() => ({ status: 404, headers: {} }));
    const report = await simulate(req({ method: "DELETE" }), respond);
    expect(report.ok).toBe(false);
    expect(seen).toHaveLength(1);
    expect(codes(report)).toEqual(["acao-missing", "preflight-status", "method-not-allowed"]);
    expect(report.problems.every((p) => p.stage === "preflight")).toBe(true);
  });

  it("never follows a redirected preflight", async () => {
    const { seen, respond } = server(() => ({
      status: 301,
      headers: { location: "https://api.example.net/items/", "access-control-allow-origin": "*" },
    }));
    const report = await simulate(req({ method: "PUT" }), respond);
    expect(seen).toHaveLength(1);
    expect(codes(report)).toEqual(["preflight-redirect", "method-not-allowed"]);
  });

  it("checks CORS on redirects and sends Origin: null after a cross-origin hop", async () => {
    const { seen, respond } = server((r): ResponseLike => {
      if (r.url.startsWith("https://api.example.net/")) {
        return {
          status: 302,
          headers: { location: "https://cdn.example.org/x", "access-control-allow-origin": "*" },
        };
      }
      return { status: 200, headers: { "access-control-allow-origin": r.headers.origin ?? "" } };
    });
    const report = await simulate(req(), respond);
    expect(report.ok).toBe(true);
    expect(report.redirects).toBe(1);
    expect(seen[1]?.headers.origin).toBe("null");
    expect(report.finalUrl).toBe("https://cdn.example.org/x");
    expect(warningCodes(report)).toEqual(["acao-null", "vary-origin-missing"]);
  });

  it("fails a redirect response without CORS headers", async () => {
    const { respond } = server(() => ({ status: 307, headers: { location: "/elsewhere" } }));
    const report = await simulate(req(), respond);
    expect(codes(report)).toEqual(["acao-missing"]);
    expect(report.problems[0]?.stage).toBe("redirect");
  });

  it("turns a 303 POST into GET and drops body headers", async () => {
    const { seen, respond } = server(
      (r): ResponseLike =>
        r.method === "POST"
          ? { status: 303, headers: { location: "/done", "access-control-allow-origin": "*" } }
          : { status: 200, headers: { "access-control-allow-origin": "*" } },
    );
    const report = await simulate(
      req({ method: "POST", headers: { "Content-Type": "text/plain" } }),
      respond,
    );
    expect(report.ok).toBe(true);
    expect(seen[1]?.method).toBe("GET");
    expect(seen[1]?.headers["content-type"]).toBeUndefined();
  });

  it("redirect: error and manual", async () => {
    const { respond } = server(() => ({
      status: 302,
      headers: { location: "/x", "access-control-allow-origin": "*" },
    }));
    expect(codes(await simulate(req({ redirect: "error" }), respond))).toEqual([
      "redirect-mode-error",
    ]);
    const manual = await simulate(req({ redirect: "manual" }), respond);
    expect(manual.ok).toBe(true);
    expect(manual.status).toBe(0);
  });

  it("stops at the 21st redirect", async () => {
    const { seen, respond } = server(() => ({
      status: 302,
      headers: { location: "/loop", "access-control-allow-origin": "*" },
    }));
    const report = await simulate(req(), respond);
    expect(codes(report)).toEqual(["redirect-limit"]);
    expect(seen).toHaveLength(21);
  });

  it("reports a transport failure as network-error", async () => {
    const report = await simulate(req(), async () => {
      throw new Error("ECONNREFUSED");
    });
    expect(codes(report)).toEqual(["network-error"]);
  });

  it("does not send anything for an invalid request", async () => {
    const { seen, respond } = server(() => ({ status: 200, headers: {} }));
    const report = await simulate(req({ method: "TRACE" }), respond);
    expect(seen).toHaveLength(0);
    expect(codes(report)).toEqual(["request-forbidden-method"]);
  });

  it("same-origin fetches skip CORS entirely", async () => {
    const { seen, respond } = server(() => ({ status: 200, headers: { "x-a": "1" } }));
    const report = await simulate(
      req({ origin: "https://api.example.net", method: "PUT" }),
      respond,
    );
    expect(report.ok).toBe(true);
    expect(seen.map((s) => s.method)).toEqual(["PUT"]);
    expect(report.exposure?.exposed).toEqual(["x-a"]);
  });
});

describe("docs/browser-model.md", () => {
  const doc = readFileSync(new URL("../../../docs/browser-model.md", import.meta.url), "utf8");
  it.each([...new Set([...PROBLEM_CODES, ...WARNING_CODES])])("documents %s", (code) => {
    expect(doc).toContain(`\`${code}\``);
  });
});
