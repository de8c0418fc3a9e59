export {
  type Cors,
  CorsConfigError,
  type CorsPolicy,
  createCors,
  loadCors,
  validatePolicy,
} from "@edge-cors/core";
export { publicSuffixes } from "@edge-cors/public-suffix";
export { type FetchHandler, type PolicyOrCors, type ServeModule, withCors } from "./with-cors.ts";
