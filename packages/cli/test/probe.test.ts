/**
 * `probe` end to end: the real CLI (a subprocess, as `pnpm exec edge-cors` runs it) against local
 * 127.0.0.1 servers that are each misconfigured one way, plus a correct one built on the core.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeJson } from "../src/index.ts";
import { runCli, spawnCli, stablePorts, stripAnsi } from "./helpers/cli.ts";
import { coreHandler, type Handler, startServer, type TestServer } from "./helpers/servers.ts";
import { PROBE_JSON, shapeErrors } from "./helpers/shape.ts";

const APP = "https://app.example.com";
const ACAO = "Access-Control-Allow-Origin";
const ACAC = "Access-Control-Allow-Credentials";
const ACAM = "Access-Control-Allow-Methods";
const ACAH = "Access-Control-Allow-Headers";

/** Answers OPTIONS with `pre` (status `preStatus`) and everything else 200 with `actual`. */
function answer(pre: OutgoingHttpHeaders, actual: OutgoingHttpHeaders, preStatus = 204): Handler {
  return (req, res) => {
    req.resume();
    if (req.method === "OPTIONS") res.writeHead(preStatus, pre).end();
    else res.writeHead(200, { "content-type": "text/plain", ...actual }).end("ok");
  };
}

/** The policy of the correct server (the core answers every CORS header). */
const POLICY = {
  allowOrigins: [APP],
  allowMethods: ["PUT", "DELETE", "PATCH"],
  allowHeaders: ["Content-Type", "Authorization", "X-Api-Key"],
  exposeHeaders: ["X-Request-Id", "ETag"],
  allowCredentials: true,
  maxAge: 600,
};

interface Case {
  name: string;
  handler: Handler;
  args: string[];
  /** Problem codes, in order; [] for a pass. */
  problems: string[];
  /** The header the first problem (or warning, for a pass) names; null when none applies. */
  header: string | null;
  /** Text the fix must contain. */
  fix: string;
  warning?: string;
}

