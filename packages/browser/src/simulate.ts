/** Runs a whole cross-origin fetch against a caller-supplied transport, as a browser would. */
import {
  MAX_REDIRECTS,
  NON_WILDCARD_REQUEST_HEADERS,
  REQUEST_BODY_HEADERS,
} from "@edge-cors/core/spec";
import { type CorsCheckResult, corsCheckView } from "./check.ts";
import { engineProfile, type Ruleset } from "./engines.ts";
import { type ExposureResult, evaluateExposure } from "./expose.ts";
import {
  firstHop,
  type Hop,
  isSameOrigin,
  planHop,
  planRequest,
  type RequestPlan,
} from "./plan.ts";
import { evaluatePreflight, type PreflightCheckResult } from "./preflight.ts";
import type { PreflightCache, PreflightCacheQuery } from "./preflight-cache.ts";
import { HeaderView } from "./response-headers.ts";
import type {
  BrowserRequest,
  Problem,
  ResponseLike,
  Stage,
  Warning,
  WireRequest,
} from "./types.ts";

/** The transport: send one request, return its response. Throw to model a network failure. */
export type Respond = (
  request: WireRequest & { kind: "preflight" | "actual" },
) => Promise<ResponseLike>;

export interface SimulateOptions {
  /** Response header names the script wants to read; unreadable ones become problems. */
  readHeaders?: string[];
  /** Whose rules: an engine's defaults or the Fetch standard (default). */
  ruleset?: Ruleset;
  /**
   * The browser session's preflight cache, shared across calls; its ruleset must match. Without
   * one the cache starts empty, so every needed preflight is sent.
   */
  preflightCache?: PreflightCache;
}

export interface SimulationStep {
  kind: "preflight" | "actual";
  request: WireRequest;
  /** Null when `respond` threw. */
  response: { status: number; headers: Array<[string, string]> } | null;
  /** Judgement of this response (null when it was not judged). */
  check: PreflightCheckResult | CorsCheckResult | null;
}

