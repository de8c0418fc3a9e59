/**
 * @edge-cors/deno in the real Deno binary, resolved the way a Deno user gets it: an `npm:`
 * specifier, fetched by Deno's own npm client from the local registry (NPM_CONFIG_REGISTRY),
 * with tldts's deep import resolved by Deno. Type-checked by `deno check`, served by Deno.serve.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  consumerEnv,
  fixtureCopy,
  mustRun,
  preflight,
  RELEASE_VERSION,
  type Server,
  serve,
  TOOLS,
  userEnv,
} from "./harness.ts";

const APP = "https://app.example.com";
let dir: string;
let denoEnv: NodeJS.ProcessEnv;
let server: Server | undefined;

beforeAll(() => {
  dir = fixtureCopy("deno");
  writeFileSync(
    join(dir, "deno.json"),
    JSON.stringify({
      imports: { "@edge-cors/deno": `npm:@edge-cors/deno@${RELEASE_VERSION}` },
      compilerOptions: { strict: true, noUncheckedIndexedAccess: true },
    }),
  );
  denoEnv = userEnv({
    NPM_CONFIG_REGISTRY: consumerEnv().registry,
    DENO_DIR: join(dir, ".deno"),
    DENO_NO_UPDATE_CHECK: "1",
  });
});
afterAll(async () => {
  await server?.stop();
});

// Deno 2.9 installs no npm version younger than 24 h by default; these were published seconds ago.
const FRESH = "--minimum-dependency-age=0";

describe("a Deno.serve app with npm:@edge-cors/deno", () => {
  it("type-checks with deno check", async () => {
    const r = await mustRun(TOOLS.deno, ["check", FRESH, "server.ts", "check-policy.ts"], {
      cwd: dir,
      env: denoEnv,
    });
    // Deno's npm client really went to the local registry for the package.
    expect(r.stderr).toContain(`${consumerEnv().registry}@edge-cors/deno`);
  });

  it("answers a preflight and decorates the actual response", async () => {
    server = await serve(TOOLS.deno, ["run", FRESH, "--allow-net=127.0.0.1", "server.ts"], {
      cwd: dir,
      env: denoEnv,
    });
    const pre = await preflight(`${server.url}/items`, APP, "DELETE", "content-type");
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(APP);
    expect(pre.headers.get("access-control-allow-methods")).toContain("DELETE");
    expect(pre.headers.get("access-control-allow-headers")).toBe("content-type");
    expect(pre.headers.get("access-control-max-age")).toBe("600");

    const preview = "https://pr-7.preview.example.com";
    const res = await fetch(`${server.url}/items`, { headers: { Origin: preview } });
    expect(await res.json()).toEqual({ path: "/items", remote: "127.0.0.1" });
    expect(res.headers.get("access-control-allow-origin")).toBe(preview);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("checks subdomain patterns against the Public Suffix List (tldts's trie, in Deno)", async () => {
    const check = async (policy: object) =>
      JSON.parse(
        (
          await mustRun(TOOLS.deno, ["run", FRESH, "check-policy.ts", JSON.stringify(policy)], {
            cwd: dir,
            env: denoEnv,
          })
        ).stdout,
      ) as unknown;
    expect(
      await check({ allowOrigins: ["https://*.amazonaws.com"], allowCredentials: true }),
    ).toEqual([["allowOrigins[0]", "public-suffix-pattern"]]);
    expect(
      await check({ allowOrigins: ["https://*.example.com"], allowCredentials: true }),
    ).toBeNull();
  });
});
