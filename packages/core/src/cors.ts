import type { CompiledPolicy, RouteRules } from "./compile.ts";
import {
  type CorsDecision,
  classify,
  decide,
  isWebSocketHandshake,
  originAllowed,
  rulesForPath,
  rulesForUrl,
} from "./decide.ts";
import { decisionHeaderValue, describeDecision } from "./explain.ts";
import type { PolicyIssue } from "./issues.ts";
import { rawPathOf } from "./paths.ts";
import type { Decision } from "./policy.ts";
import {
  answerResponse,
  answerStatus,
  decorateResponse,
  type PreflightTemplates,
  preflightTemplates,
} from "./render.ts";

/** The downstream handler: the app, the upstream proxy, the next middleware. */
export type Next = (request: Request) => Response | Promise<Response>;

/** What an adapter passes along with a request. */
export interface RequestOptions {
  /** Handed to an origin predicate as its third argument (Hono passes its Context). */
  context?: unknown;
  /**
   * The path exactly as the next hop receives it, when `request.url` shows it normalised (the
   * URL parser removes dot segments): a platform's raw URI (Lambda@Edge's `uri`, API Gateway's
   * `rawPath`). Routes are then matched on every reading of this path, not of the URL's.
   */
  path?: string;
}

/** A compiled policy, ready to answer requests. Create it once, use it for every request. */
export interface Cors {
  /**
   * Middleware semantics: answers a CORS preflight (and refuses a WebSocket handshake from an
   * origin the policy does not allow) itself, never calling `next`; passes every other
   * request to `next` and puts the CORS headers on its response.
   */
  handle(request: Request, next: Next, options?: RequestOptions): Promise<Response>;
  /**
   * edge-cors's own answer: the preflight answer (204 with grants, or 403 without) or a
   * refused WebSocket handshake (403); `null` when the request must go on to the app (also
   * always in report mode).
   */
  preflight(request: Request, options?: RequestOptions): Response | null | Promise<Response | null>;
  /** Put the CORS headers for `request` on `response` (copied only if its headers are immutable). */
  decorate(
    request: Request,
    response: Response,
    options?: RequestOptions,
  ): Response | Promise<Response>;
  /** The decision for `request`, as data, with reasons in plain words. */
  explain(request: Request, options?: RequestOptions): Promise<Decision>;
  /** Accepted but suspicious parts of the policy (e.g. Max-Age above an engine's cap). */
  readonly warnings: readonly PolicyIssue[];
  /** The compiled policy (for code generators and tooling; not needed to answer requests). */
  readonly compiled: CompiledPolicy;
}

class CompiledCors implements Cors {
  readonly warnings: readonly PolicyIssue[];
  readonly compiled: CompiledPolicy;
  readonly #templates = new Map<RouteRules, PreflightTemplates>();
  readonly #report: boolean;
  /** onDecision or the decision header: the decision is also put into words. */
  readonly #describe: boolean;

  constructor(compiled: CompiledPolicy, warnings: readonly PolicyIssue[]) {
    this.compiled = compiled;
    this.warnings = warnings;
    for (const rules of [compiled.base, ...compiled.routes, compiled.ambiguous])
      this.#templates.set(rules, preflightTemplates(rules));
    this.#report = compiled.mode === "report";
    this.#describe =
      compiled.onDecision !== null ||
      [compiled.base, ...compiled.routes].some((rules) => rules.decisionHeader);
  }

  /** Classify, pick the rules, check the origin, decide: the one decision, for every method. */
  #decide(
    request: Request,
    options: RequestOptions | undefined,
  ): CorsDecision | Promise<CorsDecision> {
    const headers = request.headers;
    const facts = classify(request.method, headers);
    // request.url is serialized on every read: only read it when there are routes to match.
    const compiled = this.compiled;
    const rules =
      compiled.patterns.length === 0
        ? compiled.base
        : options?.path !== undefined
          ? rulesForPath(compiled, options.path)
          : rulesForUrl(compiled, request.url);
    if (facts.origin === null) return decide(rules, facts, headers, false);
    const verdict = originAllowed(rules, facts.origin, request, options?.context);
    if (typeof verdict === "boolean") return decide(rules, facts, headers, verdict);
    return verdict.then((ok) => decide(rules, facts, headers, ok));
  }

  /** Hand the decision to onDecision; return the decision header's value (or null). */
  #observe(
    decision: CorsDecision,
    request: Request,
    options: RequestOptions | undefined,
  ): string | null {
    if (!this.#describe) return null;
    const described = describeDecision(
      decision,
      this.compiled,
      request.method,
      options?.path ?? (() => rawPathOf(request.url)),
    );
    const onDecision = this.compiled.onDecision;
    if (onDecision !== null) {
      try {
        onDecision(described);
      } catch {
        // onDecision must not break requests.
      }
    }
    return decision.rules.decisionHeader ? decisionHeaderValue(decision, described.reason) : null;
  }

  /** edge-cors's own answer for a decision, or null when the request goes on. */
  #answer(decision: CorsDecision, decisionHeader: string | null): Response | null {
    if (this.#report) return null;
    if (answerStatus(decision) !== null)
      return answerResponse(decision, this.#templates.get(decision.rules)!, decisionHeader);
    return null;
  }

  #decorate(decision: CorsDecision, response: Response, header: string | null): Response {
    return this.#report ? response : decorateResponse(response, decision, header);
  }

  async handle(request: Request, next: Next, options?: RequestOptions): Promise<Response> {
    const pending = this.#decide(request, options);
    const decision = pending instanceof Promise ? await pending : pending;
    const header = this.#observe(decision, request, options);
    const answer = this.#answer(decision, header);
    if (answer !== null) return answer;
    return this.#decorate(decision, await next(request), header);
  }

  preflight(
    request: Request,
    options?: RequestOptions,
  ): Response | null | Promise<Response | null> {
    // Only preflights and WebSocket handshakes can be answered here; every other request is
    // decided (and observed) once, in decorate.
    if (this.#report) return null;
    const headers = request.headers;
    const method = request.method;
    if (headers.get("origin") === null) return null;
    if (
      method === "OPTIONS"
        ? headers.get("access-control-request-method") === null
        : !isWebSocketHandshake(method, headers)
    )
      return null;
    const pending = this.#decide(request, options);
    const finish = (decision: CorsDecision) => {
      if (answerStatus(decision) === null) return null;
      return this.#answer(decision, this.#observe(decision, request, options));
    };
    return pending instanceof Promise ? pending.then(finish) : finish(pending);
  }

  decorate(
    request: Request,
    response: Response,
    options?: RequestOptions,
  ): Response | Promise<Response> {
    const pending = this.#decide(request, options);
    const finish = (decision: CorsDecision) =>
      this.#decorate(decision, response, this.#observe(decision, request, options));
    return pending instanceof Promise ? pending.then(finish) : finish(pending);
  }

  async explain(request: Request, options?: RequestOptions): Promise<Decision> {
    const decision = await this.#decide(request, options);
    return describeDecision(
      decision,
      this.compiled,
      request.method,
      options?.path ?? rawPathOf(request.url),
      request.headers.get("access-control-request-private-network") === "true",
    );
  }
}

/** Wrap an already validated compiled policy (see `compilePolicy`, `loadCors`). */
export function corsFromCompiled(
  compiled: CompiledPolicy,
  warnings: readonly PolicyIssue[] = [],
): Cors {
  return new CompiledCors(compiled, warnings);
}
