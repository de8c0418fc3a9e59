import { describe, expect, it } from "vitest";
import { type BrowserRequest, checkPreflight } from "../src/index.ts";
import { codes, okPreflight, req, warningCodes } from "./helpers.ts";

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
