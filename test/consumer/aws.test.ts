/**
 * @edge-cors/aws from the registry in a fresh Node project with @types/aws-lambda (the optional
 * peer its public types need): strict type-check under nodenext and bundler, then the compiled
 * Lambda (API Gateway HTTP API / REST) and Lambda@Edge handlers invoked with AWS's event shapes.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  edgeCors,
  expectClean,
  freshProject,
  mustRun,
  type Project,
  type RunResult,
  tsc,
  workspaceVersion,
} from "./harness.ts";

const APP = "https://app.example.com";
let project: Project;
let nodenext: RunResult;
let results: Record<string, Result> = {};

interface Result {
  statusCode?: number;
  status?: string;
  body?: string;
  headers?: Record<string, string | number | boolean | { key?: string; value: string }[]>;
  multiValueHeaders?: Record<string, (string | number | boolean)[]>;
}

/** A header of an API Gateway result (either shape) or of a CloudFront result, lines joined. */
function header(r: Result, name: string): string | null {
  for (const [k, v] of Object.entries(r.multiValueHeaders ?? {})) {
    if (k.toLowerCase() === name) return v.join(", ");
  }
  for (const [k, v] of Object.entries(r.headers ?? {})) {
    if (k.toLowerCase() !== name) continue;
    return Array.isArray(v) ? v.map((line) => line.value).join(", ") : String(v);
  }
  return null;
}

beforeAll(async () => {
  project = await freshProject("aws", {
    ...edgeCors("aws", "core"),
    "@types/aws-lambda": workspaceVersion("@types/aws-lambda"),
    "@types/node": workspaceVersion("@types/node"),
  });
  nodenext = await tsc(project.dir, "tsconfig.json"); // emits dist/
  if (nodenext.code !== 0) return;
  const r = await mustRun(process.execPath, ["dist/invoke.js"], { cwd: project.dir });
  results = JSON.parse(r.stdout) as Record<string, Result>;
});

describe("Lambda and Lambda@Edge handlers", () => {
  it("type-check with skipLibCheck: false under nodenext (and compile) and bundler", async () => {
    expectClean(nodenext);
    expectClean(await tsc(project.dir, "tsconfig.bundler.json"));
  });

  it("HTTP API: answers the preflight without the handler, decorates the GET", () => {
    const pre = results["http-api-preflight.json"]!;
    expect(pre.statusCode).toBe(204);
    expect(pre.body ?? "").toBe("");
    expect(header(pre, "access-control-allow-origin")).toBe(APP);
    expect(header(pre, "access-control-allow-credentials")).toBe("true");
    expect(header(pre, "access-control-allow-methods")).toContain("PUT");
    expect(header(pre, "access-control-allow-headers")).toBe("content-type, authorization");
    expect(header(pre, "access-control-max-age")).toBe("600");

    const get = results["http-api-get.json"]!;
    expect(get.statusCode).toBe(200);
    expect(JSON.parse(get.body!)).toEqual({ path: "/items" });
    expect(header(get, "access-control-allow-origin")).toBe("https://pr-7.preview.example.com");
    expect(header(get, "access-control-expose-headers")).toBe("etag");
    expect(header(get, "vary")).toMatch(/origin/i);
  });

  it("REST API: an unlisted origin gets the app's response, no grant, Vary: Origin", () => {
    const get = results["rest-api-get.json"]!;
    expect(get.statusCode).toBe(200);
    expect(get.body).toBe("/items");
    expect(header(get, "access-control-allow-origin")).toBeNull();
    expect(header(get, "vary")).toMatch(/origin/i);
  });

  it("CloudFront: viewer-request preflight answered (string status, no body), origin-response decorated", () => {
    const pre = results["cloudfront-viewer-request-preflight.json"]!;
    expect(pre.status).toBe("204");
    expect(pre.body).toBeUndefined();
    expect(header(pre, "access-control-allow-origin")).toBe(APP);
    expect(header(pre, "access-control-allow-methods")).toContain("DELETE");

    const res = results["cloudfront-origin-response.json"]!;
    expect(res.status).toBe("200");
    expect(header(res, "access-control-allow-origin")).toBe(APP);
    expect(header(res, "access-control-allow-credentials")).toBe("true");
    expect(header(res, "vary")?.toLowerCase()).toBe("accept-encoding, origin");
    expect(header(res, "set-cookie")).toBe("theme=light, session=abc123; Secure; HttpOnly");
    expect(header(res, "x-amz-cf-pop")).toBe("FRA56-P5");
  });
});