const cases: Case[] = [
  {
    name: "no Access-Control-Allow-Origin",
    handler: answer({}, {}),
    args: [],
    problems: ["acao-missing"],
    header: ACAO,
    fix: `${ACAO}: ${APP}`,
  },
  {
    name: "another origin in Access-Control-Allow-Origin",
    handler: answer({}, { [ACAO]: "https://admin.example.com", vary: "Origin" }),
    args: [],
    problems: ["acao-mismatch"],
    header: ACAO,
    fix: `${ACAO}: ${APP}`,
  },
  {
    name: "* with credentials",
    handler: answer({}, { [ACAO]: "*", [ACAC]: "true" }),
    args: ["--credentials"],
    problems: ["acao-wildcard-credentials"],
    header: ACAO,
    fix: `${ACAO}: ${APP}`,
  },
  {
    name: "Access-Control-Allow-Credentials: True",
    handler: answer({}, { [ACAO]: APP, [ACAC]: "True", vary: "Origin" }),
    args: ["--credentials"],
    problems: ["acac-invalid"],
    header: ACAC,
    fix: `${ACAC}: true`,
  },
  {
    name: "method not granted",
    handler: answer({ [ACAO]: APP, [ACAM]: "GET, POST", vary: "Origin" }, { [ACAO]: APP }),
    args: ["--method", "PUT"],
    problems: ["method-not-allowed"],
    header: ACAM,
    fix: `${ACAM}: GET, POST, PUT`,
  },
  {
    name: "lower-case patch against PATCH",
    handler: answer({ [ACAO]: APP, [ACAM]: "PATCH" }, { [ACAO]: APP }),
    args: ["--method", "patch"],
    problems: ["method-case-mismatch"],
    header: ACAM,
    fix: `${ACAM}: PATCH, patch`,
  },
  {
    name: "request header not granted",
    handler: answer({ [ACAO]: APP, [ACAM]: "PUT", [ACAH]: "content-type" }, { [ACAO]: APP }),
    args: ["--method", "PUT", "--header", "X-Api-Key: k1"],
    problems: ["header-not-allowed"],
    header: ACAH,
    fix: `${ACAH}: content-type, x-api-key`,
  },
  {
    name: "Authorization only under *",
    handler: answer({ [ACAO]: "*", [ACAM]: "*", [ACAH]: "*" }, { [ACAO]: "*" }),
    args: ["--method", "PUT", "--header", "Authorization: Bearer t"],
    problems: ["acah-wildcard-authorization"],
    header: ACAH,
    fix: `${ACAH}: *, authorization`,
  },
  {
    name: "403 answering the preflight",
    handler: answer({ [ACAO]: APP, [ACAM]: "PUT" }, { [ACAO]: APP }, 403),
    args: ["--method", "PUT"],
    problems: ["preflight-status"],
    header: null,
    fix: "204",
  },
  {
    name: "redirect answering the preflight",
    handler: answer({ [ACAO]: APP, [ACAM]: "PUT", location: "/api/" }, { [ACAO]: APP }, 301),
    args: ["--method", "PUT"],
    problems: ["preflight-redirect"],
    header: null,
    fix: "instead of redirecting",
  },
  {
    name: "two Access-Control-Allow-Origin values",
    handler: answer({}, { [ACAO]: [APP, "https://admin.example.com"], vary: "Origin" }),
    args: [],
    problems: ["acao-multiple"],
    header: ACAO,
    fix: `${ACAO}: ${APP} (exactly one value)`,
  },
  {
    name: "response header not exposed",
    handler: answer({}, { [ACAO]: "*", "x-request-id": "r-1" }),
    args: ["--read-header", "X-Request-Id"],
    problems: ["header-not-exposed"],
    header: "Access-Control-Expose-Headers",
    fix: "Access-Control-Expose-Headers: x-request-id",
  },
  {
    name: "redirect without CORS headers on the actual request",
    handler: (req, res) => {
      req.resume();
      if (req.url === "/api") res.writeHead(302, { location: "/api/v2" }).end();
      else res.writeHead(200, { [ACAO]: "*" }).end("ok");
    },
    args: [],
    problems: ["acao-missing"],
    header: ACAO,
    fix: `${ACAO}: ${APP}`,
  },
  {
    name: "missing Vary (passes with a warning)",
    handler: answer({}, { [ACAO]: APP }),
    args: [],
    problems: [],
    header: "Vary",
    fix: "Vary: Origin",
    warning: "vary-origin-missing",
  },
];

