/**
 * The one policy every Worker under load applies, and the requests the load generator sends.
 * The edge layer gets it as `CORS_POLICY`; the hono/cors Worker gets the same lists; the floor
 * Worker gets the exact preflight headers the core computes for it (see build.ts).
 */
export const ORIGINS = [
  "https://app.example.com",
  "https://admin.example.com",
  "https://www.example.com",
] as const;
export const METHODS = ["PUT", "PATCH", "DELETE"] as const;
export const ALLOW_HEADERS = ["Content-Type", "Authorization"] as const;
export const EXPOSE_HEADERS = ["ETag"] as const;
export const MAX_AGE_S = 600;

/** The edge-cors policy (`CORS_POLICY`). */
export const POLICY = {
  allowOrigins: [...ORIGINS],
  allowMethods: [...METHODS],
  allowHeaders: [...ALLOW_HEADERS],
  exposeHeaders: [...EXPOSE_HEADERS],
  allowCredentials: true,
  maxAge: MAX_AGE_S,
};

/** The request's Origin: an allowed one, in the middle of the list. */
export const ORIGIN = "https://admin.example.com";
export const PATH = "/api/items";

/** An allowed preflight: PUT with two custom request headers. */
export const PREFLIGHT_HEADERS: Record<string, string> = {
  origin: ORIGIN,
  "access-control-request-method": "PUT",
  "access-control-request-headers": "content-type, authorization",
};

/** A cross-origin GET from the same page. */
export const GET_HEADERS: Record<string, string> = { origin: ORIGIN };

/** The upstream's body for every GET (small JSON). */
export const UPSTREAM_BODY = JSON.stringify({ items: [{ id: 1, name: "one" }], ok: true });
