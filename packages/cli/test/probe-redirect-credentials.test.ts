/**
 * M6: credentials never follow a redirect to another origin. The real bin probes server A with
 * a cookie and an Authorization header; A redirects (another port, another host name, the same
 * origin, there and back); both servers log every request they receive.
 *
 * Fetch §HTTP-redirect fetch drops `Authorization` when the redirect leaves the origin (and it
 * stays dropped); a browser's cookie jar sends a cookie only to the host it belongs to (the
 * probed URL's host); `Proxy-Authorization` is never sent at all.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ProbeJson } from "../src/index.ts";
import { spawnCli } from "./helpers/cli.ts";
import { isPreflight, reflectEverything } from "./helpers/cors-grants.ts";
import { startServer, type TestServer } from "./helpers/servers.ts";

const APP = "https://app.example.com";
const COOKIE = "sid=s3cret; theme=dark";
const TOKEN = "Bearer t0ken";
const PROXY_TOKEN = "Basic cHJveHk6c2VjcmV0";

/** One actual (non-preflight) request as a server saw it. */
interface Seen {
  /** `a` or `b`, then the Host header's name part: `a@127.0.0.1`, `b@localhost`. */
  at: string;
  path: string;
  cookie: string | null;
  authorization: string | null;
}

interface Case {
  name: string;
  /** Where A's `/start` redirects. B's `/bounce` redirects back to A's `/landing`. */
  locate: (a: TestServer, b: TestServer) => string;
  /** Every actual request A and B must receive, in order. */
  expected: Seen[];
}

const withCredentials = { cookie: COOKIE, authorization: TOKEN };
const cookieOnly = { cookie: COOKIE, authorization: null };
const none = { cookie: null, authorization: null };

const cases: Case[] = [
  {
    name: "to another port (another origin)",
    locate: (_a, b) => `http://127.0.0.1:${b.port}/landing`,
    expected: [
      { at: "a@127.0.0.1", path: "/start", ...withCredentials },
      { at: "b@127.0.0.1", path: "/landing", ...none },
    ],
  },
  {
    name: "to another host name (localhost on another port)",
    locate: (_a, b) => `http://localhost:${b.port}/landing`,
    expected: [
      { at: "a@127.0.0.1", path: "/start", ...withCredentials },
      { at: "b@localhost", path: "/landing", ...none },
    ],
  },
  {
    name: "to the same server under another host name (localhost, same port)",
    locate: (a) => `http://localhost:${a.port}/landing`,
    expected: [
      { at: "a@127.0.0.1", path: "/start", ...withCredentials },
      { at: "a@localhost", path: "/landing", ...none },
    ],
  },
  {
    name: "to B and back to A (the cookie's host again, Authorization stays dropped)",
    locate: (_a, b) => `http://127.0.0.1:${b.port}/bounce`,
    expected: [
      { at: "a@127.0.0.1", path: "/start", ...withCredentials },
      { at: "b@127.0.0.1", path: "/bounce", ...none },
      { at: "a@127.0.0.1", path: "/landing", ...cookieOnly },
    ],
  },
  {
    name: "within the same origin (credentials kept)",
    locate: (a) => `${a.origin}/landing`,
    expected: [
      { at: "a@127.0.0.1", path: "/start", ...withCredentials },
      { at: "a@127.0.0.1", path: "/landing", ...withCredentials },
    ],
  },
];

describe("probe: credentials on redirects (real CLI subprocess, two 127.0.0.1 servers)", () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it.each(cases)("redirect $name", async (c) => {
    const log: Seen[] = [];
    const preflights: Array<Record<string, unknown>> = [];
    let a: TestServer | null = null;
    let b: TestServer | null = null;
    const serve = (name: "a" | "b", redirects: Record<string, () => string>) =>
      startServer(
        (req, res) => {
          req.resume();
          const cors = reflectEverything(req);
          if (isPreflight(req)) {
            preflights.push(req.headers);
            res.writeHead(204, cors).end();
            return;
          }
          const path = req.url ?? "";
          log.push({
            at: `${name}@${(req.headers.host ?? "").replace(/:\d+$/, "")}`,
            path,
            cookie: req.headers.cookie ?? null,
            authorization: req.headers.authorization ?? null,
          });
          const to = redirects[path];
          if (to !== undefined) res.writeHead(302, { ...cors, location: to() }).end();
          else res.writeHead(200, { ...cors, "content-type": "text/plain" }).end(name);
        },
        { maxRequests: 10 },
      );
    a = await serve("a", { "/start": () => c.locate(a!, b!) });
    b = await serve("b", { "/bounce": () => `${a!.origin}/landing` });
    servers.push(a, b);

    const r = await spawnCli([
      "probe",
      `${a.origin}/start`,
      "--origin",
      APP,
      "--credentials",
      "--cookie",
      COOKIE,
      "--header",
      `Authorization: ${TOKEN}`,
      "--header",
      `Proxy-Authorization: ${PROXY_TOKEN}`,
      "--json",
    ]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as ProbeJson;
    expect(out.status).toBe(200);
    expect(log).toEqual(c.expected);
    // Preflights never carry credentials; nothing ever carries Proxy-Authorization.
    expect(preflights.length).toBeGreaterThan(0);
    for (const h of preflights) {
      expect(h.cookie).toBeUndefined();
      expect(h.authorization).toBeUndefined();
    }
    for (const s of [...a.seen, ...b.seen]) {
      expect(s.headers["proxy-authorization"]).toBeUndefined();
    }
  });
});
