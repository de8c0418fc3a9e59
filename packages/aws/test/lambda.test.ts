import { CorsConfigError, type CorsPolicy } from "@edge-cors/core";
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import { describe, expect, it } from "vitest";
import { policies, vectors } from "../../../test/vectors/index.ts";
import { vectorSuite } from "../../../test/vectors/suite.ts";
import { withCors } from "../src/lambda.ts";
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

vectorSuite("API Gateway REST (payload 1.0)", async (v, policy) => {
  let calls = 0;
  const handler = withCors(async (_event: APIGatewayProxyEvent) => {
    calls++;
    return restResult(v);
  }, policy);
  const r = await handler(restEvent(v), context);
  if (calls === 1) {
    expect(r.body).toBe("app");
    expect(r.multiValueHeaders?.["Set-Cookie"]).toEqual(["a=1; Path=/", "b=2; Secure"]);
  } else {
    expect(r.body).toBe("");
  }
  return { response: restSeenByClient(r), reached: calls === 1 };
});

const v2Shapes = [
  ["HTTP API (payload 2.0)", httpApiEvent],
  ["function URL", functionUrlEvent],
] as const;

for (const [shape, makeEvent] of v2Shapes) {
  vectorSuite(shape, async (v, policy) => {
    let calls = 0;
    const handler = withCors(async (_event: APIGatewayProxyEventV2) => {
      calls++;
      return v2Result(v);
    }, policy);
    const r = await handler(makeEvent(v), context);
    if (calls === 1) {
      expect(r.cookies).toEqual(["a=1; Path=/", "b=2; Secure"]);
      expect(r.body).toBe("app");
    } else {
      expect(r).not.toHaveProperty("body");
      expect(r).not.toHaveProperty("cookies");
    }
    return { response: v2SeenByClient(r), reached: calls === 1 };
  });
}

const allowed = vectors.find((v) => v.name === "actual GET allowed")!;
const evil = vectors.find(
  (v) => v.name === "actual GET from a disallowed origin: no grants, Vary: Origin",
)!;
const credentialed = policies.credentialed as CorsPolicy;

describe("withCors keeps what the handler returned", () => {
  it("payload 1.0: status, body, isBase64Encoded and other multiValueHeaders are kept", async () => {
    const result: APIGatewayProxyResult = {
      statusCode: 201,
      headers: { "Content-Type": "image/png" },
      multiValueHeaders: { "Set-Cookie": ["a=1", "b=2"], "X-Multi": ["1", "2"] },
      body: "iVBORw0KGgo=",
      isBase64Encoded: true,
    };
    const r = await withCors(async (_e: APIGatewayProxyEvent) => result, credentialed)(
      restEvent(allowed),
      context,
    );
    expect(r.statusCode).toBe(201);
    expect(r.body).toBe("iVBORw0KGgo=");
    expect(r.isBase64Encoded).toBe(true);
    expect(r.multiValueHeaders).toEqual({ "Set-Cookie": ["a=1", "b=2"], "X-Multi": ["1", "2"] });
    expect(r.headers?.["Content-Type"]).toBe("image/png");
    expect(r.headers?.["access-control-allow-origin"]).toBe("https://app.example.com");
  });

  it("payload 1.0: a Vary in both maps, in two spellings, ends up once, merged", async () => {
    const result: APIGatewayProxyResult = {
      statusCode: 200,
      headers: { vary: "Accept-Language" },
      multiValueHeaders: { Vary: ["Accept-Encoding"] },
      body: "",
    };
    const r = await withCors(async (_e: APIGatewayProxyEvent) => result, credentialed)(
      restEvent(allowed),
      context,
    );
    expect(r.multiValueHeaders).toEqual({});
    expect(r.headers).toEqual(
      expect.objectContaining({ vary: "Accept-Encoding, Accept-Language, Origin" }),
    );
    expect(restSeenByClient(r).headers.get("vary")).toBe(
      "Accept-Encoding, Accept-Language, Origin",
    );
  });

  it("never mutates the handler's result: a shared result object serves two origins correctly", async () => {
    const shared: APIGatewayProxyStructuredResultV2 = {
      statusCode: 200,
      headers: { "x-a": "1" },
      body: "x",
    };
    const snapshot = structuredClone(shared);
    const handler = withCors(async (_e: APIGatewayProxyEventV2) => shared, credentialed);
    const first = await handler(httpApiEvent(allowed), context);
    const second = await handler(httpApiEvent(evil), context);
    expect(shared).toEqual(snapshot);
    expect(first.headers?.["access-control-allow-origin"]).toBe("https://app.example.com");
    expect(second.headers).not.toHaveProperty("access-control-allow-origin");
    expect(second.headers?.vary).toBe("Origin");
  });

  it("payload 2.0: cookies and isBase64Encoded are kept", async () => {
    const r = await withCors(
      async (_e: APIGatewayProxyEventV2) => ({
        statusCode: 302,
        headers: { location: "/x" },
        cookies: ["c=1; HttpOnly"],
        isBase64Encoded: true,
        body: "eA==",
      }),
      credentialed,
    )(functionUrlEvent(allowed), context);
    expect(r).toEqual({
      statusCode: 302,
      headers: {
        location: "/x",
        vary: "Origin",
        "access-control-allow-origin": "https://app.example.com",
        "access-control-allow-credentials": "true",
        "access-control-expose-headers": "etag, x-request-id",
      },
      cookies: ["c=1; HttpOnly"],
      isBase64Encoded: true,
      body: "eA==",
    });
  });

  it("synchronous handlers work too", async () => {
    const r = await withCors((_e: APIGatewayProxyEventV2) => ({ statusCode: 204 }), credentialed)(
      httpApiEvent(allowed),
      context,
    );
    expect(r.statusCode).toBe(204);
    expect(r.headers?.["access-control-allow-origin"]).toBe("https://app.example.com");
  });

  it("a preflight never calls the handler", async () => {
    const pre = vectors.find((v) => v.kind === "preflight" && v.expect.status === 204)!;
    let calls = 0;
    const h = withCors(async (_e: APIGatewayProxyEventV2) => {
      calls++;
      return "x";
    }, policies[pre.policy] as CorsPolicy);
    const r = await h(httpApiEvent(pre), context);
    expect(calls).toBe(0);
    expect(r.statusCode).toBe(204);
  });
});

