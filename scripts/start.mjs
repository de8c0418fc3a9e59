#!/usr/bin/env node
// `pnpm start`: the edge layer (wrangler dev on http://127.0.0.1:8787, as before) plus the
// CORS playground on http://127.0.0.1:5173. Ctrl-C stops both.
// Ports: LAYER_PORT and PLAYGROUND_PORT environment variables.
import { tsImport } from "tsx/esm/api";

const { startStack } = await tsImport("../playground/stack.ts", import.meta.url);
const stack = await startStack({
  layerPort: Number(process.env.LAYER_PORT ?? 8787),
  pagePort: Number(process.env.PLAYGROUND_PORT ?? 5173),
});
console.log(`\n  edge-cors layer:     ${stack.layerUrl}`);
console.log(`  CORS playground:     ${stack.pageUrl}   (open it in your browser)\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping the playground and wrangler dev…");
  await stack.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
