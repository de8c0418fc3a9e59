/**
 * `@edge-cors/cloudflare`: edge-cors for Cloudflare Workers.
 *
 * - `withCors(handler, policy)` wraps an existing Worker.
 * - The deployable edge layer (a Worker that answers CORS in front of any origin) lives in
 *   `workers/cloudflare` and is built from `@edge-cors/edge`.
 */
export type { CorsPolicy } from "@edge-cors/core";
export { CorsConfigError } from "@edge-cors/core";
export { type PolicyInput, withCors } from "./with-cors.ts";
