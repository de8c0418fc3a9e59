import { Hono } from "hono";
import { cors } from "../../src/index.ts";

type Bindings = { CORS_POLICY: string };

/** A Worker as users write it: hono/cors-style options on /api, a policy from a binding on /env. */
const app = new Hono<{ Bindings: Bindings }>();
app.use("/api/*", cors({ origin: ["https://app.example.com"], credentials: true, maxAge: 600 }));
app.use(
  "/env/*",
  cors<{ Bindings: Bindings }>((c) => c.env.CORS_POLICY),
);
app.get("/api/items", (c) => c.json({ items: [] }));
app.put("/env/items", (c) => c.text("put"));
app.options("/api/items", (c) => c.body(null, 204, { allow: "GET, OPTIONS" }));

export default app;
