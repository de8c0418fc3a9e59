/** `audit` input errors: one line on stderr, never a stack trace, exit 2 (real CLI subprocess). */
import { describe, expect, it } from "vitest";
import { spawnCli } from "./helpers/cli.ts";
import { closedPort } from "./helpers/servers.ts";
import { ERROR_JSON, shapeErrors } from "./helpers/shape.ts";

const APP = "https://app.example.com";
const URL_ = "http://127.0.0.1:9/api";

const cases: Array<[string, string[], string]> = [
  ["no --allow", ["audit", URL_], "required option '--allow <origin>' not specified"],
  [
    "an --allow with a path",
    ["audit", URL_, "--allow", `${APP}/`],
    '--allow "https://app.example.com/"',
  ],
  ["an --allow pattern", ["audit", URL_, "--allow", "https://*.example.com"], "no pattern"],
  ["--allow null", ["audit", URL_, "--allow", "null"], "never null"],
  [
    "--allow the URL's own origin",
    ["audit", URL_, "--allow", "http://127.0.0.1:9"],
    "no CORS applies",
  ],
  ["a bad URL", ["audit", "not a url", "--allow", APP], "is not an absolute URL"],
  ["a bad --method", ["audit", URL_, "--allow", APP, "--method", "TRACE"], "--method"],
  ["--concurrency 0", ["audit", URL_, "--allow", APP, "--concurrency", "0"], "--concurrency"],
  ["--delay soon", ["audit", URL_, "--allow", APP, "--delay", "soon"], "--delay"],
  ["--max-requests 0", ["audit", URL_, "--allow", APP, "--max-requests", "0"], "--max-requests"],
  ["a bad --cookie", ["audit", URL_, "--allow", APP, "--cookie", "__Host-id=1"], "--cookie"],
];

describe("audit input errors (exit 2, one line)", () => {
  it.concurrent.each(cases)("%s", async (_name, args, text) => {
    const r = await spawnCli([...args, "--json"]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^edge-cors: /);
    expect(lines[0]).toContain(text);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(shapeErrors(JSON.parse(r.stdout), ERROR_JSON)).toEqual([]);
  });

  it("connection refused", async () => {
    const port = await closedPort();
    const r = await spawnCli(["audit", `http://127.0.0.1:${port}/`, "--allow", APP]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `edge-cors: http://127.0.0.1:${port}/: connection refused by 127.0.0.1:${port}`,
    );
  });
});
