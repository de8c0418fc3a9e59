/**
 * The floor: a Worker that answers every OPTIONS with a fixed 204 (a fresh Response with
 * headers prebuilt at module scope, identical to the edge layer's answer for the benchmark
 * preflight) and passes every other request straight to the upstream.
 */
declare const __PREFLIGHT_HEADERS__: [string, string][];

const PREFLIGHT = new Headers(__PREFLIGHT_HEADERS__);

interface Env {
  UPSTREAM_URL: string;
}

export default {
  fetch(request: Request, env: Env): Response | Promise<Response> {
    if (request.method === "OPTIONS")
      return new Response(null, { status: 204, headers: PREFLIGHT });
    const url = new URL(request.url);
    return fetch(env.UPSTREAM_URL + url.pathname + url.search, {
      method: request.method,
      headers: request.headers,
    });
  },
};
