/**
 * A profiling aid: the core's `preflight()` alone in a Worker (no edge layer, no env, no
 * proxy), to split the edge layer's preflight cost into the core's and the layer's.
 */
import { createCors } from "@edge-cors/core";
import { POLICY } from "../policy.ts";

const cors = createCors(POLICY);

export default {
  fetch(request: Request): Response | Promise<Response> {
    const r = cors.preflight(request);
    if (r === null) return new Response("not a preflight", { status: 400 });
    return r as Response | Promise<Response>;
  },
};
