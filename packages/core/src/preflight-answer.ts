import {
  originListed,
  PREFLIGHT_OK_STATUS,
  PREFLIGHT_REFUSED_STATUS,
  preflightGrant,
} from "./grant.ts";
import type { CompiledPolicy, Plan } from "./plan.ts";
import { matchPath } from "./routes.ts";

/** The part of a compiled policy that decides preflights: the top-level plan and the routes. */
export type PreflightPlans = Pick<CompiledPolicy, "base" | "routes">;

/**
 * A request as plain values, for runtimes that have no `Request`/`Headers` (CloudFront
 * Functions). A header is `null` when absent; several lines of one header are joined with `, `,
 * as `Headers.get` does.
 */
export interface PreflightFacts {
  method: string;
  /** The request path without the query (a route is chosen on it). */
  path: string;
  origin: string | null;
  /** `Access-Control-Request-Method`. */
  acrm: string | null;
  /** `Access-Control-Request-Headers`. */
  acrh: string | null;
  /** `Access-Control-Request-Private-Network`. */
  acrpn: string | null;
}

/** A preflight answer as data: 204 with the grant headers, or 403 with `Vary` only. */
export interface PreflightAnswer {
  status: number;
  headers: Record<string, string>;
}

/** The plan for a path: the first route that matches it, else the top level (as `Cors` does). */
export function planForPath(plans: PreflightPlans, path: string): Plan {
  const routes = plans.routes;
  for (let i = 0; i < routes.length; i++)
    if (matchPath(routes[i]!.pattern, path)) return routes[i]!.plan;
  return plans.base;
}

/**
 * The answer to a CORS preflight given as plain values, or `null` when the request is not a
 * preflight (Fetch: `OPTIONS` with `Origin` and `Access-Control-Request-Method`) and goes on.
 * The same decision and headers as `Cors.preflight` in enforce mode. An origin predicate needs
 * the Request, so plans with one are refused here (with a TypeError).
 */
export function answerPreflight(plans: PreflightPlans, f: PreflightFacts): PreflightAnswer | null {
  if (f.method !== "OPTIONS" || f.origin === null || f.acrm === null) return null;
  const plan = planForPath(plans, f.path);
  if (plan.origins.predicate !== null) throw new TypeError("an origin predicate needs a Request");
  const grant = preflightGrant(
    plan,
    f.origin,
    originListed(plan, f.origin),
    f.acrm,
    f.acrh,
    plan.privateNetwork && f.acrpn === "true",
  );
  return typeof grant === "string"
    ? { status: PREFLIGHT_REFUSED_STATUS, headers: { vary: plan.varyPreflight } }
    : { status: PREFLIGHT_OK_STATUS, headers: grant };
}
