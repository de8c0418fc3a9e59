import { describe, expect, it } from "vitest";
import { type BrowserRequest, checkCors } from "../src/index.ts";
import { codes, ORIGIN, req, warningCodes } from "./helpers.ts";

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
