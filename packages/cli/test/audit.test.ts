/**
 * `audit` end to end: the real bin (a subprocess) against 127.0.0.1 servers that are each
 * misconfigured one way, one per finding id, plus a correct server built on @edge-cors/core
 * and a public `*` API. Each case asserts the exact finding ids and severities (no false ids),
 * the exit code and the documented `--json` shape.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FINDING_IDS, FINDINGS, type FindingId, type Severity } from "../src/audit/findings.ts";
import type { AuditJson } from "../src/index.ts";
import { AUDIT_JSON } from "./helpers/audit-shape.ts";
import { spawnCli } from "./helpers/cli.ts";
import { type CorsServerSpec, corsServer, only } from "./helpers/misconfigured-servers.ts";
import { coreHandler, startServer, type TestServer } from "./helpers/servers.ts";
import { shapeErrors } from "./helpers/shape.ts";

const APP = "https://app.example.com";
/** A credentialed PUT with a JSON body: every crafted origin goes through a preflight. */
const CREDENTIALED_PUT = [
  "--credentials",
  "--method",
  "PUT",
  "--header",
  "Content-Type: application/json",
];

interface Case {
  name: string;
  server: CorsServerSpec | "core";
  args?: string[];
  /** [id, severity] of every finding, most severe first. */
  findings: Array<[FindingId, Severity]>;
  /** The Origin the first finding's evidence was sent with. */
  origin?: string | RegExp;
}

const cases: Case[] = [
  {
    name: "reflects any Origin, with credentials",
    server: { grants: (o) => o !== "null" },
    findings: [["origin-reflected", "high"]],
    origin: /^https:\/\/edge-cors-audit-[0-9a-f]{8}\.example$/,
  },
  {
    name: "reflects any Origin, without credentials",
    server: { grants: (o) => o !== "null", credentials: false },
    args: ["--method", "PUT"],
    findings: [["origin-reflected", "low"]],
  },
  {
    name: "trusts null",
    server: { grants: (o) => o === APP || o === "null" },
    findings: [["null-origin-allowed", "high"]],
    origin: "null",
  },
  {
    name: "prefix match (startsWith)",
    server: { grants: (o) => o.startsWith(APP) },
    findings: [["prefix-bypass", "high"]],
    origin: "https://app.example.com.evil.example",
  },
  {
    name: "suffix match (endsWith example.com)",
    server: { grants: (o) => /^https:\/\/[a-z0-9.-]*example\.com$/.test(o) },
    findings: [["suffix-bypass", "high"]],
    origin: "https://evilexample.com",
  },
  {
    name: "unescaped dot in a regular expression",
    server: { grants: (o) => /^https:\/\/app.example.com$/.test(o) },
    findings: [["unescaped-dot-bypass", "high"]],
    origin: "https://appxexample.com",
  },
  {
    name: "stops at the first character after the host that is not a dot",
    server: { grants: (o) => o.startsWith(APP) && !o.slice(APP.length).startsWith(".") },
    findings: [["special-char-bypass", "medium"]],
    origin: "https://app.example.com_.evil.example",
  },
  {
    name: "trusts the http twin",
    server: { grants: (o) => /^https?:\/\/app\.example\.com$/.test(o) },
    findings: [["http-origin-trusted", "medium"]],
    origin: "http://app.example.com",
  },
  {
    name: "trusts every subdomain",
    server: { grants: (o) => /^https:\/\/([a-z0-9-]+\.)*app\.example\.com$/.test(o) },
    findings: [["any-subdomain-trusted", "medium"]],
    origin: /^https:\/\/edge-cors-audit-[0-9a-f]{8}\.app\.example\.com$/,
  },
  {
    name: "* with credentials",
    server: { grants: () => true, allowOrigin: "*" },
    findings: [["wildcard-with-credentials", "low"]],
    origin: APP,
  },
  {
    name: "no Vary: Origin",
    server: { grants: only(APP), vary: false },
    findings: [["missing-vary-origin", "low"]],
    origin: APP,
  },
  {
    name: "reflects Access-Control-Request-Headers",
    server: { grants: only(APP), headers: "reflect" },
    findings: [["preflight-reflects-headers", "low"]],
    origin: APP,
  },
  {
    name: "reflects Access-Control-Request-Method",
    server: { grants: only(APP), methods: "reflect" },
    findings: [["preflight-reflects-methods", "low"]],
    origin: APP,
  },
  {
    name: "Access-Control-Max-Age: 100000",
    server: { grants: only(APP), maxAge: "100000" },
    findings: [["max-age-excessive", "low"]],
    origin: APP,
  },
  {
    name: "refuses the allowed origin's method (info only, exit 0)",
    server: { grants: only(APP), methods: "DELETE" },
    findings: [["allowed-origin-refused", "info"]],
    origin: APP,
  },
  {
    name: "a public API: static * without credentials (info only, exit 0)",
    server: { grants: () => true, allowOrigin: "*", credentials: false, methods: "*" },
    args: ["--method", "PUT"],
    findings: [["wildcard-origin", "info"]],
  },
  {
    name: "a correct server built on @edge-cors/core (no findings)",
    server: "core",
    findings: [],
  },
];

const CORE_POLICY = {
  allowOrigins: [APP],
  allowMethods: ["PUT"],
  allowHeaders: ["Content-Type"],
  allowCredentials: true,
  maxAge: 600,
};

