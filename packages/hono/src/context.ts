import type { Context } from "hono";

/**
 * The Hono Context of each request the middleware is handling, so that a hono/cors `origin`
 * function (which takes `(origin, c)`) can run as a core OriginPredicate (which receives
 * the Request). Entries go away with their Request.
 */
const contexts = new WeakMap<Request, Context>();

export function registerContext(c: Context): void {
  contexts.set(c.req.raw, c);
}

export function contextOf(request: Request): Context | undefined {
  return contexts.get(request);
}