export interface SimulationReport {
  ok: boolean;
  problems: Problem[];
  warnings: Warning[];
  plan: RequestPlan;
  steps: SimulationStep[];
  /** The ruleset that judged. */
  ruleset: Ruleset;
  /** The last preflight judgement, if any preflight was sent. */
  preflight: PreflightCheckResult | null;
  /** Needed preflights that a cached grant made unnecessary (nothing was sent for them). */
  preflightsFromCache: number;
  /**
   * Seconds an identical request (same cache mode) may reuse this request's preflight under the
   * ruleset: 0 when none was sent, the request failed, or the cache mode does not store or reuse.
   */
  preflightCacheSeconds: number;
  /** The judgement of the final actual response (null if the flow stopped earlier). */
  actual: CorsCheckResult | null;
  /** Header exposure of the final response (null if the flow stopped earlier). */
  exposure: ExposureResult | null;
  /** Status the script sees: 0 for an opaque redirect, null on a network error. */
  status: number | null;
  finalUrl: string;
  redirects: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function fail(code: string, message: string, fix: string, stage: Stage, header?: string): Problem {
  return header === undefined
    ? { code, message, fix, stage }
    : { code, header, message, fix, stage };
}

/**
 * preflight (if needed) → check → actual request → CORS check → follow redirects (re-planning,
 * tainting the origin to "null" on a cross-origin hop) → exposed headers. No I/O of its own.
 */
export async function simulate(
  req: BrowserRequest,
  respond: Respond,
  options: SimulateOptions = {},
): Promise<SimulationReport> {
  const ruleset = options.ruleset ?? "standard";
  const profile = engineProfile(ruleset);
  const cache = options.preflightCache ?? null;
  if (cache !== null && cache.ruleset !== ruleset) {
    throw new Error(`simulate: the preflight cache models ${cache.ruleset}, not ${ruleset}`);
  }
  const cacheMode =
    req.cache === undefined || req.cache === "only-if-cached" ? "default" : req.cache;
  const plan = planRequest(req);
  const report: SimulationReport = {
    ok: false,
    problems: [...plan.problems],
    warnings: [...plan.warnings],
    plan,
    steps: [],
    ruleset,
    preflight: null,
    preflightsFromCache: 0,
    preflightCacheSeconds: 0,
    actual: null,
    exposure: null,
    status: null,
    finalUrl: plan.actual.url,
    redirects: 0,
  };
  const start = firstHop(req).hop;
  if (!plan.ok || start === null) return report;

  const include = (req.credentials ?? "same-origin") === "include";
  const send = async (wire: WireRequest, kind: "preflight" | "actual") => {
    const step: SimulationStep = { kind, request: wire, response: null, check: null };
    report.steps.push(step);
    try {
      const res = await respond({ ...wire, kind });
      const view = new HeaderView(res.headers);
      step.response = { status: res.status, headers: view.entries() };
      return { step, status: res.status, view };
    } catch (err) {
      report.problems.push(
        fail(
          "network-error",
          `The ${kind === "preflight" ? "preflight" : "request"} to ${wire.url} failed: ${String(err)}`,
          "make sure the server is reachable and answers this request",
          kind,
        ),
      );
      return null;
    }
  };

  // The cache entry of this hop's preflight (set when one passed), and whether the fetch so far
  // needed a preflight (Fetch §main fetch clears the cache entries when such a fetch fails).
  let preflighted: PreflightCacheQuery | null = null;
  let lastGrantSeconds = 0;
  const failed = () => {
    if (cache !== null && preflighted !== null) cache.clear(preflighted.origin, preflighted.url);
    return report;
  };

  let hop: Hop = start;
  for (;;) {
    const preflightOrigin =
      profile.redirectedPreflightOrigin === "page" ? hop.pageOrigin : hop.origin;
    const planned = planHop(hop, preflightOrigin);
    report.finalUrl = planned.actual.url;
    if (planned.preflight !== null) {
      const query: PreflightCacheQuery = {
        origin: preflightOrigin,
        url: planned.preflight.url,
        include,
        method: hop.method,
        unsafeNames: planned.unsafe.names,
        forcePreflight: hop.forcePreflight,
        cache: cacheMode,
      };
      preflighted = query;
      if (cache?.covers(query)) {
        report.preflightsFromCache++;
      } else {
        const got = await send(planned.preflight, "preflight");
        if (got === null) return failed();
        const check = evaluatePreflight(got.status, got.view, {
          origin: preflightOrigin,
          include,
          method: hop.method,
          headerNames: hop.headers.map(([n]) => n),
          unsafeNames: planned.unsafe.names,
          forcePreflight: hop.forcePreflight,
          ruleset,
        });
        got.step.check = check;
        report.preflight = check;
        report.problems.push(...check.problems);
        report.warnings.push(...check.warnings);
        if (!check.ok) return failed();
        const seconds = profile.maxAgeSeconds(check.maxAge.raw);
        const methods = check.allowedMethods ?? (hop.forcePreflight ? [hop.method] : []);
        cache?.store(query, { methods, headers: check.allowedHeaders ?? [], seconds });
        const use = profile.preflightCache[cacheMode];
        lastGrantSeconds = use.reuse && use.store ? seconds : 0;
      }
    }

    const got = await send(planned.actual, "actual");
    if (got === null) return failed();
    const location = got.view.get("location");
    const isRedirect = REDIRECT_STATUSES.has(got.status) && location !== null;
    const stage: Stage = isRedirect ? "redirect" : "actual";
    if (hop.cors) {
      const check = corsCheckView(got.view, hop.origin, include, stage);
      got.step.check = check;
      report.problems.push(...check.problems);
      report.warnings.push(...check.warnings);
      if (!check.ok) return failed();
      if (!isRedirect) report.actual = check;
    }
    if (!isRedirect) {
      const exposure = evaluateExposure(got.view, {
        cors: hop.cors,
        include,
        readHeaders: options.readHeaders ?? [],
      });
      report.exposure = exposure;
      report.problems.push(...exposure.problems);
      report.warnings.push(...exposure.warnings);
      report.status = got.status;
      report.ok = report.problems.length === 0;
      report.preflightCacheSeconds = report.ok ? lastGrantSeconds : 0;
      return report;
    }

    // Fetch §HTTP-redirect fetch.
    const mode = req.redirect ?? "follow";
    if (mode === "manual") {
      report.status = 0;
      report.ok = report.problems.length === 0;
      report.preflightCacheSeconds = report.ok ? lastGrantSeconds : 0;
      return report;
    }
    if (mode === "error") {
      report.problems.push(
        fail(
          "redirect-mode-error",
          `The response is a ${got.status} redirect and the request uses redirect: "error"`,
          "request the final URL directly or stop redirecting",
          "redirect",
          "Location",
        ),
      );
      return failed();
    }
    let next: URL;
    try {
      next = new URL(location, hop.url);
    } catch {
      report.problems.push(
        fail(
          "redirect-location-invalid",
          `Location "${location}" is not a valid URL`,
          "send an absolute or valid relative URL in Location",
          "redirect",
          "Location",
        ),
      );
      return failed();
    }
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      report.problems.push(
        fail(
          "redirect-scheme",
          `The redirect goes to a ${next.protocol} URL; only http(s) can be followed`,
          "redirect to an http: or https: URL",
          "redirect",
          "Location",
        ),
      );
      return failed();
    }
    if (report.redirects >= MAX_REDIRECTS) {
      report.problems.push(
        fail(
          "redirect-limit",
          `More than ${MAX_REDIRECTS} redirects`,
          "break the redirect loop",
          "redirect",
          "Location",
        ),
      );
      return failed();
    }
    const hasUserinfo = next.username !== "" || next.password !== "";
    if (hasUserinfo && (hop.cors || !isSameOrigin(next, hop.origin))) {
      report.problems.push(
        fail(
          "redirect-url-credentials",
          "The cross-origin redirect target contains a user name or password",
          "remove user:password@ from the Location URL",
          "redirect",
          "Location",
        ),
      );
      return failed();
    }
    report.redirects++;
    const tainted =
      hop.origin === "null" ||
      (next.origin !== hop.url.origin && hop.url.origin !== hop.pageOrigin);
    let method = hop.method;
    let headers = hop.headers;
    if (
      ((got.status === 301 || got.status === 302) && method === "POST") ||
      (got.status === 303 && method !== "GET" && method !== "HEAD")
    ) {
      method = "GET";
      headers = headers.filter(([n]) => !REQUEST_BODY_HEADERS.has(n));
    }
    // "If request's current URL's origin is not same origin with locationURL's origin, then for
    // each headerName of CORS non-wildcard request-header name, delete headerName" (Authorization).
    if (next.origin !== hop.url.origin) {
      headers = headers.filter(([n]) => !NON_WILDCARD_REQUEST_HEADERS.has(n));
    }
    const origin = tainted ? "null" : hop.origin;
    hop = {
      ...hop,
      url: next,
      origin,
      method,
      headers,
      cors: hop.cors || !isSameOrigin(next, origin),
    };
  }
}
