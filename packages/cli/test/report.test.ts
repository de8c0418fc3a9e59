/**
 * `edge-cors report`: captured decision logs (written by the real decision log on real core
 * decisions, carried as plain lines, `wrangler tail --format json` events and CloudWatch lines)
 * turned into counts; the real bin reading standard input, ended by EOF or Ctrl-C.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ReportCommandJson } from "../src/index.ts";
import { BIN, runCli, spawnCli } from "./helpers/cli.ts";
import {
  ADMIN,
  APP,
  type Call,
  cloudWatchLine,
  decisionLines,
  EVIL,
  PARTNER,
  T0,
  tailEvent,
} from "./helpers/decision-logs.ts";
import { REPORT_JSON } from "./helpers/report-shape.ts";
import { shapeErrors } from "./helpers/shape.ts";

const work = mkdtempSync(join(tmpdir(), "edge-cors-cli-report-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let files = 0;
function logFile(text: string): string {
  const file = join(work, `log-${++files}.txt`);
  writeFileSync(file, text);
  return file;
}

/**
 * Nine decisions: eight refused (four origins, two routes, two reasons) and one allowed (APP's
 * GET on /v1/items, logged at level "all" only). ADMIN's PATCH is refused for its method.
 */
const CALLS: Call[] = [
  { at: 0, origin: PARTNER, path: "/v1/items", preflight: "PUT" },
  { at: 1_000, origin: PARTNER, path: "/v1/items" },
  { at: 2_000, origin: APP, path: "/v1/items", preflight: "DELETE" },
  { at: 3_000, origin: APP, path: "/admin/users" },
  { at: 4_000, origin: EVIL, path: "/v1/items?token=x" },
  { at: 5_000, origin: PARTNER, path: "/admin/users" },
  { at: 6_000, origin: APP, path: "/v1/items" },
  { at: 7_000, origin: ADMIN, path: "/admin/users", preflight: "PATCH" },
  { at: 8_000, origin: PARTNER, path: "/v1/items", method: "POST" },
];

const iso = (ms: number) => new Date(T0 + ms).toISOString();
const ORIGIN_REFUSED = "origin-not-allowed";
const METHOD_REFUSED = "method-not-allowed";

/** What every carrier of CALLS (at level "all") must add up to. */
const EXPECTED = {
  total: 9,
  refused: 8,
  allowed: 1,
  dropped: { count: 0, refused: 0 },
  byOrigin: [
    {
      origin: PARTNER,
      count: 4,
      reasons: [ORIGIN_REFUSED],
      routes: [null, "/admin/*"],
      firstSeen: iso(0),
      lastSeen: iso(8_000),
    },
    {
      origin: APP,
      count: 2,
      reasons: [METHOD_REFUSED, ORIGIN_REFUSED],
      routes: [null, "/admin/*"],
      firstSeen: iso(2_000),
      lastSeen: iso(3_000),
    },
    // A tie at 1 is ordered by origin.
    {
      origin: ADMIN,
      count: 1,
      reasons: [METHOD_REFUSED],
      routes: ["/admin/*"],
      firstSeen: iso(7_000),
      lastSeen: iso(7_000),
    },
    {
      origin: EVIL,
      count: 1,
      reasons: [ORIGIN_REFUSED],
      routes: [null],
      firstSeen: iso(4_000),
      lastSeen: iso(4_000),
    },
  ],
  byReason: [
    {
      reason: ORIGIN_REFUSED,
      count: 6,
      origins: 3,
      example: {
        origin: PARTNER,
        reason: `Origin ${PARTNER} is not allowed`,
        fix: `add "${PARTNER}" (or a pattern covering it) to allowOrigins`,
      },
      firstSeen: iso(0),
      lastSeen: iso(8_000),
    },
    {
      reason: METHOD_REFUSED,
      count: 2,
      origins: 2,
      example: {
        origin: APP,
        reason: "Access-Control-Request-Method DELETE is not in allowMethods",
        fix: 'add "DELETE" to allowMethods',
      },
      firstSeen: iso(2_000),
      lastSeen: iso(7_000),
    },
  ],
  byRoute: [
    {
      route: null,
      count: 5,
      origins: 3,
      reasons: [ORIGIN_REFUSED, METHOD_REFUSED],
      firstSeen: iso(0),
      lastSeen: iso(8_000),
    },
    {
      route: "/admin/*",
      count: 3,
      origins: 3,
      reasons: [ORIGIN_REFUSED, METHOD_REFUSED],
      firstSeen: iso(3_000),
      lastSeen: iso(7_000),
    },
  ],
};

