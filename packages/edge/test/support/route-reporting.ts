/**
 * The differential tests' upstream apps: each routes on its own reading of the path it
 * received and reports what it served, in `x-served-route` (admin | public | base) and
 * `x-served-path` (its reading, URI-encoded). One is the real Hono router.
 */
import { Hono } from "hono";
import { READINGS, type ReadingName, ROUTES, routeOf, type ServedRoute } from "./path-readings.ts";

/** The raw path of a request target (`/a/b?q` → `/a/b`), as the server received it. */
export function targetPath(target: string): string {
  const q = target.indexOf("?");
  return q < 0 ? target : target.slice(0, q);
}

function served(route: ServedRoute, path: string): Response {
  return new Response(route, {
    headers: {
      "content-type": "text/plain",
      "x-served-route": route,
      "x-served-path": encodeURIComponent(path),
    },
  });
}

/** The answer of the upstream that reads paths as `reading` does, for a raw request path. */
export function readingAnswer(reading: ReadingName, rawPath: string): Response {
  const path = READINGS[reading](rawPath);
  return served(routeOf(path), path);
}

/** A Hono app with the same routes: what Hono's own router serves. */
export function honoRouteApp(): Hono {
  const app = new Hono();
  for (const route of ROUTES) {
    app.all(`/${route}`, (c) => served(route, c.req.path));
    app.all(`/${route}/*`, (c) => served(route, c.req.path));
  }
  app.all("*", (c) => served("base", c.req.path));
  return app;
}

/** Files below a served directory, as Python's http.server would serve them (M3). */
export const FILES: Record<string, string> = {
  "/v1/public.txt": "public file inside /v1",
  "/secret.txt": "SECRET: outside the /v1 prefix",
};

/** Python's http.server serving FILES: the path is decoded before it is normalised. */
export function fileAnswer(rawPath: string): Response {
  const path = READINGS["python-http-server"](rawPath);
  const body = FILES[path];
  const headers = { "content-type": "text/plain", "x-served-path": encodeURIComponent(path) };
  return body === undefined
    ? new Response("not found", { status: 404, headers })
    : new Response(body, { headers });
}
