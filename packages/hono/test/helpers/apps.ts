import { Hono, type MiddlewareHandler } from "hono";
import { cors as honoCors } from "hono/cors";
import { cors, type HonoCorsOptions } from "../../src/index.ts";

export const URL_BASE = "https://api.example.com";

/** An app as a hono/cors user writes it: CORS on /api/*, a few routes, an OPTIONS route. */
export function apiApp(middleware: MiddlewareHandler): Hono {
  const app = new Hono();
  app.use("/api/*", middleware);
  app.get("/api/items", (c) => c.json({ items: [] }));
  app.put("/api/items", (c) => c.text("put"));
  app.delete("/api/items", (c) => c.text("deleted"));
  app.on("QUERY", "/api/items", (c) => c.text("query"));
  app.options("/api/options", (c) => c.text("options handler", 200, { allow: "GET, OPTIONS" }));
  return app;
}

/** The same app once with hono/cors and once with the drop-in, from the same options. */
export function bothApps(options?: HonoCorsOptions): { hono: Hono; edge: Hono } {
  return { hono: apiApp(honoCors(options as never)), edge: apiApp(cors(options)) };
}
