/**
 * `report --policy FILE --accept ORIGIN…`: the policy with exactly the accepted origins added,
 * validated by the core; never `*`, `null` or a pattern the validator refuses; the log's
 * refusals replayed through the new policy.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ReportCommandJson } from "../src/index.ts";
import { runCli, spawnCli } from "./helpers/cli.ts";
import { APP, decisionLines, EVIL, PARTNER, REPORT_POLICY } from "./helpers/decision-logs.ts";
import { REPORT_JSON } from "./helpers/report-shape.ts";
import { shapeErrors } from "./helpers/shape.ts";

const work = mkdtempSync(join(tmpdir(), "edge-cors-cli-accept-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
};

const policyFile = write("policy.json", JSON.stringify(REPORT_POLICY, null, 2));
const credentialed = write(
  "credentialed.json",
  JSON.stringify({ allowOrigins: [APP], allowCredentials: true }),
);
const wranglerToml = write(
  "wrangler.toml",
  `name = "api"\n[vars]\nCORS_POLICY = '${JSON.stringify(REPORT_POLICY)}'\n`,
);
const log = write(
  "captured.log",
  (
    await decisionLines([
      { at: 0, origin: PARTNER, path: "/v1/items" },
      { at: 1, origin: PARTNER, path: "/admin/users" },
      { at: 2, origin: PARTNER, path: "/v1/items", preflight: "PUT" },
      { at: 3, origin: EVIL, path: "/v1/items" },
    ])
  ).join("\n"),
);

async function accept(args: string[]) {
  const r = await runCli(["report", log, ...args, "--json"]);
  const j = JSON.parse(r.stdout) as ReportCommandJson;
  expect(shapeErrors(j, REPORT_JSON)).toEqual([]);
  return { code: r.code, accept: j.accept! };
}

describe("report --accept: what is added, where", () => {
  it.each([
    {
      name: "one origin, top level; the log still shows it refused on a route",
      args: ["--policy", policyFile, "--accept", PARTNER],
      allowOrigins: [APP, PARTNER],
      added: [{ origin: PARTNER, to: "allowOrigins", refusedInLog: 3 }],
      stillRefused: [{ origin: PARTNER, path: "/admin/users", route: "/admin/*" }],
    },
    {
      name: "--route: into that route's list",
      args: ["--policy", policyFile, "--accept", PARTNER, "--route", "/admin/*"],
      allowOrigins: [APP],
      routeOrigins: ["https://admin.example.com", PARTNER],
      added: [{ origin: PARTNER, to: "routes[0].allowOrigins", refusedInLog: 3 }],
      stillRefused: [{ origin: PARTNER, path: "/v1/items", route: null }],
    },
    {
      name: "already listed, and one the log never shows: listed once, noted",
      args: ["--policy", policyFile, "--accept", APP, "--accept", "https://new.example"],
      allowOrigins: [APP, "https://new.example"],
      added: [{ origin: "https://new.example", to: "allowOrigins", refusedInLog: 0 }],
      alreadyListed: [APP],
      notInLog: [APP, "https://new.example"],
      stillRefused: [],
    },
    {
      name: "from a wrangler.toml's CORS_POLICY",
      args: ["--policy", wranglerToml, "--accept", PARTNER, "--accept", EVIL],
      allowOrigins: [APP, PARTNER, EVIL],
      added: [
        { origin: PARTNER, to: "allowOrigins", refusedInLog: 3 },
        { origin: EVIL, to: "allowOrigins", refusedInLog: 1 },
      ],
      stillRefused: [{ origin: PARTNER, path: "/admin/users", route: "/admin/*" }],
    },
  ])("$name", async (c) => {
    const { code, accept: a } = await accept(c.args);
    expect(code).toBe(0);
    const policy = a.policy as typeof REPORT_POLICY;
    expect(policy.allowOrigins).toEqual(c.allowOrigins);
    if (c.routeOrigins) expect(policy.routes[0]!.allowOrigins).toEqual(c.routeOrigins);
    expect(a.added).toEqual(c.added);
    expect(a.alreadyListed).toEqual(c.alreadyListed ?? []);
    if (c.notInLog) expect(a.notInLog).toEqual(c.notInLog);
    expect(a.stillRefused.map(({ reason: _r, ...x }) => x)).toEqual(c.stillRefused);
    expect(a.errors).toEqual([]);
  });
});

describe("report --accept: what it never proposes", () => {
  it.each([
    ["null", policyFile, "null", "origin-null"],
    ["a trailing slash (not what a browser sends)", policyFile, `${APP}/`, "origin-not-serialized"],
    [
      "a pattern on a public suffix, with credentials",
      credentialed,
      "https://*.github.io",
      "public-suffix-pattern",
    ],
  ])(
    "%s: refused by the validator, exit 1, nothing proposed",
    async (_name, file, origin, code) => {
      const { code: exit, accept: a } = await accept(["--policy", file, "--accept", origin]);
      expect(exit).toBe(1);
      expect(a.policy).toBeNull();
      expect(a.errors.map((e) => [e.code, e.path])).toEqual([[code, "allowOrigins[1]"]]);
    },
  );

  it('"*" is not an origin: usage error, before anything is read', async () => {
    const r = await runCli(["report", log, "--policy", credentialed, "--accept", "*"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^edge-cors: --accept "\*": report adds origins one by one/);
    expect(r.stdout).toBe("");
  });

  it.each([
    [
      ["--route", "/nope/*"],
      /--route \/nope\/\*: the policy has no such route \(routes: \/admin\/\*\)/,
    ],
    [["--route", "/admin/*", "--policy", credentialed], /no such route \(routes: none\)/],
  ])("%j: a one-line input error, exit 2", async (extra, message) => {
    const r = await runCli(["report", log, "--policy", policyFile, "--accept", PARTNER, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("report --accept, the real bin", () => {
  it("prints the policy alone on stdout (ready to save), notes on stderr", async () => {
    const r = await spawnCli(["report", log, "--policy", policyFile, "--accept", PARTNER]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ...REPORT_POLICY, allowOrigins: [APP, PARTNER] });
    expect(r.stderr.split("\n")).toEqual([
      `edge-cors: added ${PARTNER} to allowOrigins of ${policyFile} (refused 3 times in the log)`,
      `edge-cors: warning: ${PARTNER} is still refused on /admin/users (route "/admin/*": add it there with --route /admin/*): Origin ${PARTNER} is not allowed`,
      "",
    ]);
  });

  it("a refused result: the validator's problems on stderr, nothing on stdout, exit 1", async () => {
    const r = await spawnCli(["report", log, "--policy", policyFile, "--accept", "null"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^edge-cors: the policy with null added is refused; nothing proposed:\n {2}- allowOrigins\[1\]: "null" is never trusted/,
    );
  });
});