describe("audit finds each misconfiguration (real CLI subprocess, --json)", () => {
  const servers = new Map<string, TestServer>();
  beforeAll(async () => {
    for (const c of cases) {
      const handler = c.server === "core" ? coreHandler(CORE_POLICY) : corsServer(c.server);
      servers.set(c.name, await startServer(handler, { maxRequests: 80 }));
    }
  });
  afterAll(() => Promise.all([...servers.values()].map((s) => s.close())));

  it("the table covers every finding id", () => {
    const covered = new Set(cases.flatMap((c) => c.findings.map(([id]) => id)));
    expect([...covered].sort()).toEqual([...FINDING_IDS].sort());
  });

  it("docs/cli.md documents every id with the severities of findings.ts", () => {
    const doc = readFileSync(new URL("../../../docs/cli.md", import.meta.url), "utf8");
    const rows = [...doc.matchAll(/^\| `([a-z-]+)`\s*\| (\w+)\s*\| (\w+)\s*\|/gm)].map((m) => [
      m[1],
      m[2],
      m[3],
    ]);
    expect(rows).toEqual(
      FINDING_IDS.map((id) => [
        id,
        FINDINGS[id].severity.credentialed,
        FINDINGS[id].severity.withoutCredentials,
      ]),
    );
  });

  it.concurrent.each(cases)("$name", async (c) => {
    const server = servers.get(c.name)!;
    const r = await spawnCli([
      "audit",
      `${server.origin}/api`,
      "--allow",
      APP,
      ...(c.args ?? CREDENTIALED_PUT),
      "--json",
    ]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as AuditJson;
    expect(shapeErrors(out, AUDIT_JSON)).toEqual([]);
    expect(out.findings.map((f) => [f.id, f.severity])).toEqual(c.findings);
    const fails = c.findings.some(([, severity]) => severity !== "info");
    expect(r.code).toBe(fails ? 1 : 0);
    expect(out.ok).toBe(!fails);
    expect(out.requests).toBe(server.seen.length);
    const first = out.findings[0];
    if (first === undefined || c.origin === undefined) return;
    // Evidence: the request sent with that Origin and the response headers that matter.
    expect(first.evidence.origin).toMatch(c.origin);
    const sent = first.evidence.steps.map((s) => s.request.headers.origin);
    expect(sent.every((o) => o === first.evidence.origin)).toBe(true);
    const last = first.evidence.steps.at(-1)!;
    expect(
      last.response?.headers.every(([n]) => n.startsWith("access-control-") || n === "vary"),
    ).toBe(true);
  });
});

describe("audit is polite and keeps credentials where they belong", () => {
  it("a redirect to another host never receives the cookie or Authorization", async () => {
    const seenAtB: Array<{ cookie?: string; authorization?: string; origin?: string }> = [];
    const b = await startServer(
      (req, res) => {
        seenAtB.push({ ...req.headers });
        corsServer({ grants: () => true, methods: "reflect", headers: "reflect" })(req, res);
      },
      { maxRequests: 80 },
    );
    const a = await startServer(
      (req, res) => {
        if (req.method === "OPTIONS") {
          corsServer({ grants: only(APP), headers: "reflect" })(req, res);
          return;
        }
        req.resume();
        const origin = req.headers.origin ?? "";
        res
          .writeHead(302, {
            location: `http://localhost:${b.port}/landing`,
            "access-control-allow-origin": origin,
            "access-control-allow-credentials": "true",
            vary: "Origin",
          })
          .end();
      },
      { maxRequests: 80 },
    );
    try {
      const r = await spawnCli([
        "audit",
        `${a.origin}/api`,
        "--allow",
        APP,
        "--credentials",
        "--cookie",
        "sid=s3cret",
        "--header",
        "Authorization: Bearer t0ken",
        "--json",
      ]);
      expect(r.stderr).toBe("");
      const out = JSON.parse(r.stdout) as AuditJson;
      expect(shapeErrors(out, AUDIT_JSON)).toEqual([]);
      // A received the credentials on its actual requests; B got requests but never them.
      const actualAtA = a.seen.filter((s) => s.method !== "OPTIONS");
      expect(actualAtA.length).toBeGreaterThan(0);
      expect(actualAtA.every((s) => s.headers.cookie === "sid=s3cret")).toBe(true);
      expect(actualAtA.every((s) => s.headers.authorization === "Bearer t0ken")).toBe(true);
      expect(seenAtB.length).toBeGreaterThan(0);
      for (const h of seenAtB) {
        expect(h.cookie).toBeUndefined();
        expect(h.authorization).toBeUndefined();
        expect(h.origin).toBe("null");
      }
      // The report never prints the token.
      expect(r.stdout).not.toContain("t0ken");
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("stops at --max-requests with a one-line error (exit 2)", async () => {
    const s = await startServer(corsServer({ grants: only(APP) }), { maxRequests: 20 });
    try {
      const r = await spawnCli([
        "audit",
        `${s.origin}/`,
        "--allow",
        APP,
        "--max-requests",
        "5",
        "--concurrency",
        "1",
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain("stopped after 5 requests (--max-requests 5)");
      expect(s.seen.length).toBe(5);
    } finally {
      await s.close();
    }
  });

  it("--delay spaces the requests out", async () => {
    const s = await startServer(corsServer({ grants: only(APP) }), { maxRequests: 40 });
    try {
      const started = Date.now();
      const r = await spawnCli(["audit", `${s.origin}/`, "--allow", APP, "--delay", "40"]);
      expect(r.code).toBe(0);
      const n = s.seen.length;
      expect(n).toBeGreaterThan(5);
      expect(Date.now() - started).toBeGreaterThanOrEqual((n - 1) * 40);
    } finally {
      await s.close();
    }
  });
});
