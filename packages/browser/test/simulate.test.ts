import { describe, expect, it } from "vitest";
import { type ResponseLike, simulate } from "../src/index.ts";
import { codes, ORIGIN, req, warningCodes } from "./helpers.ts";

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
