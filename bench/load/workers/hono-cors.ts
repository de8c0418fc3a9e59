/**
 * The peer: a Hono app with `hono/cors` under the same policy, proxying everything else to
 * the upstream (its response copied so the middleware can set headers on it).
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { ALLOW_HEADERS, EXPOSE_HEADERS, MAX_AGE_S, METHODS, ORIGINS } from "../policy.ts";

const app = new Hono<{ Bindings: { UPSTREAM_URL: string } }>();

app.use(
  "*",
  cors({
    origin: [...ORIGINS],
    allowMethods: ["GET", "HEAD", "POST", ...METHODS],
    allowHeaders: [...ALLOW_HEADERS],
    exposeHeaders: [...EXPOSE_HEADERS],
    credentials: true,
    maxAge: MAX_AGE_S,
  }),
);

app.all("*", async (c) => {
  const url = new URL(c.req.url);
  const res = await fetch(c.env.UPSTREAM_URL + url.pathname + url.search, {
    method: c.req.method,
    headers: c.req.raw.headers,
  });
  return new Response(res.body, res);
});

export default app;
