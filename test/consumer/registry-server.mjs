// A Verdaccio on 127.0.0.1 and an ephemeral port, for the consumer test (started and stopped by
// global-setup.ts). Usage: node registry-server.mjs <config.yaml>. Prints {"port": N} once
// listening; runs until it gets SIGTERM.
import { createRequire } from "node:module";

const { runServer } = createRequire(import.meta.url)("verdaccio");
const app = await runServer(process.argv[2]);
const server = app.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
