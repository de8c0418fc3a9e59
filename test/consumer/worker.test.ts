/**
 * @edge-cors/cloudflare from the registry in a fresh Worker project: strict type-check against
 * @cloudflare/workers-types (the optional peer its types need), `wrangler deploy --dry-run`
 * bundles it (esbuild resolving the installed packages, tldts's deep import included), and the
 * bundle runs in workerd through Miniflare.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  edgeCors,
  expectClean,
  freshProject,
  mustRun,
  type Project,
  preflight,
  TOOLS,
  tsc,
  userEnv,
  workspaceVersion,
} from "./harness.ts";

const APP = "https://app.example.com";
// The [vars] CORS_POLICY of fixtures/worker/wrangler.toml.
const POLICY =
  '{"allowOrigins": ["https://app.example.com"], "allowMethods": ["PUT"], "allowCredentials": true, "maxAge": 600}';
const COMPATIBILITY_DATE = "2026-05-01";

let project: Project;
const instances: Miniflare[] = [];

beforeAll(async () => {
  project = await freshProject("worker", {
    ...edgeCors("cloudflare"),
    "@cloudflare/workers-types": workspaceVersion("@cloudflare/workers-types"),
  });
});
afterAll(async () => {
  await Promise.all(instances.map((mf) => mf.dispose()));
});

function miniflare(policy: string): Miniflare {
  const outdir = join(project.dir, "dist");
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(outdir, "index.js"),
    modulesRoot: outdir,
    compatibilityDate: COMPATIBILITY_DATE,
    bindings: { CORS_POLICY: policy },
    host: "127.0.0.1",
    port: 0,
  });
  instances.push(mf);
  return mf;
}

describe("a Worker with withCors", () => {
  it("type-checks with skipLibCheck: false against @cloudflare/workers-types", async () => {
    expectClean(await tsc(project.dir, "tsconfig.json"));
  });

  it("is bundled by wrangler deploy --dry-run and answers CORS in workerd", async () => {
    const wranglerEnv = userEnv({
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
      XDG_CONFIG_HOME: join(project.dir, ".config"),
      WRANGLER_LOG_PATH: join(project.dir, ".wrangler-logs"),
    });
    const r = await mustRun(
      process.execPath,
      [TOOLS.wrangler, "deploy", "--dry-run", "--outdir", "dist"],
      { cwd: project.dir, env: wranglerEnv },
    );
    expect(r.stdout).toContain("--dry-run: exiting now.");
    const bundle = join(project.dir, "dist", "index.js");
    expect(existsSync(bundle)).toBe(true);
    // The Public Suffix List trie came from tldts's deep import, inlined by esbuild.
    expect(readFileSync(bundle, "utf8")).toContain("tldts/dist/es6/src/data/trie.js");

    const mf = miniflare(POLICY);
    const pre = await mf.dispatchFetch("https://api.example.com/items", {
      method: "OPTIONS",
      headers: { Origin: APP, "Access-Control-Request-Method": "PUT" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(APP);
    expect(pre.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(pre.headers.get("access-control-max-age")).toBe("600");
    await pre.arrayBuffer();

    const res = await mf.dispatchFetch("https://api.example.com/items", {
      headers: { Origin: APP },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: "/items" });
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("vary")).toMatch(/origin/i);

    // Miniflare's own HTTP listener on 127.0.0.1 answers like the deployed Worker.
    const url = await mf.ready;
    const refused = await preflight(new URL("/items", url).href, "https://evil.example", "PUT");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a credentialed pattern over a public suffix (the PSL trie runs in workerd)", async () => {
    const mf = miniflare('{"allowOrigins": ["https://*.amazonaws.com"], "allowCredentials": true}');
    const res = await mf.dispatchFetch("https://api.example.com/items", {
      headers: { Origin: "https://x.s3.amazonaws.com" },
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ issues: [["allowOrigins[0]", "public-suffix-pattern"]] });
  });
});
