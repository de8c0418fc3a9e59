/**
 * @edge-cors/hono from the registry in a fresh Node project: type-checked strictly under
 * `nodenext` (compiled with it) and `bundler`, then served by @hono/node-server under plain node.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  edgeCors,
  expectTypeChecks,
  freshProject,
  mustRun,
  type Project,
  preflight,
  type Server,
  serve,
  workspaceVersion,
} from "./harness.ts";

const APP = "https://app.example.com";
let project: Project;
let server: Server | undefined;

beforeAll(async () => {
  project = await freshProject("hono-node", {
    ...edgeCors("hono"),
    hono: workspaceVersion("hono"),
    "@hono/node-server": "2.1.8",
    "@types/node": workspaceVersion("@types/node"),
  });
});
afterAll(async () => {
  await server?.stop();
});

describe("a Hono app on Node", () => {
  it("type-checks with skipLibCheck: false under nodenext (and compiles) and bundler", async () => {
    await expectTypeChecks(project.dir);
  });

  it("answers a preflight and decorates the actual response", async () => {
    server = await serve(process.execPath, ["dist/server.js"], { cwd: project.dir });
    const pre = await preflight(`${server.url}/api/items`, APP, "PUT", "content-type");
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(APP);
    expect(pre.headers.get("access-control-allow-credentials")).toBe("true");
    expect(pre.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(pre.headers.get("access-control-allow-headers")).toContain("content-type");
    expect(pre.headers.get("access-control-max-age")).toBe("600");

    const preview = "https://pr-7.preview.example.com";
    const res = await fetch(`${server.url}/api/items`, { headers: { Origin: preview } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [1, 2, 3] });
    expect(res.headers.get("access-control-allow-origin")).toBe(preview);
    expect(res.headers.get("access-control-expose-headers")).toMatch(/etag/i);
    expect(res.headers.get("vary")).toMatch(/origin/i);

    const refused = await preflight(`${server.url}/api/items`, "https://evil.example", "PUT");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses insecure options at startup, the Public Suffix List included", async () => {
    const r = await mustRun(process.execPath, ["dist/startup-errors.js"], { cwd: project.dir });
    const out = JSON.parse(r.stdout) as Record<string, [string, string][] | null>;
    // hono's docs example: a plain http:// origin with credentials.
    expect(out.honoDocsExample).toEqual([["origin", "http-origin-with-credentials"]]);
    expect(out.suffixBelowPattern).toEqual([["origin[0]", "public-suffix-pattern"]]);
    expect(out.ownSubdomains).toBeNull();
  });
});
