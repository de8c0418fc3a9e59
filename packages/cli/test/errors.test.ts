/** Bad input gives one clear line on stderr (never a stack trace) and exit 2; --json adds an error object. */
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { brokenJsonFile, spawnCli } from "./helpers/cli.ts";
import { closedPort, startServer } from "./helpers/servers.ts";
import { ERROR_JSON, shapeErrors } from "./helpers/shape.ts";

const APP = "https://app.example.com";

function expectOneLine(stderr: string, text: string) {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^edge-cors: /);
  expect(lines[0]).toContain(text);
  expect(stderr).not.toMatch(/\n\s+at /);
}

const broken = brokenJsonFile();

describe("input errors (real CLI subprocess)", () => {
  afterAll(() => rmSync(dirname(broken), { recursive: true, force: true }));

  it("connection refused", async () => {
    const port = await closedPort();
    const r = await spawnCli(["probe", `http://127.0.0.1:${port}/`, "--origin", APP]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, `connection refused by 127.0.0.1:${port}`);
  });

  it("timeout (a server that never answers)", async () => {
    const server = await startServer(() => {}, { maxRequests: 2, lifetimeMs: 10_000 });
    try {
      const r = await spawnCli([
        "probe",
        `${server.origin}/slow`,
        "--origin",
        APP,
        "--timeout",
        "300",
        "--json",
      ]);
      expect(r.code).toBe(2);
      expectOneLine(r.stderr, "no response within 300 ms");
      const out = JSON.parse(r.stdout);
      expect(shapeErrors(out, ERROR_JSON)).toEqual([]);
      expect(out.error.code).toBe("timeout");
      expect(server.seen).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it.each([
    [["probe", "not a url", "--origin", APP], "is not an absolute URL"],
    [["probe", "ftp://127.0.0.1/", "--origin", APP], "only http: and https: can"],
    [["probe", "http://127.0.0.1:1/", "--origin", APP], "port 1 is blocked by fetch"],
    [["probe", "http://127.0.0.1:9/", "--origin", "https://App.example.com"], "--origin"],
    [["probe", "http://127.0.0.1/"], "required option '--origin <origin>' not specified"],
    [["probe", "http://127.0.0.1/", "--origin", APP, "--timeout", "soon"], "--timeout"],
    [
      ["probe", "http://127.0.0.1/", "--origin", APP, "--frobnicate"],
      "unknown option '--frobnicate'",
    ],
    [["check"], "missing required argument 'file'"],
    [["check", "nope.json"], "nope.json: no such file"],
    [["check", broken], "line 3, column 26"],
    [["lint"], "unknown command 'lint'"],
  ])("%j", async (args, text) => {
    const r = await spawnCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expectOneLine(r.stderr, text);
  });

  it("--origin same as the URL's origin is refused (no CORS applies)", async () => {
    const r = await spawnCli(["probe", "http://127.0.0.1:9/x", "--origin", "http://127.0.0.1:9"]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, "same-origin");
  });

  it("--help and --version exit 0", async () => {
    const help = await spawnCli(["probe", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--origin <origin>");
    const v = await spawnCli(["--version"]);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("colour: FORCE_COLOR turns it on when piped, NO_COLOR wins", async () => {
    const forced = await spawnCli(["check", "bad.json"], { NO_COLOR: "", FORCE_COLOR: "1" });
    expect(forced.stdout).toContain("\u001b[31m");
    const plain = await spawnCli(["check", "bad.json"], { NO_COLOR: "1", FORCE_COLOR: "1" });
    expect(plain.stdout).not.toContain("\u001b[");
  });
});
