import { createCors } from "@edge-cors/core";
import { Hono } from "hono";
import type { cors as honoCors } from "hono/cors";
import { describe, expect, it } from "vitest";
import {
  cors,
  HONO_DEFAULT_HEADERS,
  HONO_DEFAULT_METHODS,
  type HonoCorsOptions,
  toCorsPolicy,
} from "../../src/index.ts";
import { bothApps, URL_BASE } from "../helpers/apps.ts";
import {
  actualPasses,
  actualRequest,
  type CorsCall,
  exposed,
  preflightPasses,
  preflightRequest,
} from "../helpers/browser.ts";

// Type level: the drop-in accepts exactly hono/cors's options type, both ways.
type HonoOptions = NonNullable<Parameters<typeof honoCors>[0]>;
const _accepts: (o: HonoOptions) => HonoCorsOptions = (o) => o;
const _same: (o: HonoCorsOptions) => HonoOptions = (o) => o;
void _accepts;
void _same;

const APP = "https://app.example.com";
const OTHER = "https://other.example.net";

/** A request and what a browser must conclude, identically for hono/cors and the drop-in. */
interface Probe {
  kind: "preflight" | "actual";
  call: CorsCall;
  passes: boolean;
  /** Extra check on the drop-in's response only (hono/cors spells some headers differently). */
  check?: (res: Response) => void;
}

interface Row {
  option: keyof HonoCorsOptions | "(none)";
  value: string;
  options: HonoCorsOptions | undefined;
  /** The core policy it maps to (functions compared by type). */
  policy: Record<string, unknown>;
  probes: Probe[];
}

const endsWithExample = (origin: string) => (origin.endsWith(".example.com") ? origin : null);

const rows: Row[] = [
  {
    option: "(none)",
    value: "cors()",
    options: undefined,
    policy: {
      allowOrigins: "*",
      allowMethods: HONO_DEFAULT_METHODS,
      allowHeaders: HONO_DEFAULT_HEADERS,
    },
    probes: [
      { kind: "actual", call: { origin: OTHER }, passes: true },
      {
        kind: "preflight",
        call: { origin: OTHER, method: "PUT", headers: ["content-type", "x-any"] },
        passes: true,
      },
      {
        kind: "preflight",
        call: { origin: OTHER, method: "DELETE", headers: ["authorization"] },
        passes: true,
      },
      { kind: "preflight", call: { origin: OTHER, method: "QUERY" }, passes: true },
      { kind: "preflight", call: { origin: OTHER, method: "PROPFIND" }, passes: false },
    ],
  },
  {
    option: "origin",
    value: '"*"',
    options: { origin: "*" },
    policy: { allowOrigins: "*" },
    probes: [{ kind: "actual", call: { origin: OTHER }, passes: true }],
  },
  {
    option: "origin",
    value: "a string",
    options: { origin: APP },
    policy: { allowOrigins: [APP] },
    probes: [
      { kind: "actual", call: { origin: APP }, passes: true },
      { kind: "actual", call: { origin: OTHER }, passes: false },
      { kind: "preflight", call: { origin: APP, method: "PUT" }, passes: true },
      { kind: "preflight", call: { origin: OTHER, method: "PUT" }, passes: false },
    ],
  },
  {
    option: "origin",
    value: "a list",
    options: { origin: [APP, "http://localhost:5173"] },
    policy: { allowOrigins: [APP, "http://localhost:5173"] },
    probes: [
      { kind: "actual", call: { origin: "http://localhost:5173" }, passes: true },
      { kind: "actual", call: { origin: "http://localhost:5174" }, passes: false },
      { kind: "preflight", call: { origin: APP, method: "DELETE" }, passes: true },
    ],
  },
  {
    option: "origin",
    value: "a function",
    options: { origin: endsWithExample },
    policy: { allowOrigins: expect.any(Function) },
    probes: [
      { kind: "actual", call: { origin: "https://a.example.com" }, passes: true },
      { kind: "actual", call: { origin: OTHER }, passes: false },
      { kind: "preflight", call: { origin: "https://b.example.com", method: "PUT" }, passes: true },
      { kind: "preflight", call: { origin: OTHER, method: "PUT" }, passes: false },
    ],
  },
  {
    option: "origin",
    value: "an async function",
    options: { origin: async (o) => endsWithExample(o) },
    policy: { allowOrigins: expect.any(Function) },
    probes: [
      { kind: "actual", call: { origin: "https://a.example.com" }, passes: true },
      { kind: "preflight", call: { origin: OTHER, method: "PUT" }, passes: false },
    ],
  },
  {
    option: "allowMethods",
    value: "a list",
    options: { origin: APP, allowMethods: ["GET", "POST", "PUT"] },
    policy: { allowOrigins: [APP], allowMethods: ["GET", "POST", "PUT"] },
    probes: [
      { kind: "preflight", call: { origin: APP, method: "PUT" }, passes: true },
      { kind: "preflight", call: { origin: APP, method: "DELETE" }, passes: false },
    ],
  },
  {
    option: "allowMethods",
    value: "a function",
    options: {
      origin: [APP, "https://admin.example.com"],
      allowMethods: (origin) =>
        origin === "https://admin.example.com" ? ["PUT", "DELETE"] : ["PUT"],
    },
    // Called per OPTIONS request; the policy holds what it returned.
    policy: { allowOrigins: [APP, "https://admin.example.com"] },
    probes: [
      {
        kind: "preflight",
        call: { origin: "https://admin.example.com", method: "DELETE" },
        passes: true,
      },
      { kind: "preflight", call: { origin: APP, method: "PUT" }, passes: true },
      { kind: "preflight", call: { origin: APP, method: "DELETE" }, passes: false },
      { kind: "actual", call: { origin: APP, method: "DELETE" }, passes: true },
    ],
  },
  {
    option: "allowHeaders",
    value: "a list",
    options: { origin: APP, allowHeaders: ["X-Custom", "Content-Type"] },
    policy: { allowOrigins: [APP], allowHeaders: ["X-Custom", "Content-Type"] },
    probes: [
      {
        kind: "preflight",
        call: { origin: APP, method: "PUT", headers: ["x-custom", "content-type"] },
        passes: true,
      },
      {
        kind: "preflight",
        call: { origin: APP, method: "PUT", headers: ["x-other"] },
        passes: false,
      },
    ],
  },
  {
    option: "allowHeaders",
    value: "[] (reflect, hono/cors's default)",
    options: { origin: APP, allowHeaders: [] },
    policy: { allowOrigins: [APP], allowHeaders: HONO_DEFAULT_HEADERS },
    probes: [
      {
        kind: "preflight",
        call: { origin: APP, method: "PUT", headers: ["authorization", "x-anything"] },
        passes: true,
        check: (res) =>
          expect(res.headers.get("access-control-allow-headers")).toBe("*, authorization"),
      },
    ],
  },
  {
    option: "maxAge",
    value: "600",
    options: { origin: APP, maxAge: 600 },
    policy: { allowOrigins: [APP], maxAge: 600 },
    probes: [
      {
        kind: "preflight",
        call: { origin: APP, method: "PUT" },
        passes: true,
        check: (res) => expect(res.headers.get("access-control-max-age")).toBe("600"),
      },
    ],
  },
  {
    option: "credentials",
    value: "true",
    options: { origin: [APP], credentials: true },
    policy: { allowOrigins: [APP], allowCredentials: true },
    probes: [
      { kind: "actual", call: { origin: APP, credentials: true }, passes: true },
      {
        kind: "preflight",
        call: {
          origin: APP,
          credentials: true,
          method: "PATCH",
          headers: ["authorization", "x-trace"],
        },
        passes: true,
        // With credentials `*` is literal: the core answers with the names asked for.
        check: (res) =>
          expect(res.headers.get("access-control-allow-headers")).toBe("authorization,x-trace"),
      },
      { kind: "actual", call: { origin: OTHER, credentials: true }, passes: false },
    ],
  },
  {
    option: "credentials",
    value: "false",
    options: { origin: [APP], credentials: false },
    policy: { allowOrigins: [APP], allowCredentials: false },
    probes: [
      { kind: "actual", call: { origin: APP }, passes: true },
      { kind: "actual", call: { origin: APP, credentials: true }, passes: false },
    ],
  },
  {
    option: "exposeHeaders",
    value: "a list",
    options: { origin: APP, exposeHeaders: ["X-Request-Id", "ETag"] },
    policy: { allowOrigins: [APP], exposeHeaders: ["X-Request-Id", "ETag"] },
    probes: [
      {
        kind: "actual",
        call: { origin: APP },
        passes: true,
        check: (res) => expect(exposed(res)).toEqual(["x-request-id", "etag"]),
      },
    ],
  },
];

