#!/usr/bin/env node
// Runs the TypeScript sources through tsx's scoped loader: the same file works in the workspace
// (where @edge-cors/core resolves to .ts sources) and when installed from npm.
import { tsImport } from "tsx/esm/api";

// Runtime warnings (e.g. fetch's advice about lower-case methods) are noise in CLI output.
process.removeAllListeners("warning");
if (process.env.EDGE_CORS_DEBUG) process.on("warning", (w) => console.error(w));

const { main } = await tsImport("../src/main.ts", { parentURL: import.meta.url, tsconfig: false });
process.exitCode = await main(process.argv.slice(2));
