export {
  type Cors,
  CorsConfigError,
  type CorsPolicy,
  createCors,
  parsePolicy,
  validatePolicy,
} from "@edge-cors/core";
export { type FetchHandler, type PolicyOrCors, type ServeModule, withCors } from "./with-cors.ts";