describe("payload 2.0 results without statusCode (API Gateway's inference rule)", () => {
  const inferred: Array<[string, unknown, string]> = [
    ["a string", "Hello, world!", '"Hello, world!"'],
    ["a plain object", { message: "Hello, world!" }, '{"message":"Hello, world!"}'],
    ["an object with headers but no statusCode", { headers: { a: "b" } }, '{"headers":{"a":"b"}}'],
    ["an array", [1, 2], "[1,2]"],
    ["a number", 42, "42"],
    ["null", null, "null"],
  ];
  it.each(inferred)(
    "%s becomes 200 application/json with the JSON text as body",
    async (_n, out, body) => {
      for (const event of [httpApiEvent(allowed), functionUrlEvent(allowed)]) {
        const r = await withCors(async (_e: APIGatewayProxyEventV2) => out, credentialed)(
          event,
          context,
        );
        expect(r.statusCode).toBe(200);
        expect(r.body).toBe(body);
        expect(r.isBase64Encoded).toBe(false);
        expect(r.headers?.["content-type"]).toBe("application/json");
        expect(r.headers?.["access-control-allow-origin"]).toBe("https://app.example.com");
        expect(r.headers?.vary).toBe("Origin");
      }
    },
  );
});

describe("withCors and its inputs", () => {
  it("an invalid policy throws when wrapping, listing every problem", () => {
    let err: unknown;
    try {
      withCors(async () => "x", {
        allowOrigins: ["null", "https://ok.example"],
        maxAge: -1,
        bogus: 1,
      } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorsConfigError);
    expect((err as CorsConfigError).issues.length).toBeGreaterThanOrEqual(3);
  });

  it("a payload 1.0 handler returning something that is not a result is passed through untouched", async () => {
    const odd = { hello: "world" };
    const r = await withCors(async (_e: APIGatewayProxyEvent) => odd as never, credentialed)(
      restEvent(allowed),
      context,
    );
    expect(r).toBe(odd);
  });

  it("a non-HTTP event goes straight to the handler", async () => {
    const h = withCors(async (e: APIGatewayProxyEventV2) => e as never, credentialed);
    const sqs = { Records: [{ body: "x" }] } as unknown as APIGatewayProxyEventV2;
    expect(await h(sqs, context)).toBe(sqs);
  });

  it("REST: the Host header, or requestContext.domainName, and the stage-less path drive routes", async () => {
    const pub = vectors.find(
      (v) => v.name === "route /public/*: any origin gets *, no credentials",
    )!;
    const e = restEvent(pub);
    delete e.headers.Host;
    delete e.multiValueHeaders.Host;
    const r = await withCors(async (_e: APIGatewayProxyEvent) => restResult(pub), credentialed)(
      e,
      context,
    );
    expect(r.headers?.["access-control-allow-origin"]).toBe("*");
  });
});
