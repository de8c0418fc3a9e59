export {
  type CorsResultFor,
  type LambdaHttpEvent,
  type LambdaHttpHandler,
  withCors,
} from "./lambda.ts";
export {
  createEdgeHandler,
  type EdgeEvent,
  type EdgeHandler,
  type EdgeResult,
} from "./lambda-edge.ts";
