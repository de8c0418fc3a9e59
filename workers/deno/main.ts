/**
 * The edge layer as a `Deno.serve` program: the entry point for `deno run` and Deno Deploy.
 *
 *   PORT=8000 CORS_POLICY='{"allowOrigins":["https://app.example.com"]}' \
 *   UPSTREAM_URL=https://api.example.com \
 *   deno run --allow-net --allow-env workers/deno/main.ts
 *
 * Locally it listens on 127.0.0.1 only, on PORT (default 8000). On Deno Deploy
 * (DENO_DEPLOY=true) the platform decides where to listen. SIGINT/SIGTERM drain in-flight
 * requests, then exit.
 */
import app, { describe } from "./app.ts";

const DEFAULT_PORT = 8000;

function readPort(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_PORT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535 || value.trim() !== value) {
    console.error(
      `edge-cors: refusing to start.\n  - PORT: must be a port number from 0 to 65535, got ${JSON.stringify(value)}`,
    );
    Deno.exit(1);
  }
  return n;
}

const onDeploy = Deno.env.get("DENO_DEPLOY") === "true";
const port = readPort(Deno.env.get("PORT"));

const server = Deno.serve(
  {
    ...(onDeploy ? (Deno.env.get("PORT") ? { port } : {}) : { hostname: "127.0.0.1", port }),
    onListen({ hostname, port }) {
      console.log(`edge-cors deno layer listening on http://${hostname}:${port}/ (${describe()})`);
    },
  },
  app.fetch,
);

function shutdown() {
  server.shutdown();
}
Deno.addSignalListener("SIGINT", shutdown);
if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", shutdown);
await server.finished;
