/**
 * The playground's page server (a second local origin, e.g. http://127.0.0.1:5173). Static
 * files from ./public, plus two JSON endpoints:
 * - GET  /api/config   the layer URL and the policy the layer runs;
 * - POST /api/explain  for a request the page just sent: the browser model's plan, explain()
 *   for each request the browser puts on the wire, and the raw preflight + actual exchange,
 *   replayed against the layer exactly as planned, with the verdict of the Fetch standard and
 *   of each engine on it (each distinct request is replayed once).
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  type BrowserRequest,
  type CredentialsMode,
  ENGINE_PROFILES,
  type Engine,
  type FetchCacheMode,
  isEngine,
  isFetchCacheMode,
  RULESETS,
  type SimulationReport,
  simulateRulesets,
} from "@edge-cors/browser";
import type { Decision } from "@edge-cors/core";
import { type LayerPolicy, readLayerPolicy } from "./config.ts";
import { type RawExchange, replay } from "./replay.ts";

const PUBLIC = join(import.meta.dirname, "public");
const STATIC: Record<string, [string, string]> = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/index.html": ["index.html", "text/html; charset=utf-8"],
  "/sandbox.html": ["sandbox.html", "text/html; charset=utf-8"],
  "/app.js": ["app.js", "text/javascript; charset=utf-8"],
  "/style.css": ["style.css", "text/css; charset=utf-8"],
};
const BODY_LIMIT = 64 * 1024;

export interface PlaygroundOptions {
  /** The edge layer the page talks to, e.g. http://127.0.0.1:8787. */
  layerUrl: string;
  port: number;
  /** wrangler config the layer runs with (for the policy). Default wrangler.toml. */
  wranglerConfig?: string;
}

export interface Playground {
  url: string;
  close(): Promise<void>;
}

interface ExplainInput {
  origin: string;
  path: string;
  method: string;
  headers: Array<[string, string]>;
  credentials: CredentialsMode;
  cache: FetchCacheMode;
  body: string | null;
  /** Replay the actual request too (it reaches the upstream a second time). */
  replayActual: boolean;
  /** The engine the page detected it runs in; null when unknown. */
  engine: Engine | null;
}

