/**
 * The differential tests' upstreams on 127.0.0.1 (Node): one per path reading (Python's
 * http.server, a `;params`-stripping container, a case-insensitive server), the real Hono
 * router, and a Python-like file server (M3). Each reports what it served.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenBounded, type Upstream } from "../../../../packages/edge/test/support/listen.ts";
import {
  READINGS,
  type ReadingName,
} from "../../../../packages/edge/test/support/path-readings.ts";
import {
  fileAnswer,
  honoRouteApp,
  readingAnswer,
  targetPath,
} from "../../../../packages/edge/test/support/route-reporting.ts";

/** Requests one route server answers at most (then 503). */
const MAX_REQUESTS = 20_000;

async function send(res: ServerResponse, answer: Response): Promise<void> {
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  res.end(Buffer.from(await answer.arrayBuffer()));
}

function serve(answer: (req: IncomingMessage) => Response | Promise<Response>): Promise<Upstream> {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    if (++count > MAX_REQUESTS) return void send(res, new Response("budget", { status: 503 }));
    void Promise.resolve(answer(req)).then((a) => send(res, a));
  });
  return listenBounded(server);
}

export type RouteServerName = ReadingName | "hono";

export interface RouteServers {
  urls: Record<RouteServerName, string>;
  filesUrl: string;
  stop(): Promise<void>;
}

export async function startRouteServers(): Promise<RouteServers> {
  const hono = honoRouteApp();
  const started: Array<[RouteServerName, Upstream]> = [];
  for (const name of Object.keys(READINGS) as ReadingName[])
    started.push([name, await serve((req) => readingAnswer(name, targetPath(req.url ?? "/")))]);
  // Hono behind a Node adapter: the Request URL is built from the request target.
  started.push([
    "hono",
    await serve((req) => hono.fetch(new Request(`http://127.0.0.1${req.url ?? "/"}`))),
  ]);
  const files = await serve((req) => fileAnswer(targetPath(req.url ?? "/")));
  return {
    urls: Object.fromEntries(started.map(([n, u]) => [n, u.url])) as Record<
      RouteServerName,
      string
    >,
    filesUrl: files.url,
    stop: async () => {
      await Promise.all([...started.map(([, u]) => u.stop()), files.stop()]);
    },
  };
}
