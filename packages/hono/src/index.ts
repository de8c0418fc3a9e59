export { CorsConfigError, type CorsPolicy, type PolicyIssue } from "@edge-cors/core";
export { type CorsFactory, cors } from "./middleware.ts";
export {
  type CorsInput,
  HONO_DEFAULT_HEADERS,
  HONO_DEFAULT_METHODS,
  type HonoCorsOptions,
  type OriginFunction,
  toCorsPolicy,
} from "./options.ts";
