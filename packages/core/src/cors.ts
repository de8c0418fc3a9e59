import { CorsConfigError, type PolicyIssue } from "./errors.ts";
import { decide, requestFacts } from "./explain.ts";
import {
  actualGrant,
  applyGrant,
  originAllowed,
  type PreflightTemplates,
  preflightResponse,
  preflightTemplates,
} from "./grant.ts";
import { type CompiledPolicy, compilePolicy, type Plan } from "./plan.ts";
import type { CorsPolicy, Decision } from "./policy.ts";
import { matchPath, type PathPattern, pathnameOf } from "./routes.ts";

/** A plan with its prebuilt preflight answers. */
interface Entry {
  plan: Plan;
  t: PreflightTemplates;
}

/** The downstream handler: the app, the upstream proxy, the next middleware. */
export type Next = (request: Request) => Response | Promise<Response>;

/** A compiled policy, ready to answer requests. Create it once, use it for every request. */
export interface Cors {
  /**
   * Middleware semantics: answers a CORS preflight itself (never calling `next`), passes
   * every other request to `next` and puts the CORS headers on its response.
   */
  handle(request: Request, next: Next): Promise<Response>;
  /**
   * The preflight answer (204 with grants, or 403 without), or `null` when the request is
   * not a CORS preflight (or the policy is in report mode) and must go on to the app.
   */
  preflight(request: Request): Response | null | Promise<Response | null>;
  /** Put the CORS headers for `request` on `response` (copied only if its headers are immutable). */
  decorate(request: Request, response: Response): Response | Promise<Response>;
  /** The decision for `request`, as data, with reasons in plain words. */
  explain(request: Request): Promise<Decision>;
  /** Accepted but suspicious parts of the policy (e.g. Max-Age above an engine's cap). */
  readonly warnings: readonly PolicyIssue[];
}

class CompiledCors implements Cors {
  readonly warnings: readonly PolicyIssue[];
  readonly #c: CompiledPolicy;
  readonly #base: Entry;
  readonly #routes: ReadonlyArray<{ pattern: PathPattern; e: Entry }>;
  /** Report mode, debug header or onDecision: every request goes through `decide`. */
  readonly #slow: boolean;

  constructor(c: CompiledPolicy, warnings: readonly PolicyIssue[]) {
    this.#c = c;
    const entry = (plan: Plan): Entry => ({ plan, t: preflightTemplates(plan) });
    this.#base = entry(c.base);
    this.#routes = c.routes.map((r) => ({ pattern: r.pattern, e: entry(r.plan) }));
    this.warnings = warnings;
    this.#slow = c.mode === "report" || c.debug || c.onDecision !== null;
  }

  #entry(request: Request): Entry {
    const routes = this.#routes;
    if (routes.length === 0) return this.#base;
    const path = pathnameOf(request.url);
    for (const r of routes) if (matchPath(r.pattern, path)) return r.e;
    return this.#base;
  }

  #plan(request: Request): Plan {
    return this.#entry(request).plan;
  }

  async handle(request: Request, next: Next): Promise<Response> {
    if (this.#slow) return this.#handleSlow(request, next);
    const e = this.#entry(request);
    const plan = e.plan;
    const h = request.headers;
    const origin = h.get("origin");
    if (origin !== null && request.method === "OPTIONS") {
      const acrm = h.get("access-control-request-method");
      // Fetch §CORS-preflight fetch: a preflight is OPTIONS with Origin and ACRM; any other OPTIONS is the app's.
      if (acrm !== null) {
        const ok = originAllowed(plan, origin, request);
        return this.#answer(e, h, origin, acrm, typeof ok === "boolean" ? ok : await ok);
      }
    }
    const response = await next(request);
    if (origin === null)
      return applyGrant(response, actualGrant(plan, null, false), plan.varyOrigin);
    const ok = originAllowed(plan, origin, request);
    return applyGrant(
      response,
      actualGrant(plan, origin, typeof ok === "boolean" ? ok : await ok),
      plan.varyOrigin,
    );
  }

  #answer(e: Entry, h: Headers, origin: string, acrm: string, allowed: boolean): Response {
    const plan = e.plan;
    return preflightResponse(
      plan,
      e.t,
      origin,
      allowed,
      acrm,
      h.get("access-control-request-headers"),
      plan.privateNetwork && h.get("access-control-request-private-network") === "true",
    );
  }

  preflight(request: Request): Response | null | Promise<Response | null> {
    const origin = request.headers.get("origin");
    if (origin === null || request.method !== "OPTIONS") return null;
    const acrm = request.headers.get("access-control-request-method");
    if (acrm === null) return null;
    if (this.#slow) {
      // Report mode: the preflight goes on; `decorate` records the decision once.
      if (this.#c.mode === "report") return null;
      return this.#report(request).then(decisionResponse);
    }
    const e = this.#entry(request);
    const h = request.headers;
    const ok = originAllowed(e.plan, origin, request);
    if (typeof ok === "boolean") return this.#answer(e, h, origin, acrm, ok);
    return ok.then((a) => this.#answer(e, h, origin, acrm, a));
  }

  decorate(request: Request, response: Response): Response | Promise<Response> {
    if (this.#slow) return this.#report(request).then((d) => applyDecision(d, response));
    const plan = this.#plan(request);
    const origin = request.headers.get("origin");
    if (origin === null)
      return applyGrant(response, actualGrant(plan, null, false), plan.varyOrigin);
    const ok = originAllowed(plan, origin, request);
    if (typeof ok === "boolean")
      return applyGrant(response, actualGrant(plan, origin, ok), plan.varyOrigin);
    return ok.then((a) => applyGrant(response, actualGrant(plan, origin, a), plan.varyOrigin));
  }

  async explain(request: Request): Promise<Decision> {
    const plan = this.#plan(request);
    const f = requestFacts(request);
    const ok = f.origin === null ? false : await originAllowed(plan, f.origin, request);
    return decide(plan, f, ok, this.#c.mode, this.#c.debug);
  }

  /** Decide, and hand the decision to onDecision. */
  async #report(request: Request): Promise<Decision> {
    const d = await this.explain(request);
    try {
      this.#c.onDecision?.(d);
    } catch {
      // onDecision must not break requests.
    }
    return d;
  }

  async #handleSlow(request: Request, next: Next): Promise<Response> {
    const d = await this.#report(request);
    if (d.mode === "report") return next(request);
    if (d.kind === "preflight") return decisionResponse(d);
    return applyDecision(d, await next(request));
  }
}

function decisionResponse(d: Decision): Response {
  return new Response(null, { status: d.status, headers: d.headers });
}

function applyDecision(d: Decision, response: Response): Response {
  if (d.mode === "report") return response;
  const { vary, ...rest } = d.headers;
  return applyGrant(response, rest, vary !== undefined);
}

/**
 * Validate `policy` and compile it. Throws `CorsConfigError` listing every problem when the
 * policy is invalid or insecure; otherwise every header value is precomputed and the
 * returned `Cors` answers requests without further validation.
 */
export function createCors(policy: CorsPolicy): Cors {
  const { compiled, errors, warnings } = compilePolicy(policy);
  if (errors.length > 0) throw new CorsConfigError(errors, warnings);
  return new CompiledCors(compiled, warnings);
}
