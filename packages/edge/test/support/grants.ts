/**
 * The differential tests' oracle: what a policy lets an origin read on the route an upstream
 * actually served, compared with what the edge layer granted. "Never more permissive": if the
 * layer lets the origin read (with or without credentials), the policy must let it read the
 * route that was served.
 */
import { type Cors, type CorsPolicy, createCors } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import type { ServedRoute } from "./path-readings.ts";

/** Routes of different permissiveness: /admin narrower than the top level, /public wider. */
export const DIFFERENTIAL_POLICY: CorsPolicy = {
  allowOrigins: ["https://app.example.com", "https://partner.example.net"],
  allowCredentials: true,
  routes: [
    { path: "/admin/*", allowOrigins: ["https://app.example.com"] },
    { path: "/public/*", allowOrigins: "*", allowCredentials: false },
  ],
};

/** An origin each route treats differently. */
export const DIFFERENTIAL_ORIGINS = [
  "https://app.example.com",
  "https://partner.example.net",
  "https://other.example",
] as const;

/** What `origin` may read, from a response's CORS headers. */
export interface Readable {
  anonymous: boolean;
  credentialed: boolean;
}

export function readable(headers: Headers, origin: string): Readable {
  const acao = headers.get("access-control-allow-origin");
  const acac = headers.get("access-control-allow-credentials") === "true";
  return { anonymous: acao === "*" || acao === origin, credentialed: acao === origin && acac };
}

/** A plain path of each route: the policy's grant there is the route's grant. */
const ROUTE_PATH: Record<ServedRoute, string> = {
  admin: "/admin/users",
  public: "/public/data",
  base: "/users",
};

export function referencePolicy(policy: CorsPolicy = DIFFERENTIAL_POLICY): Cors {
  return createCors(policy, { publicSuffixes });
}

/** What the policy lets `origin` read on `route` (decided by the core on a plain path). */
export async function routeGrant(
  cors: Cors,
  route: ServedRoute,
  origin: string,
): Promise<Readable> {
  const res = await cors.handle(
    new Request(`https://api.example.com${ROUTE_PATH[route]}`, { headers: { origin } }),
    () => new Response("ok"),
  );
  return readable(res.headers, origin);
}

/** The ways the layer's grant exceeds the policy's grant for the served route ([] when none). */
export function excessGrant(layer: Readable, served: Readable): string[] {
  const out: string[] = [];
  if (layer.anonymous && !served.anonymous) out.push("readable, but the served route refuses");
  if (layer.credentialed && !served.credentialed)
    out.push("readable with credentials, but the served route does not allow them");
  return out;
}

/** The route an upstream reports it served (`x-served-route`), or null when none answered. */
export function servedRoute(headers: Headers): ServedRoute | null {
  return headers.get("x-served-route") as ServedRoute | null;
}

/**
 * What one request through the layer broke ([] when nothing): an answer no upstream served must
 * be a refusal (a status in `refusals`) without a grant; an answer an upstream served must grant
 * no more than the policy grants for the route it served.
 */
export async function differentialProblems(
  reference: Cors,
  answer: { status: number; headers: Headers },
  origin: string,
  refusals: readonly number[] = [400],
): Promise<string[]> {
  const granted = readable(answer.headers, origin);
  const route = servedRoute(answer.headers);
  if (route === null) {
    const out: string[] = [];
    if (!refusals.includes(answer.status)) out.push(`not served, status ${answer.status}`);
    if (granted.anonymous) out.push("not served, but granted");
    return out;
  }
  const excess = excessGrant(granted, await routeGrant(reference, route, origin));
  return excess.map((e) => `served ${route}: ${e}`);
}
