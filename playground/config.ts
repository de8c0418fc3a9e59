/**
 * The policy the local edge layer runs: the same vars `wrangler dev` reads (wrangler.toml
 * `[vars]` plus `.dev.vars`), read by the same `readEdgeConfig` the Worker calls. Unset
 * CORS_POLICY means the embedded default policy, here as in the Worker.
 */
import { resolve } from "node:path";
import type { Cors } from "@edge-cors/core";
import { type EdgeConfig, readEdgeConfig } from "@edge-cors/edge";
import { unstable_getVarsForDev, unstable_readConfig } from "wrangler";

export interface LayerPolicy {
  config: EdgeConfig;
  cors: Cors;
  /** Where the vars came from, for the page. */
  configPath: string | undefined;
}

/** The root wrangler.toml, which `wrangler dev` (pnpm start) runs. */
export const WRANGLER_TOML = resolve(import.meta.dirname, "../wrangler.toml");

export function readLayerPolicy(configPath = WRANGLER_TOML): LayerPolicy {
  const wrangler = unstable_readConfig({ config: configPath }, { hideWarnings: true });
  const path = wrangler.userConfigPath ?? wrangler.configPath;
  const bindings = unstable_getVarsForDev(path, undefined, wrangler.vars, undefined, true);
  const vars: Record<string, unknown> = {};
  for (const [name, binding] of Object.entries(bindings)) {
    vars[name] = (binding as { value: unknown }).value;
  }
  const config = readEdgeConfig(vars);
  return { config, cors: config.cors, configPath: path };
}
