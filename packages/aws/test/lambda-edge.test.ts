import { CorsConfigError, type CorsPolicy } from "@edge-cors/core";
import type { CloudFrontRequest, CloudFrontResultResponse } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { policies, type Vector, vectors } from "../../../test/vectors/index.ts";
import { vectorSuite } from "../../../test/vectors/suite.ts";
import { createEdgeHandler, type EdgeHandler } from "../src/lambda-edge.ts";
import {
  asSeenByBrowser,
  requestEvent,
  responseEvent,
  runThroughEdge,
} from "./cloudfront-events.ts";
import { checkEdgeResult } from "./cloudfront-rules.ts";

const handlers: Record<string, EdgeHandler> = Object.fromEntries(
  Object.entries(policies).map(([name, p]) => [name, createEdgeHandler(p as CorsPolicy)]),
);

for (const side of ["viewer", "origin"] as const) {
  vectorSuite(`CloudFront ${side}-request + ${side}-response triggers`, async (v, policy) => {
    const run = await runThroughEdge(createEdgeHandler(policy), v, side);
    expect(run.ruleProblems).toEqual([]);
    return { response: asSeenByBrowser(run.result), reached: run.reachedApp };
  });
}

describe("the request trigger", () => {
  it("answers preflights and refused WebSocket handshakes, forwards every other request", async () => {
    for (const v of vectors) {
      const result = await handlers[v.policy]!(requestEvent(v, "viewer-request"));
      const answered = v.kind === "preflight" || (v.kind === "websocket" && !v.expect.reachesApp);
      expect("status" in result, v.name).toBe(answered);
    }
  });
});

function preflight(): Vector {
  return vectors.find((v) => v.name === "preflight allowed: PUT with two granted headers")!;
}
function actual(): Vector {
  return vectors.find((v) => v.name === "actual GET allowed")!;
}

describe("CloudFront results", () => {
  it("a generated preflight answer: string status, lower-case keys with display keys, no body", async () => {
    const r = (await handlers.credentialed!(
      requestEvent(preflight(), "origin-request"),
    )) as CloudFrontResultResponse;
    expect(r.status).toBe("204");
    expect(r).not.toHaveProperty("body");
    expect(r.headers?.["access-control-allow-origin"]).toEqual([
      { key: "Access-Control-Allow-Origin", value: "https://app.example.com" },
    ]);
    expect(r.headers?.vary?.[0]?.key).toBe("Vary");
  });

  it("a refused preflight is a generated 403 that still passes the rules", async () => {
    const v = vectors.find((x) => x.name === "preflight refused: origin not listed")!;
    const event = requestEvent(v, "viewer-request");
    const r = await handlers.credentialed!(event);
    expect(checkEdgeResult("viewer-request", event.Records[0]!.cf, r)).toEqual([]);
    expect((r as CloudFrontResultResponse).status).toBe("403");
  });

  it("forwards a non-preflight request as the very same object, unchanged", async () => {
    const event = requestEvent(actual(), "viewer-request");
    const before = structuredClone(event.Records[0]!.cf.request);
    const r = await handlers.credentialed!(event);
    expect(r).toBe(event.Records[0]!.cf.request);
    expect(r).toEqual(before);
  });

  it("decorating leaves every other response header as it was (Set-Cookie lines, Via, X-Amz-Cf-*)", async () => {
    const forwarded = requestEvent(actual(), "viewer-request").Records[0]!.cf.request;
    const event = responseEvent(actual(), "viewer-response", forwarded);
    const before = structuredClone(event.Records[0]!.cf.response.headers);
    const r = (await handlers.credentialed!(event)) as { headers: Record<string, unknown> };
    for (const name of Object.keys(before)) {
      if (name === "vary") continue;
      expect(r.headers[name], name).toEqual(before[name]);
    }
    expect(r.headers["set-cookie"]).toHaveLength(2);
    expect(r.headers["access-control-allow-origin"]).toEqual([
      { key: "Access-Control-Allow-Origin", value: "https://app.example.com" },
    ]);
  });

  it("merges Vary into the origin's Vary lines, keeping the origin's key spelling", async () => {
    const forwarded = requestEvent(actual(), "origin-request").Records[0]!.cf.request;
    const event = responseEvent(actual(), "origin-response", forwarded);
    event.Records[0]!.cf.response.headers.vary = [
      { key: "vary", value: "Accept-Encoding" },
      { key: "vary", value: "Accept-Language" },
    ];
    const r = (await handlers.credentialed!(event)) as { headers: Record<string, unknown> };
    expect(r.headers.vary).toEqual([
      { key: "vary", value: "Accept-Encoding, Accept-Language, Origin" },
    ]);
  });

  it("a response without Origin in cf.request gets Vary: Origin and no grant", async () => {
    const v = vectors.find((x) => x.kind === "not-cors" && x.request.path === "/api/items")!;
    const forwarded = requestEvent(v, "origin-request").Records[0]!.cf.request;
    const r = (await handlers.credentialed!(responseEvent(v, "origin-response", forwarded))) as {
      headers: Record<string, unknown>;
    };
    expect(r.headers.vary).toEqual([{ key: "Vary", value: "Origin" }]);
    expect(r.headers).not.toHaveProperty("access-control-allow-origin");
  });

  it("hostile request headers cost bounded time and never throw", async () => {
    const v = preflight();
    const event = requestEvent(v, "viewer-request");
    const headers = event.Records[0]!.cf.request.headers;
    headers["access-control-request-headers"] = [
      { key: "Access-Control-Request-Headers", value: "a,".repeat(20_000) },
    ];
    headers["x-bad"] = [{ key: "X-Bad", value: "line\r\nbreak" }];
    headers.host = [{ key: "Host", value: "evil.com/@x?y" }];
    const t = performance.now();
    const r = await handlers.credentialed!(event);
    expect(performance.now() - t).toBeLessThan(500);
    expect((r as CloudFrontResultResponse).status).toBe("403");
    expect(
      checkEdgeResult("viewer-request", requestEvent(v, "viewer-request").Records[0]!.cf, r),
    ).toEqual([]);
  });

  it("a CloudFront request with an odd uri is still answered (routes see the uri's path)", async () => {
    const v = vectors.find((x) => x.name === "route /public/*: any origin gets *, no credentials")!;
    const event = requestEvent(v, "viewer-request");
    (event.Records[0]!.cf.request as CloudFrontRequest).uri = "/public/a b%zz";
    const r = (await handlers.credentialed!(event)) as CloudFrontResultResponse;
    expect(r.headers?.["access-control-allow-origin"]?.[0]?.value).toBe("*");
  });

  it("an invalid policy fails when the handler is created, listing every problem", () => {
    const bad = {
      allowOrigins: "*",
      allowCredentials: true,
      maxAge: "forever",
      allowMethods: ["TRACE"],
    };
    let err: unknown;
    try {
      createEdgeHandler(bad as unknown as CorsPolicy);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorsConfigError);
    const paths = (err as CorsConfigError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(["allowCredentials", "allowMethods[0]", "maxAge"]),
    );
  });
});
