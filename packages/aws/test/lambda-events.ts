/**
 * API Gateway and function URL events built from the shared conformance vectors, in the
 * shapes of AWS's documented samples: REST payload 1.0 ("Input format of a Lambda function
 * for proxy integration"), HTTP API payload 2.0 ("Working with AWS Lambda proxy integrations
 * for HTTP APIs") and function URLs ("Invoking Lambda function URLs", IAM-authorized), plus
 * the app's results in each shape and a reading of results as a client receives them.
 */
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
  LambdaFunctionURLEventWithIAMAuthorizer,
} from "aws-lambda";
import { appResponse, type Vector } from "../../../test/vectors/index.ts";

export const context: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: "edge-cors-test",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:edge-cors-test",
  memoryLimitInMB: "128",
  awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
  logGroupName: "/aws/lambda/edge-cors-test",
  logStreamName: "2026/11/02/[$LATEST]abcdef",
  getRemainingTimeInMillis: () => 3000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};

function split(path: string): [string, string] {
  const i = path.indexOf("?");
  return i < 0 ? [path, ""] : [path.slice(0, i), path.slice(i + 1)];
}

const REST_HOST = "1234567890.execute-api.us-east-1.amazonaws.com";

/** REST API (payload 1.0): `headers` hold the last value, `multiValueHeaders` all of them. */
export function restEvent(v: Vector): APIGatewayProxyEvent {
  const [path] = split(v.request.path);
  const multi: Record<string, string[]> = {
    Host: [REST_HOST],
    "User-Agent": ["Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"],
    "X-Forwarded-For": ["203.0.113.178"],
    "X-Forwarded-Port": ["443"],
    "X-Forwarded-Proto": ["https"],
  };
  for (const [name, value] of Object.entries(v.request.headers)) {
    // A browser sending one header on several lines: API Gateway lists each line.
    multi[name] =
      name === "access-control-request-headers" && v.name.includes("split ACRH")
        ? value.split(", ")
        : [value];
  }
  const headers = Object.fromEntries(
    Object.entries(multi).map(([k, vs]) => [k, vs[vs.length - 1]]),
  );
  return {
    resource: "/{proxy+}",
    path,
    httpMethod: v.request.method,
    headers,
    multiValueHeaders: multi,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: "123456789012",
      apiId: "1234567890",
      authorizer: null,
      domainName: REST_HOST,
      domainPrefix: "1234567890",
      extendedRequestId: "BQGojGkyoAMFL_A=",
      httpMethod: v.request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: "203.0.113.178",
        user: null,
        userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
        userArn: null,
      },
      path: `/prod${path}`,
      protocol: "HTTP/1.1",
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      requestTime: "02/Nov/2026:10:00:00 +0000",
      requestTimeEpoch: 1793613600000,
      resourceId: "123456",
      resourcePath: "/{proxy+}",
      stage: "prod",
    },
    body: null,
    isBase64Encoded: false,
  };
}

function v2Headers(v: Vector, host: string): Record<string, string> {
  // Payload 2.0 lower-cases names and joins repeated headers with commas.
  return {
    host,
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
    "x-forwarded-for": "203.0.113.178",
    "x-forwarded-proto": "https",
    ...Object.fromEntries(
      Object.entries(v.request.headers).map(([k, val]) => [k.toLowerCase(), val]),
    ),
  };
}

const HTTP_HOST = "r3pmxmplak.execute-api.us-east-1.amazonaws.com";

/** HTTP API (payload 2.0), `$default` stage, with a request cookie. */
export function httpApiEvent(v: Vector): APIGatewayProxyEventV2 {
  const [rawPath, rawQueryString] = split(v.request.path);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    cookies: ["session=abc123"],
    headers: v2Headers(v, HTTP_HOST),
    requestContext: {
      accountId: "123456789012",
      apiId: "r3pmxmplak",
      domainName: HTTP_HOST,
      domainPrefix: "r3pmxmplak",
      http: {
        method: v.request.method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.178",
        userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
      },
      requestId: "JKJaXmPLvHcESHA=",
      routeKey: "$default",
      stage: "$default",
      time: "02/Nov/2026:10:00:00 +0000",
      timeEpoch: 1793613600000,
    },
    isBase64Encoded: false,
  };
}