describe("every hono/cors option maps onto the core policy", () => {
  it("the table covers every option of hono/cors", () => {
    const all: Record<keyof HonoCorsOptions, true> = {
      origin: true,
      allowMethods: true,
      allowHeaders: true,
      maxAge: true,
      credentials: true,
      exposeHeaders: true,
    };
    expect(new Set(rows.map((r) => r.option))).toEqual(new Set(["(none)", ...Object.keys(all)]));
  });

  describe.each(rows.map((r) => [`${r.option}: ${r.value}`, r] as const))("%s", (_name, row) => {
    it("maps to the expected core policy, which the core accepts", () => {
      const methods = typeof row.options?.allowMethods === "function" ? ["PUT"] : undefined;
      const policy = toCorsPolicy(row.options, methods);
      expect(policy).toMatchObject(row.policy);
      expect(() => createCors(policy)).not.toThrow();
    });

    it.each(
      row.probes.map((p) => [`${p.kind} from ${p.call.origin} ${p.call.method ?? ""}`, p] as const),
    )("%s: same browser outcome as hono/cors", async (_label, probe) => {
      const { hono, edge } = bothApps(row.options);
      const make = probe.kind === "preflight" ? preflightRequest : actualRequest;
      const verdict = probe.kind === "preflight" ? preflightPasses : actualPasses;
      const url = `${URL_BASE}/api/items`;
      const ours = await edge.request(make(url, probe.call));
      const theirs = await hono.request(make(url, probe.call));
      expect(verdict(ours, probe.call)).toBe(probe.passes);
      expect(verdict(theirs, probe.call)).toBe(probe.passes);
      probe.check?.(ours);
      if (probe.kind === "actual") {
        // The app's own response went through, unchanged apart from the CORS headers.
        expect(ours.status).toBe(theirs.status);
        expect(await ours.text()).toBe(await theirs.text());
      }
    });
  });
});

// L4 (red team): with an allowMethods function the preflight answer depends on the Origin the
// function saw, even under origin "*", so it must vary on Origin.
describe("an allowMethods function makes preflight answers vary on Origin", () => {
  it('origin "*" with allowMethods: (origin) => …', async () => {
    const app = new Hono();
    app.use(
      "*",
      cors({ origin: "*", allowMethods: (origin) => (origin === APP ? ["PUT"] : ["GET"]) }),
    );
    app.all("*", (c) => c.text("app"));
    const res = await app.request(`${URL_BASE}/x`, {
      method: "OPTIONS",
      headers: { origin: APP, "access-control-request-method": "PUT" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-methods")).toBe("PUT");
    expect(res.headers.get("vary")?.split(", ")).toContain("Origin");
  });
});
