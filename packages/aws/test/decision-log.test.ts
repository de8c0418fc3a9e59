/**
 * The decision log in the AWS adapters: `withCors` (API Gateway REST, HTTP API, function URL)
 * and `createEdgeHandler` (Lambda@Edge), with AWS-shaped JSON events; lines are what the
 * function writes to stdout (console.log), which Lambda ships to CloudWatch Logs.
 */
import { CorsConfigError, type CorsPolicy } from "@edge-cors/core";
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Vector } from "../../../test/vectors/index.ts";
import { type CorsResultFor, type DecisionLogOptions, withCors } from "../src/lambda.ts";
import { createEdgeHandler } from "../src/lambda-edge.ts";
import { runThroughEdge } from "./cloudfront-events.ts";
import {
  context,
  functionUrlEvent,
  httpApiEvent,
  restEvent,
  restResult,
  restSeenByClient,
  v2Result,
  v2SeenByClient,
} from "./lambda-events.ts";

const APP = "https://app.example.com";
const EVIL = "https://evil.example";
const POLICY: CorsPolicy = {
  mode: "report",
  allowOrigins: [APP],
  allowMethods: ["PUT"],
  routes: [{ path: "/admin/*", allowOrigins: ["https://admin.example.com"] }],
};
const TIME = /,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"\}$/;

let stdout: string[] = [];
beforeEach(() => {
  stdout = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => void stdout.push(line));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const lines = () => stdout.map((l) => l.replace(TIME, ""));

/** A request in the shape the shared event builders take. */
function request(method: string, path: string, headers: Record<string, string>): Vector {
  return {
    name: `${method} ${path}`,
    policy: "report",
    kind: "actual",
    request: { method, path, headers },
    expect: { reachesApp: true, status: 200 },
  };
}
const refusedPreflight = request("OPTIONS", "/v1/items", {
  origin: EVIL,
  "access-control-request-method": "PUT",
});
const refusedOnRoute = request("GET", "/admin/users?token=query-secret", {
  origin: APP,
  authorization: "Bearer auth-secret",
});
const allowed = request("GET", "/v1/items", { origin: APP });

const PREFLIGHT_LINE = `{"event":"cors.decision","mode":"report","allowed":false,"kind":"preflight","origin":"${EVIL}","method":"PUT","path":"/v1/items","route":null,"refusal":"origin-not-allowed","reason":"Origin ${EVIL} is not allowed","fix":"add \\"${EVIL}\\" (or a pattern covering it) to allowOrigins"`;
const ROUTE_LINE = `{"event":"cors.decision","mode":"report","allowed":false,"kind":"actual","origin":"${APP}","method":"GET","path":"/admin/users","route":"/admin/*","refusal":"origin-not-allowed","reason":"Origin ${APP} is not allowed","fix":"add \\"${APP}\\" (or a pattern covering it) to allowOrigins of route \\"/admin/*\\""`;

/** A runner for one API shape: wrap with `withCors`, send the event, return what the client sees. */
function runner<E extends APIGatewayProxyEvent | APIGatewayProxyEventV2, R>(
  event: (v: Vector) => E,
  result: (v: Vector) => R,
  seenByClient: (r: CorsResultFor<E>) => { status: number; headers: Headers },
) {
  return async (v: Vector, options: DecisionLogOptions = {}) => {
    let calls = 0;
    const handler = withCors<E, R>(
      async () => {
        calls++;
        return result(v);
      },
      POLICY,
      options,
    );
    return { ...seenByClient(await handler(event(v), context)), reached: calls === 1 };
  };
}

const shapes = [
  ["API Gateway REST (1.0)", runner(restEvent, restResult, restSeenByClient)],
  ["HTTP API (2.0)", runner(httpApiEvent, v2Result, v2SeenByClient)],
  ["function URL", runner(functionUrlEvent, v2Result, v2SeenByClient)],
] as const;

describe.each(shapes)("withCors, %s, mode report", (_shape, run) => {
  it("a refused preflight reaches the handler untouched and is logged, exactly", async () => {
    const r = await run(refusedPreflight);
    expect(r.reached).toBe(true);
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
    expect(lines()).toEqual([PREFLIGHT_LINE]);
  });

  it("a refused request on a route is logged without its query or Authorization", async () => {
    const r = await run(refusedOnRoute);
    expect(r.reached).toBe(true);
    expect(lines()).toEqual([ROUTE_LINE]);
    expect(stdout.join("\n")).not.toMatch(/secret/);
  });

  it("allowed requests are not logged, unless CORS_DECISION_LOG=all", async () => {
    await run(allowed);
    expect(stdout).toEqual([]);
    vi.stubEnv("CORS_DECISION_LOG", "all");
    await run(allowed);
    expect(stdout.map((l) => JSON.parse(l))).toMatchObject([{ allowed: true, origin: APP }]);
  });

  it("the options win over the environment", async () => {
    vi.stubEnv("CORS_DECISION_LOG", "all");
    await run(refusedPreflight, { decisionLog: "off" });
    expect(stdout).toEqual([]);
  });
});

describe("withCors settings", () => {
  it("a bad CORS_DECISION_LOG_RATE fails at cold start, naming the variable", () => {
    vi.stubEnv("CORS_DECISION_LOG_RATE", "fast");
    expect(() => withCors(async () => ({ statusCode: 200, body: "" }), POLICY)).toThrow(
      CorsConfigError,
    );
    expect(() => withCors(async () => ({ statusCode: 200, body: "" }), POLICY)).toThrow(
      /CORS_DECISION_LOG_RATE: must be a whole number/,
    );
  });

  it("CORS_DECISION_LOG_RATE bounds the lines per second", async () => {
    vi.stubEnv("CORS_DECISION_LOG_RATE", "2");
    const handler = withCors(async () => ({ statusCode: 200, body: "" }), POLICY);
    for (let i = 0; i < 6; i++) await handler(httpApiEvent(refusedPreflight), context);
    expect(stdout).toHaveLength(2);
  });
});

describe("createEdgeHandler (Lambda@Edge), mode report", () => {
  it.each(["viewer", "origin"] as const)(
    "%s triggers: each request is logged once, at the response trigger, exactly",
    async (side) => {
      const handler = createEdgeHandler(POLICY);
      const pre = await runThroughEdge(handler, refusedPreflight, side);
      expect(pre.reachedApp).toBe(true); // report mode: the preflight goes on to the origin
      const get = await runThroughEdge(handler, refusedOnRoute, side);
      expect(get.ruleProblems).toEqual([]);
      await runThroughEdge(handler, allowed, side);
      expect(lines()).toEqual([PREFLIGHT_LINE, ROUTE_LINE]);
    },
  );

  it("enforce mode: off by default; decisionLog refused logs the preflight refused at the request trigger", async () => {
    const enforce: CorsPolicy = { allowOrigins: [APP], allowMethods: ["PUT"] };
    await runThroughEdge(createEdgeHandler(enforce), refusedPreflight, "viewer");
    expect(stdout).toEqual([]);
    const r = await runThroughEdge(
      createEdgeHandler(enforce, { decisionLog: "refused" }),
      refusedPreflight,
      "viewer",
    );
    expect(r.reachedApp).toBe(false);
    expect(r.result.status).toBe("403");
    expect(lines()).toEqual([PREFLIGHT_LINE.replace('"mode":"report"', '"mode":"enforce"')]);
  });
});