async function reportJson(args: string[]): Promise<ReportCommandJson> {
  const r = await runCli(["report", ...args, "--json"]);
  expect(r.stderr).toBe("");
  const j = JSON.parse(r.stdout) as ReportCommandJson;
  expect(shapeErrors(j, REPORT_JSON)).toEqual([]);
  expect(r.code).toBe(j.refused > 0 ? 1 : 0);
  return j;
}

describe("report: the same decisions, whatever carried them, give the same counts", () => {
  const carriers: Array<[string, (lines: string[]) => string]> = [
    ["plain JSON lines", (lines) => `${lines.join("\n")}\n`],
    [
      "wrangler dev output (its own lines in between)",
      (lines) =>
        [
          "⛅️ wrangler 4.86.0",
          "[wrangler:info] Ready on http://127.0.0.1:8787",
          ...lines.flatMap((l) => [l, "[wrangler:info] GET /v1/items 200 OK (4ms)"]),
          "[wrangler:info] shutting down",
        ].join("\n"),
    ],
    [
      "wrangler tail --format json (pretty-printed events, other logs, events without logs)",
      (lines) =>
        [
          tailEvent([], T0 - 1),
          ...lines.map((l, i) => tailEvent(["edge-cors: something else", l], T0 + i)),
          tailEvent(["not a decision: {half a brace"], T0 + 99),
        ].join("\n"),
    ],
    [
      "wrangler tail, compact JSON objects one per line",
      (lines) => lines.map((l, i) => JSON.stringify(JSON.parse(tailEvent([l], T0 + i)))).join("\n"),
    ],
    ["CloudWatch text lines", (lines) => lines.map((l, i) => cloudWatchLine(l, T0 + i)).join("\n")],
    [
      "CloudWatch JSON log format",
      (lines) =>
        lines
          .map((l, i) =>
            JSON.stringify({ timestamp: iso(i), level: "INFO", requestId: "r", message: l }),
          )
          .join("\n"),
    ],
    ["CRLF line ends", (lines) => `${lines.join("\r\n")}\r\n`],
  ];

  it.each(carriers)("%s", async (_name, carry) => {
    const lines = await decisionLines(CALLS, 100, "all");
    expect(lines).toHaveLength(9);
    const j = await reportJson([logFile(carry(lines))]);
    expect(j).toMatchObject(EXPECTED);
  });
});

