import { Hono, type MiddlewareHandler } from "hono";
import { appResponse, type Vector, vectorRequest } from "../../../../test/vectors/index.ts";

/**
 * Run one conformance vector through a Hono app: `app.use("*", middleware)` in front of a
 * catch-all route that answers what the vector's app answers. `env` is passed as bindings.
 */
export async function runVector(
  v: Vector,
  middleware: MiddlewareHandler,
  env?: Record<string, unknown>,
): Promise<{ response: Response; reached: boolean }> {
  let reached = false;
  const app = new Hono();
  app.use("*", middleware);
  app.all("*", () => {
    reached = true;
    return appResponse(v);
  });
  const response = await app.request(vectorRequest(v), undefined, env);
  return { response, reached };
}
