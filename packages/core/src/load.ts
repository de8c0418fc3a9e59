import { CorsConfigError } from "./errors.ts";
import type { CorsPolicy } from "./policy.ts";

/**
 * Read a policy from configuration: a JSON string (e.g. an environment variable) or an
 * already-parsed object (e.g. a TOML table). A JSON syntax error becomes a
 * `CorsConfigError` naming the position; the result still goes through `createCors`
 * validation.
 */
export function parsePolicy(input: unknown, source = "policy"): CorsPolicy {
  if (typeof input !== "string") return input as CorsPolicy;
  try {
    return JSON.parse(input) as CorsPolicy;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new CorsConfigError([{ path: "", message: `${source} is not valid JSON: ${msg}` }]);
  }
}
