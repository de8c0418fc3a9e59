#!/usr/bin/env node
// The published bin: runs the compiled CLI (dist/, built by `pnpm build`). In the workspace the
// package's `bin` is bin/dev.js instead (sources through tsx); `publishConfig.bin` points here.

// Runtime warnings (e.g. fetch's advice about lower-case methods) are noise in CLI output.
process.removeAllListeners("warning");
if (process.env.EDGE_CORS_DEBUG) process.on("warning", (w) => console.error(w));

const { main } = await import("../dist/main.js");
process.exitCode = await main(process.argv.slice(2));