interface Step extends RawExchange {
  kind: "preflight" | "actual";
  decision: Decision | null;
  note?: string;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > BODY_LIMIT) throw new Error("request body too large");
    chunks.push(c as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function parseInput(v: unknown, pageOrigin: string): ExplainInput {
  const o = (typeof v === "object" && v !== null ? v : {}) as Record<string, unknown>;
  const str = (x: unknown, d: string) => (typeof x === "string" ? x : d);
  const headers = Array.isArray(o.headers)
    ? o.headers
        .filter((h): h is [string, string] => Array.isArray(h) && h.length === 2)
        .map(([n, v]) => [String(n), String(v)] as [string, string])
        .slice(0, 50)
    : [];
  const credentials = str(o.credentials, "same-origin");
  const cache = str(o.cache, "default");
  const engine = str(o.engine, "");
  return {
    origin: o.origin === "null" ? "null" : pageOrigin,
    path: str(o.path, "/").startsWith("/") ? str(o.path, "/") : `/${str(o.path, "")}`,
    method: str(o.method, "GET"),
    headers,
    credentials: (["omit", "same-origin", "include"].includes(credentials)
      ? credentials
      : "same-origin") as CredentialsMode,
    cache: isFetchCacheMode(cache) ? cache : "default",
    engine: isEngine(engine) ? engine : null,
    body: typeof o.body === "string" && o.body !== "" ? o.body : null,
    replayActual: o.replayActual !== false,
  };
}

function verdictOf(report: SimulationReport) {
  return {
    ruleset: report.ruleset,
    label: ENGINE_PROFILES[report.ruleset].label,
    ok: report.status !== null,
    status: report.status,
    problems: report.problems,
    warnings: report.warnings,
    preflightCacheSeconds: report.preflightCacheSeconds,
    exposed: report.exposure?.exposed ?? [],
    hidden: report.exposure?.hidden ?? [],
  };
}

async function explainRequest(input: ExplainInput, layerUrl: string, policy: LayerPolicy) {
  const layer = new URL(layerUrl).origin;
  const req: BrowserRequest = {
    url: new URL(input.path, layerUrl).href,
    origin: input.origin,
    method: input.method,
    headers: input.headers,
    credentials: input.credentials,
    cache: input.cache,
  };
  const steps: Step[] = [];
  // Called once per distinct request, however many rulesets put it on the wire.
  const reports = await simulateRulesets(req, async (wire) => {
    const url = new URL(wire.url);
    if (url.origin !== layer) throw new Error(`not replayed: ${url.origin} is not the edge layer`);
    const decision = await policy.cors.explain(
      new Request(wire.url, { method: wire.method, headers: wire.headers }),
    );
    if (wire.kind === "actual" && !input.replayActual) {
      const step: Step = {
        kind: wire.kind,
        decision,
        request: { method: wire.method, url: wire.url, headers: Object.entries(wire.headers) },
        response: null,
        note: "not replayed (replay of the actual request is off)",
      };
      steps.push(step);
      throw new Error("actual request not replayed");
    }
    const body =
      wire.kind === "actual" && input.method !== "GET" && input.method !== "HEAD"
        ? input.body
        : null;
    const ex = await replay(wire.method, wire.url, wire.headers, body);
    const step: Step = { kind: wire.kind, decision, ...ex };
    if (wire.credentials)
      step.note = "the browser also attaches its cookies here; the replay has none";
    steps.push(step);
    if (ex.response === null) throw new Error(ex.error ?? "no response");
    return { status: ex.response.status, headers: ex.response.headers };
  });
  const own = reports.get(input.engine ?? "standard")!;
  return {
    plan: {
      crossOrigin: own.plan.crossOrigin,
      method: own.plan.method,
      preflightReasons: own.plan.preflight?.reasons ?? [],
      ignoredForbiddenHeaders: own.plan.ignoredForbiddenHeaders,
    },
    steps,
    engine: input.engine,
    /** The page's own engine's verdict (the standard's when the engine is unknown). */
    verdict: verdictOf(own),
    verdicts: RULESETS.map((r) => verdictOf(reports.get(r)!)),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(JSON.stringify(body));
}

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  let pageOrigin = "";
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://playground.invalid").pathname;
    if (req.method === "GET" && path === "/api/config") {
      // Re-read on every call: edits to wrangler.toml / .dev.vars show up (wrangler dev reloads too).
      const p = readLayerPolicy(options.wranglerConfig);
      return send(res, 200, {
        layerUrl: options.layerUrl,
        pageOrigin,
        policy: p.config.policy,
        policySource: p.config.policySource,
        upstream: p.config.upstream?.href ?? "built-in demo upstream",
        configPath: p.configPath,
        warnings: p.config.warnings,
        rulesets: RULESETS.map((r) => ({ ruleset: r, label: ENGINE_PROFILES[r].label })),
      });
    }
    if (req.method === "POST" && path === "/api/explain") {
      const input = parseInput(await readJson(req), pageOrigin);
      return send(
        res,
        200,
        await explainRequest(input, options.layerUrl, readLayerPolicy(options.wranglerConfig)),
      );
    }
    const file = STATIC[path];
    if ((req.method === "GET" || req.method === "HEAD") && file !== undefined) {
      res.writeHead(200, { "content-type": file[1], "cache-control": "no-store" });
      return res.end(req.method === "HEAD" ? undefined : readFileSync(join(PUBLIC, file[0])));
    }
    send(res, 404, { error: "not_found" });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { error: String(e instanceof Error ? e.message : e) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  pageOrigin = `http://127.0.0.1:${port}`;
  return {
    url: pageOrigin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
