/**
 * `audit --fix --verify`: the fixed policy (validated by the core) served by the real edge
 * layer in front of a misconfigured 127.0.0.1 server, audited again: every finding is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditJson } from "../src/index.ts";
import { AUDIT_JSON } from "./helpers/audit-shape.ts";
import { runCli, spawnCli, stablePorts } from "./helpers/cli.ts";
import { corsServer, only } from "./helpers/misconfigured-servers.ts";
import { startServer, type TestServer } from "./helpers/servers.ts";
import { shapeErrors } from "./helpers/shape.ts";

const APP = "https://app.example.com";
const ADMIN = "https://admin.example.com";

/** Grants everything it is asked, null included, for a day, without Vary. */
const everythingGoes = corsServer({
  grants: () => true,
  methods: "reflect",
  headers: "reflect",
  maxAge: "100000",
  vary: false,
});

const args = (url: string) => [
  "audit",
  url,
  "--allow",
  APP,
  "--allow",
  ADMIN,
  "--credentials",
  "--method",
  "PATCH",
  "--header",
  "Content-Type: application/json",
  "--header",
  "X-Api-Key: k1",
  "--fix",
  "--verify",
];

/** Random tokens and ports vary per run. */
const stable = (text: string) =>
  stablePorts(text)
    .replace(/edge-cors-audit-[0-9a-f]{8}/g, "edge-cors-audit-TOKEN")
    .replace(/EDGE-CORS-AUDIT-[0-9A-F]{8}/g, "EDGE-CORS-AUDIT-TOKEN");

describe("audit --fix --verify (real CLI subprocess, in-process edge layer)", () => {
  let upstream: TestServer;
  beforeAll(async () => {
    upstream = await startServer(everythingGoes, { maxRequests: 200 });
  });
  afterAll(() => upstream.close());

  it("turns the findings to zero through the edge layer (exit 0)", async () => {
    const r = await spawnCli([...args(`${upstream.origin}/api/items?page=1`), "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as AuditJson;
    expect(shapeErrors(out, AUDIT_JSON)).toEqual([]);
    expect(out.findings.map((f) => [f.id, f.severity])).toEqual([
      ["origin-reflected", "high"],
      ["null-origin-allowed", "high"],
      ["missing-vary-origin", "low"],
      ["preflight-reflects-methods", "low"],
      ["preflight-reflects-headers", "low"],
      ["max-age-excessive", "low"],
    ]);
    expect(out.fix).toEqual({
      policy: {
        allowOrigins: [APP, ADMIN],
        allowCredentials: true,
        allowMethods: ["PATCH"],
        allowHeaders: ["content-type", "x-api-key"],
        maxAge: 7200,
      },
      errors: [],
      warnings: [expect.objectContaining({ path: "maxAge" })],
    });
    expect(out.verify?.findings).toEqual([]);
    expect(out.verify?.counts).toEqual({ high: 0, medium: 0, low: 0, info: 0 });
    expect(out.verify?.upstream).toBe(upstream.origin);
    expect(out.verify?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/items\?page=1$/);
    expect(out.verify?.url).not.toBe(out.url);
    expect(out.ok).toBe(true);
    // The second audit really went through the edge layer: the upstream saw proxied requests
    // (preflights are answered by the layer, so only actual requests arrive), path and query kept.
    const proxied = upstream.seen.filter((s) => s.headers["x-forwarded-host"] !== undefined);
    expect(proxied.length).toBeGreaterThan(0);
    expect(proxied.every((s) => s.method === "PATCH" && s.url === "/api/items?page=1")).toBe(true);
  });

  it("human output: findings, the fixed policy, before/after counts (snapshot)", async () => {
    const r = await runCli(args(`${upstream.origin}/api`));
    expect(r.code).toBe(0);
    expect(stable(r.stdout)).toMatchSnapshot();
  });

  it("without --verify the exit code reports the audited URL (1)", async () => {
    const r = await spawnCli(["audit", `${upstream.origin}/`, "--allow", APP, "--fix", "--json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as AuditJson;
    expect(out.fix?.errors).toEqual([]);
    expect(out.verify).toBeUndefined();
  });

  it("drops what the core refuses from the server's grants (Set-Cookie, a day-long max-age)", async () => {
    const s = await startServer(
      corsServer({ grants: only(APP), expose: "set-cookie, x-request-id", maxAge: "100000" }),
      { maxRequests: 40 },
    );
    try {
      const r = await spawnCli([
        "audit",
        `${s.origin}/`,
        "--allow",
        APP,
        "--method",
        "PUT",
        "--fix",
        "--json",
      ]);
      const out = JSON.parse(r.stdout) as AuditJson;
      expect(out.findings.map((f) => f.id)).toEqual(["max-age-excessive"]);
      expect(out.fix).toEqual({
        policy: {
          allowOrigins: [APP],
          allowCredentials: true,
          allowMethods: ["PUT", "DELETE"],
          allowHeaders: ["content-type", "x-api-key"],
          exposeHeaders: ["x-request-id"],
          maxAge: 7200,
        },
        errors: [],
        warnings: [expect.objectContaining({ path: "maxAge" })],
      });
    } finally {
      await s.close();
    }
  });

  it("--verify refuses a policy the core refuses (exit 2, one line)", async () => {
    const r = await spawnCli([
      "audit",
      `${upstream.origin}/`,
      "--allow",
      "http://app.example.com",
      "--credentials",
      "--verify",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("--verify: the core refuses the fixed policy: allowOrigins[0]");
  });
});