const URL_HOST = "abcdefg123456.lambda-url.us-east-1.on.aws";

/** Function URL (payload 2.0) with the AWS_IAM authorizer block, as in the Lambda guide's sample. */
export function functionUrlEvent(v: Vector): LambdaFunctionURLEventWithIAMAuthorizer {
  const [rawPath, rawQueryString] = split(v.request.path);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    cookies: ["session=abc123"],
    headers: v2Headers(v, URL_HOST),
    queryStringParameters: undefined,
    requestContext: {
      accountId: "123456789012",
      apiId: "abcdefg123456",
      authorizer: {
        iam: {
          accessKey: "AKIAIOSFODNN7EXAMPLE",
          accountId: "111122223333",
          callerId: "AIDACKCEVSQ6C2EXAMPLE",
          cognitoIdentity: null,
          principalOrgId: "AIDACKCEVSQORGEXAMPLE",
          userArn: "arn:aws:iam::111122223333:user/example-user",
          userId: "AIDACOSFODNN7EXAMPLE2",
        },
      },
      domainName: URL_HOST,
      domainPrefix: "abcdefg123456",
      http: {
        method: v.request.method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.178",
        userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
      },
      requestId: "e1506fd5-9e7b-434f-bd42-4f8fa224b599",
      routeKey: "$default",
      stage: "$default",
      time: "02/Nov/2026:10:00:00 +0000",
      timeEpoch: 1793613600000,
    },
    body: undefined,
    pathParameters: undefined,
    isBase64Encoded: false,
    stageVariables: undefined,
  };
}

/** The vector's app response as a payload 1.0 result: Vary and Set-Cookie in `multiValueHeaders`. */
export function restResult(v: Vector): APIGatewayProxyResult {
  const app = appResponse(v);
  const headers: Record<string, string> = {};
  const multi: Record<string, string[]> = { "Set-Cookie": ["a=1; Path=/", "b=2; Secure"] };
  for (const [name, value] of app.headers) {
    if (name === "vary") multi.Vary = [value];
    else headers[name] = value;
  }
  return {
    statusCode: app.status,
    headers,
    multiValueHeaders: multi,
    body: "app",
    isBase64Encoded: false,
  };
}

/** The vector's app response as a payload 2.0 structured result, with `cookies`. */
export function v2Result(v: Vector): APIGatewayProxyStructuredResultV2 {
  const app = appResponse(v);
  return {
    statusCode: app.status,
    headers: Object.fromEntries(app.headers),
    cookies: ["a=1; Path=/", "b=2; Secure"],
    body: "app",
    isBase64Encoded: false,
  };
}

/** What a client receives for a payload 1.0 result (API Gateway merges headers into multiValueHeaders). */
export function restSeenByClient(r: APIGatewayProxyResult): { status: number; headers: Headers } {
  const h = new Headers();
  const multi = r.multiValueHeaders ?? {};
  const lowerMulti = new Map(
    Object.entries(multi).map(([k, vs]) => [k.toLowerCase(), vs.map(String)]),
  );
  for (const [k, vs] of Object.entries(multi)) for (const x of vs) h.append(k, String(x));
  for (const [k, x] of Object.entries(r.headers ?? {})) {
    if (!lowerMulti.get(k.toLowerCase())?.includes(String(x))) h.append(k, String(x));
  }
  return { status: r.statusCode, headers: h };
}

/** What a client receives for a payload 2.0 structured result (`cookies` become Set-Cookie lines). */
export function v2SeenByClient(r: APIGatewayProxyStructuredResultV2): {
  status: number;
  headers: Headers;
} {
  const h = new Headers();
  for (const [k, x] of Object.entries(r.headers ?? {})) h.append(k, String(x));
  for (const c of r.cookies ?? []) h.append("set-cookie", c);
  return { status: r.statusCode ?? 200, headers: h };
}
