#!/usr/bin/env node
// Workspace only (not published): runs the TypeScript sources through tsx's scoped loader, so
// `pnpm exec edge-cors` and the CLI's tests need no build step (in the workspace @edge-cors/*
// resolve to their .ts sources). The published bin is bin/edge-cors.js (compiled dist/).
import { tsImport } from "tsx/esm/api";

// Runtime warnings (e.g. fetch's advice about lower-case methods) are noise in CLI output.
process.removeAllListeners("warning");
if (process.env.EDGE_CORS_DEBUG) process.on("warning", (w) => console.error(w));

const { main } = await tsImport("../src/main.ts", { parentURL: import.meta.url, tsconfig: false });
process.exitCode = await main(process.argv.slice(2));
