/** The CLI's version (from its package.json), printed by `--version` and in the probe's User-Agent. */
import { createRequire } from "node:module";

export const VERSION: string = (
  createRequire(import.meta.url)("../package.json") as { version: string }
).version;
