/** The layer's own answers: small JSON bodies `{ error, detail }`, never cached. */

function jsonError(status: number, error: string, detail: string, extra: Record<string, string>) {
  return new Response(JSON.stringify({ error, detail }), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...extra,
    },
  });
}

/**
 * An upstream failure the browser app can read: the CORS headers for its origin are added
 * afterwards, by the policy, like on any upstream response.
 */
export function failureResponse(status: 502 | 504, error: string, detail: string): Response {
  return jsonError(status, error, detail, {});
}

/**
 * A request the layer refuses to forward (ambiguous or escaping path, malformed Host, a method
 * fetch cannot send): answered before any CORS decision, so it carries no grant. It does vary
 * on Origin, like every answer of the layer, so a cache never mixes it with a decorated one.
 */
export function refusedRequest(status: 400 | 405, error: string, detail: string): Response {
  return jsonError(status, error, detail, { vary: "Origin" });
}