describe("report: counts", () => {
  it("cors.decision.dropped lines count into total and refused, not into the groups", async () => {
    const burst: Call[] = Array.from({ length: 12 }, (_, i) => ({
      at: i,
      origin: `https://caller${i}.example`,
      path: "/v1/items",
    }));
    // Rate 5: 5 lines, then the next window's first decision writes the summary (7 dropped).
    const lines = await decisionLines([...burst, { at: 1500, origin: EVIL, path: "/x" }], 5);
    expect(lines.map((l) => JSON.parse(l).event)).toEqual([
      ...Array(5).fill("cors.decision"),
      "cors.decision.dropped",
      "cors.decision",
    ]);
    const j = await reportJson([logFile(lines.join("\n"))]);
    expect(j.total).toBe(13);
    expect(j.refused).toBe(13);
    expect(j.dropped).toEqual({ count: 7, refused: 7 });
    expect(j.byOrigin.reduce((n, g) => n + g.count, 0)).toBe(6);
  });

  it("allowed decisions count into total only; a log with none refused exits 0", async () => {
    const lines = await decisionLines([{ at: 0, origin: APP, path: "/v1/items" }], 100, "all");
    const j = await reportJson([logFile(lines.join("\n"))]);
    expect(j).toMatchObject({ total: 1, refused: 0, allowed: 1, byOrigin: [] });
  });

  it("no decision lines at all: zero counts, a hint, exit 0", async () => {
    const r = await runCli(["report", logFile("hello\n[wrangler:info] Ready\n{not json\n")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No decision lines found");
  });

  it("lines that look like decisions but are not well formed are skipped", async () => {
    const j = await reportJson([
      logFile(
        [
          '{"event":"cors.decision","allowed":"no","kind":"actual","origin":"https://x.example"}',
          '{"event":"cors.decision.dropped","count":-3}',
          '{"event":"cors.decision","allowed":false,"kind":"actual","origin":42,"route":null}',
        ].join("\n"),
      ),
    ]);
    expect(j).toMatchObject({ total: 0, input: { lines: 3, skipped: 3 } });
  });
});

describe("report: the human tables", () => {
  it("three tables, most refused first, with counts and first/last seen", async () => {
    const lines = await decisionLines(CALLS);
    const file = logFile(lines.join("\n"));
    const r = await runCli(["report", file]);
    expect(r.code).toBe(1);
    expect(r.stdout.replace(file, "captured.log")).toMatchSnapshot();
  });

  it("attacker-controlled values cannot drive the terminal: controls and bidi are shown escaped", async () => {
    const hostile = `https://x.example\u001b[2J\u202e`;
    const line = JSON.stringify({
      event: "cors.decision",
      mode: "report",
      allowed: false,
      kind: "actual",
      origin: hostile,
      method: "GET",
      path: "/\u0007",
      route: null,
      refusal: "origin-not-allowed",
      reason: `Origin ${hostile} is not allowed`,
      fix: null,
      time: iso(0),
    });
    const r = await runCli(["report", logFile(line)]);
    const unsafe = [...r.stdout].filter((c) => (c < " " && c !== "\n") || c === "\u202e");
    expect(unsafe).toEqual([]);
    expect(r.stdout).toContain("https://x.example\\u001b[2J\\u202e");
  });
});

describe("report: the real bin", () => {
  it("reads standard input (-), e.g. piped from wrangler tail --format json", async () => {
    const lines = await decisionLines(CALLS);
    const input = lines.map((l, i) => tailEvent([l], T0 + i)).join("\n");
    const r = await spawnCli(["report", "-", "--json"], {}, input);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "edge-cors: reading standard input until it ends (Ctrl-C: stop and report)\n",
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ source: "-", total: 8, refused: 8 });
  });

  it("Ctrl-C ends a live input (wrangler tail never ends) and prints the report", async () => {
    const lines = await decisionLines(CALLS);
    const child = spawn(process.execPath, [BIN, "report", "-", "--json"], {
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    const listening = new Promise<void>((resolve) =>
      child.stderr.on("data", (c) => {
        stderr += c;
        if (stderr.includes("reading standard input")) resolve();
      }),
    );
    child.stdin.write(`${lines.join("\n")}\n`); // and the pipe stays open, like tail's
    await listening; // the bin is up and Ctrl-C is handled; give it a moment to read the lines
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("close", r));
    clearTimeout(killer);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ total: 8, refused: 8 });
  });

  it.each([
    [["report", "/no/such/log"], 2, "edge-cors: /no/such/log: no such file\n"],
    [
      ["report", "--accept", APP],
      2,
      "edge-cors: --accept needs --policy FILE: the policy to add the origins to\n",
    ],
    [
      ["report", "--policy", "good.json"],
      2,
      "edge-cors: --policy is for --accept ORIGIN…: name the origins to add\n",
    ],
  ])("%j: exit %d, one line", async (args, code, stderr) => {
    const r = await spawnCli(args, {}, "");
    expect(r).toMatchObject({ code, stderr });
  });
});
