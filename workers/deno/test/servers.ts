/**
 * In-process servers for the Deno tests, all on 127.0.0.1 and ephemeral ports, bounded, closed
 * by the test: the layer under test (the real `denoEdgeLayer` behind `Deno.serve`), a test
 * upstream, and the route-reporting upstreams of the differential tests.
 */
import { rawPathOf } from "@edge-cors/core";
import { type EdgeVars, readEdgeConfig } from "@edge-cors/edge";
import { READINGS, type ReadingName } from "../../../packages/edge/test/support/path-readings.ts";
import {
  fileAnswer,
  honoRouteApp,
  readingAnswer,
} from "../../../packages/edge/test/support/route-reporting.ts";
import { denoEdgeLayer } from "../layer.ts";

export interface Served {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `Deno.serve` on 127.0.0.1:0 answering at most `budget` requests (then 599). */
export function serve(
  handler: (request: Request) => Response | Promise<Response>,
  budget = 20_000,
): Served {
  let count = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) =>
    ++count > budget ? new Response("request budget exceeded", { status: 599 }) : handler(request),
  );
  const { port } = server.addr;
  return { url: `http://127.0.0.1:${port}`, port, close: () => server.shutdown() };
}

/** The Deno layer, configured from `vars` exactly as app.ts is from the environment. */
export function serveLayer(vars: EdgeVars): Served {
  return serve(denoEdgeLayer(readEdgeConfig(vars)));
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

export interface TestUpstream extends Served {
  /** The requests seen carrying `x-test-id: id`. */
  seen(id: string): SeenRequest[];
}

function nextMessageTo(socket: WebSocket, reply: (text: string) => string): void {
  socket.onmessage = (e) => socket.send(reply(String(e.data)));
}

/**
 * The test upstream. A request with `x-test-app: {"status", "headers"}` is answered like a
 * vector's app (body "app", `x-app: 1`), handshakes included. Otherwise a WebSocket handshake
 * is accepted (greets "hello from upstream", echoes, reports the path it saw in
 * `x-upstream-path`), `/echo` answers with the method, URL and headers as JSON, and anything
 * else with 404.
 */
export function startTestUpstream(): TestUpstream {
  const log = new Map<string, SeenRequest[]>();
  const served = serve((request) => {
    const id = request.headers.get("x-test-id");
    const url = request.url;
    const headers = Object.fromEntries(request.headers);
    if (id !== null)
      log.set(id, [...(log.get(id) ?? []), { method: request.method, url, headers }]);
    const app = request.headers.get("x-test-app");
    if (app !== null) {
      const spec = JSON.parse(app) as { status: number; headers?: Record<string, string> };
      const noBody = spec.status === 204 || spec.status === 304 || request.method === "HEAD";
      return new Response(noBody ? null : "app", {
        status: spec.status,
        headers: { "content-type": "text/plain", "x-app": "1", ...(spec.headers ?? {}) },
      });
    }
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
      const protocol = request.headers.get("sec-websocket-protocol")?.split(",")[0]?.trim();
      const { socket, response } = Deno.upgradeWebSocket(request, protocol ? { protocol } : {});
      socket.onopen = () => socket.send("hello from upstream");
      nextMessageTo(socket, (text) => `echo: ${text}`);
      response.headers.set("x-upstream-path", rawPathOf(url));
      return response;
    }
    if (rawPathOf(url) === "/echo") return Response.json({ method: request.method, url, headers });
    return new Response("not found", { status: 404 });
  });
  return { ...served, seen: (id) => log.get(id) ?? [] };
}

export type RouteServerName = ReadingName | "hono";

export interface RouteServers {
  urls: Record<RouteServerName, string>;
  filesUrl: string;
  close(): Promise<void>;
}

/** The route-reporting upstreams (Deno.serve hands over the raw request target). */
export function startRouteServers(): RouteServers {
  const servers: Array<[RouteServerName, Served]> = (Object.keys(READINGS) as ReadingName[]).map(
    (name) => [name, serve((r) => readingAnswer(name, rawPathOf(r.url)))],
  );
  const hono = honoRouteApp();
  servers.push(["hono", serve((r) => hono.fetch(r))]);
  const files = serve((r) => fileAnswer(rawPathOf(r.url)));
  return {
    urls: Object.fromEntries(servers.map(([n, s]) => [n, s.url])) as Record<
      RouteServerName,
      string
    >,
    filesUrl: files.url,
    close: async () => {
      await Promise.all([...servers.map(([, s]) => s.close()), files.close()]);
    },
  };
}