describe("probe diagnoses each misconfigured server (real CLI subprocess, --json)", () => {
  const servers = new Map<string, TestServer>();
  beforeAll(async () => {
    for (const c of cases) servers.set(c.name, await startServer(c.handler, { maxRequests: 10 }));
  });
  afterAll(async () => {
    await Promise.all([...servers.values()].map((s) => s.close()));
  });

  it.concurrent.each(cases)("$name", async (c) => {
    const server = servers.get(c.name)!;
    const url = `${server.origin}/api`;
    const r = await spawnCli(["probe", url, "--origin", APP, ...c.args, "--json"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as ProbeJson;
    expect(shapeErrors(out, PROBE_JSON)).toEqual([]);
    expect(out.problems.map((p) => p.code)).toEqual(c.problems);
    expect(r.code).toBe(c.problems.length === 0 ? 0 : 1);
    expect(out.ok).toBe(c.problems.length === 0);
    const finding =
      c.warning === undefined ? out.problems[0] : out.warnings.find((w) => w.code === c.warning);
    expect(finding).toBeDefined();
    if (c.header === null) expect(finding!.header).toBeUndefined();
    else expect(finding!.header).toBe(c.header);
    expect(finding!.fix).toContain(c.fix);
    // A preflight never carries credentials, whatever the request does.
    for (const s of server.seen.filter((x) => x.method === "OPTIONS")) {
      expect(s.headers.cookie).toBeUndefined();
      expect(s.headers.origin).toBe(APP);
    }
  });
});

describe("probe against a correct server built on @edge-cors/core", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(coreHandler(POLICY), { maxRequests: 30 });
  });
  afterAll(() => server.close());

  const credentialedPut = () => [
    "probe",
    `${server.origin}/api/items?id=1`,
    "--origin",
    APP,
    "--method",
    "PUT",
    "--header",
    "Content-Type: application/json",
    "--header",
    "X-Api-Key: k1",
    "--header",
    "Authorization: Bearer t",
    "--credentials",
    "--cookie",
    "sid=abc",
    "--data",
    '{"name":"x"}',
    "--read-header",
    "X-Request-Id",
  ];

  it("passes, and sends the preflight and the actual request exactly as a browser does", async () => {
    const before = server.seen.length;
    const r = await spawnCli([...credentialedPut(), "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ProbeJson;
    expect(shapeErrors(out, PROBE_JSON)).toEqual([]);
    expect(out.ok).toBe(true);
    expect(out.problems).toEqual([]);
    expect(out.warnings).toEqual([]);
    expect(out.preflightCache).toEqual({ maxAge: "600", chromium: 600, firefox: 600, webkit: 600 });
    expect(out.exposure?.readable).toEqual(expect.arrayContaining(["x-request-id", "etag"]));
    expect(out.status).toBe(200);

    const [pre, actual] = server.seen.slice(before) as Array<{
      method: string;
      url: string;
      headers: IncomingHttpHeaders;
    }>;
    expect(pre?.method).toBe("OPTIONS");
    expect(pre?.url).toBe("/api/items?id=1");
    expect(pre?.headers["access-control-request-method"]).toBe("PUT");
    // Lower-cased, sorted, comma-joined without spaces.
    expect(pre?.headers["access-control-request-headers"]).toBe(
      "authorization,content-type,x-api-key",
    );
    expect(pre?.headers.cookie).toBeUndefined();
    expect(pre?.headers.authorization).toBeUndefined();
    expect(actual?.method).toBe("PUT");
    expect(actual?.headers.cookie).toBe("sid=abc");
    expect(actual?.headers.authorization).toBe("Bearer t");
    expect(actual?.headers.origin).toBe(APP);
  });

  it("a simple GET sends no preflight", async () => {
    const before = server.seen.length;
    const r = await spawnCli(["probe", `${server.origin}/`, "--origin", APP, "--json"]);
    const out = JSON.parse(r.stdout) as ProbeJson;
    expect(r.code).toBe(0);
    expect(out.preflight.needed).toBe(false);
    expect(server.seen.slice(before).map((s) => s.method)).toEqual(["GET"]);
  });

  it("a refused origin is diagnosed from the core's answer", async () => {
    const r = await runCli([
      "probe",
      `${server.origin}/api`,
      "--origin",
      "https://evil.example",
      "--method",
      "DELETE",
      "--json",
    ]);
    const out = JSON.parse(r.stdout) as ProbeJson;
    expect(r.code).toBe(1);
    expect(out.steps.map((s) => [s.kind, s.response?.status])).toEqual([["preflight", 403]]);
    expect(out.problems.map((p) => [p.code, p.header ?? null])).toEqual([
      ["acao-missing", ACAO],
      ["preflight-status", null],
      ["method-not-allowed", ACAM],
    ]);
  });

  it("human output (snapshot, no colour)", async () => {
    const r = await runCli(credentialedPut());
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("\u001b[");
    expect(stablePorts(r.stdout)).toMatchSnapshot();
  });
});

describe("probe human output for failures (snapshots)", () => {
  const servers: TestServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  const start = async (h: Handler) => {
    const s = await startServer(h, { maxRequests: 5 });
    servers.push(s);
    return s;
  };

  it("lower-case patch", async () => {
    const s = await start(answer({ [ACAO]: APP, [ACAM]: "PATCH", vary: "Origin" }, {}));
    const r = await runCli(["probe", `${s.origin}/api`, "--origin", APP, "--method", "patch"]);
    expect(r.code).toBe(1);
    expect(stablePorts(r.stdout)).toMatchSnapshot();
  });

  it("* with credentials on a credentialed GET", async () => {
    const s = await start(answer({}, { [ACAO]: "*", [ACAC]: "true", "x-request-id": "1" }));
    const r = await runCli([
      "probe",
      `${s.origin}/data`,
      "--origin",
      APP,
      "--credentials",
      "--read-header",
      "x-request-id",
    ]);
    expect(r.code).toBe(1);
    expect(stablePorts(r.stdout)).toMatchSnapshot();
  });

  it("colour on a terminal, none with --no-color", async () => {
    const s = await start(answer({}, {}));
    const colored = await runCli(["probe", `${s.origin}/`, "--origin", APP], true);
    expect(colored.stdout).toContain("\u001b[31m");
    const plain = await runCli(["--no-color", "probe", `${s.origin}/`, "--origin", APP], true);
    expect(plain.stdout).not.toContain("\u001b[");
    expect(plain.stdout).toBe(stripAnsi(colored.stdout));
  });
});

describe("probe per engine (--engine, --cache)", () => {
  const servers: TestServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  const start = async (h: Handler) => {
    const s = await startServer(h, { maxRequests: 20 });
    servers.push(s);
    return s;
  };
  /** `*` everywhere, Max-Age 600: what engines accept for Authorization and the standard does not. */
  const wildcard = answer(
    { [ACAO]: "*", [ACAM]: "*", [ACAH]: "*", "access-control-max-age": "600" },
    { [ACAO]: "*" },
  );
  const auth = ["--header", "Authorization: Bearer t"];

  it("Authorization under ACAH *: the standard fails, each engine passes with a warning; one request each", async () => {
    const s = await start(wildcard);
    const r = await spawnCli(["probe", `${s.origin}/x`, "--origin", APP, ...auth, "--json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as ProbeJson;
    expect(shapeErrors(out, PROBE_JSON)).toEqual([]);
    expect(out.ok).toBe(false);
    expect(out.browser.ok).toBe(false);
    expect(out.browser.problems.map((p) => p.code)).toEqual(["acah-wildcard-authorization"]);
    for (const [engine, v] of Object.entries(out.browser.engines)) {
      expect(v.ok, engine).toBe(true);
      expect(v.warnings.map((w) => w.code)).toContain("acah-wildcard-authorization");
      expect(v.preflightCache).toBe(600);
    }
    // Four rulesets judged one exchange: the server saw one preflight and one GET.
    expect(s.seen.map((x) => x.method)).toEqual(["OPTIONS", "GET"]);
  });

  it("--engine webkit --cache no-store: only WebKit, which still reuses the preflight", async () => {
    const s = await start(wildcard);
    const r = await runCli([
      "probe",
      `${s.origin}/x`,
      "--origin",
      APP,
      "--method",
      "PUT",
      "--engine",
      "webkit",
      "--cache",
      "no-store",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ProbeJson;
    expect(out.browser.cache).toBe("no-store");
    expect(Object.keys(out.browser.engines)).toEqual(["webkit"]);
    expect(out.browser.engines.webkit?.preflightCache).toBe(600);
  });

  it("a preflighted PUT redirected across origins: Firefox's second preflight keeps the page's Origin", async () => {
    const target = await start(
      answer({ [ACAO]: "*", [ACAM]: "PUT", [ACAH]: "x-api-key" }, { [ACAO]: "*" }),
    );
    const first = await start((req, res) => {
      req.resume();
      const grant = { [ACAO]: APP, vary: "Origin" };
      if (req.method === "OPTIONS")
        res.writeHead(204, { ...grant, [ACAM]: "PUT", [ACAH]: "x-api-key" }).end();
      else res.writeHead(307, { ...grant, location: `${target.origin}/moved` }).end();
    });
    const args = ["probe", `${first.origin}/x`, "--origin", APP, "--method", "PUT"];
    const r = await runCli([...args, "--header", "X-Api-Key: 1", "--json"]);
    expect(r.code).toBe(0);
    // Standard, Chromium and WebKit send one preflight with Origin: null; Firefox another.
    expect(target.seen.map((x) => [x.method, x.headers.origin])).toEqual([
      ["OPTIONS", "null"],
      ["PUT", "null"],
      ["OPTIONS", APP],
    ]);
    const chromiumOnly = await runCli([
      ...args,
      "--header",
      "X-Api-Key: 1",
      "--engine",
      "chromium",
    ]);
    expect(chromiumOnly.code).toBe(0);
    expect(target.seen).toHaveLength(5);
  });

  it("human output where the engines differ (snapshot)", async () => {
    const s = await start(wildcard);
    const r = await runCli(["probe", `${s.origin}/x`, "--origin", APP, ...auth]);
    expect(r.code).toBe(1);
    expect(stablePorts(r.stdout)).toMatchSnapshot();
  });
});
