import { describe, expect, it } from "vitest";
import { type BrowserRequest, planRequest } from "../src/index.ts";
import { codes, ORIGIN, req, URL_, warningCodes } from "./helpers.ts";

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
