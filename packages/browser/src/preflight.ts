/** Fetch §CORS-preflight fetch: how the browser judges the OPTIONS response. */
import { NON_WILDCARD_REQUEST_HEADERS } from "@edge-cors/core/spec";
import { asciiLower, asciiUpper, type ListParse, parseTokenList } from "./bytes.ts";
import { type CorsCheckResult, corsCheckView } from "./check.ts";
import { engineProfile, type Ruleset } from "./engines.ts";
import { type MaxAge, preflightCacheSeconds } from "./max-age.ts";
import { firstHop } from "./plan.ts";
import { combineEntries, unsafeNamesOf } from "./request-headers.ts";
import { HeaderView } from "./response-headers.ts";
import { isSafelistedMethod, normalizeMethod } from "./safelist.ts";
import type { BrowserRequest, Problem, ResponseLike, Verdict, Warning } from "./types.ts";

const ACAM = "Access-Control-Allow-Methods";
const ACAH = "Access-Control-Allow-Headers";
const ACMA = "Access-Control-Max-Age";

export interface PreflightCheckResult extends Verdict {
  /** The CORS check part (ACAO / ACAC). */
  cors: CorsCheckResult;
  status: number;
  /** Parsed ACAM (case kept) / ACAH (lower-cased); null when absent or unparsable. */
  allowedMethods: string[] | null;
  allowedHeaders: string[] | null;
  maxAge: MaxAge;
}

/** What the preflight is judged against: the actual request as the browser will send it. */
export interface PreflightContext {
  /** Byte-serialized request origin ("null" when opaque or tainted). */
  origin: string;
  include: boolean;
  method: string;
  /** Lower-case names in the actual request's header list. */
  headerNames: string[];
  /** CORS-unsafe request-header names of the actual request. */
  unsafeNames: string[];
  forcePreflight: boolean;
  /** Whose rules judge the response (default: the Fetch standard). */
  ruleset?: Ruleset;
}

function listOrNull(parse: ListParse): string[] | null {
  return parse.kind === "ok" ? parse.items : null;
}

/** Fetch §CORS-preflight fetch steps 7.x over a response, with diagnostics. */
export function evaluatePreflight(
  status: number,
  view: HeaderView,
  ctx: PreflightContext,
): PreflightCheckResult {
  const stage = "preflight" as const;
  const cors = corsCheckView(view, ctx.origin, ctx.include, stage);
  const problems: Problem[] = [...cors.problems];
  const warnings: Warning[] = [...cors.warnings];

  if (status >= 300 && status < 400) {
    problems.push({
      code: "preflight-redirect",
      message: `The preflight got a ${status} redirect; browsers never follow redirects for preflights`,
      fix: "answer OPTIONS at this exact URL with 204 instead of redirecting (check trailing-slash and http-to-https redirects)",
      stage,
    });
  } else if (status < 200 || status > 299) {
    problems.push({
      code: "preflight-status",
      message: `The preflight response has status ${status}; it must be 200-299`,
      fix: "answer OPTIONS requests with 204 No Content (or 200) plus the CORS headers",
      stage,
    });
  }

  const methodsParse = parseTokenList(view.get(ACAM));
  const headersParse = parseTokenList(view.get(ACAH));
  if (methodsParse.kind === "invalid") {
    problems.push({
      code: "acam-invalid",
      header: ACAM,
      message: `${ACAM} contains "${methodsParse.bad}", which is not a method token; the whole preflight fails`,
      fix: `send ${ACAM} as a comma-separated list of methods, e.g. ${ACAM}: ${ctx.method}`,
      stage,
    });
  }
  if (headersParse.kind === "invalid") {
    problems.push({
      code: "acah-invalid",
      header: ACAH,
      message: `${ACAH} contains "${headersParse.bad}", which is not a header name; the whole preflight fails`,
      fix: `send ${ACAH} as a comma-separated list of header names, e.g. ${ACAH}: ${ctx.unsafeNames.join(", ") || "x-custom"}`,
      stage,
    });
  }

  // Absent lists grant nothing, except that a forced preflight's own method counts as listed.
  if (methodsParse.kind !== "invalid") {
    const absent = methodsParse.kind === "absent";
    const methods = absent ? (ctx.forcePreflight ? [ctx.method] : []) : methodsParse.items;
    checkMethod(methods, ctx, problems, warnings);
  }
  const headerItems = listOrNull(headersParse);
  if (headersParse.kind !== "invalid") checkHeaders(headerItems ?? [], ctx, problems, warnings);

  const maxAge = preflightCacheSeconds(view.get(ACMA));
  maxAgeWarnings(maxAge, warnings);

  return {
    ok: problems.length === 0,
    problems,
    warnings,
    cors,
    status,
    allowedMethods: listOrNull(methodsParse),
    allowedHeaders: headerItems?.map(asciiLower) ?? null,
    maxAge,
  };
}

function checkMethod(
  methods: string[],
  ctx: PreflightContext,
  problems: Problem[],
  warnings: Warning[],
): void {
  const stage = "preflight" as const;
  const hasStar = methods.includes("*");
  const granted =
    methods.includes(ctx.method) || isSafelistedMethod(ctx.method) || (!ctx.include && hasStar);
  if (granted) {
    if (ctx.include && hasStar) {
      warnings.push({
        code: "acam-wildcard-credentials",
        header: ACAM,
        message: `${ACAM} contains "*", which is a literal method name for credentialed requests`,
        fix: `list the methods explicitly in ${ACAM}`,
        stage,
      });
    }
    return;
  }
  const fixed = [...methods.filter((m) => !(ctx.include && m === "*")), ctx.method].join(", ");
  const fix = `send ${ACAM}: ${fixed}`;
  const caseTwin = methods.find(
    (m) => m !== ctx.method && asciiLower(m) === asciiLower(ctx.method),
  );
  if (caseTwin !== undefined) {
    const hint =
      asciiUpper(ctx.method) !== ctx.method
        ? ` (fetch sends "${ctx.method}" as written; only DELETE GET HEAD OPTIONS POST PUT are upper-cased)`
        : "";
    problems.push({
      code: "method-case-mismatch",
      header: ACAM,
      message: `${ACAM} lists "${caseTwin}" but the browser sends "${ctx.method}"; methods are compared case-sensitively${hint}`,
      fix,
      stage,
    });
  } else if (ctx.include && hasStar) {
    problems.push({
      code: "acam-wildcard-credentials",
      header: ACAM,
      message: `${ACAM} is "*", but with credentials "*" is a literal method name, so ${ctx.method} is not allowed`,
      fix,
      stage,
    });
  } else {
    problems.push({
      code: "method-not-allowed",
      header: ACAM,
      message:
        methods.length === 0
          ? `The preflight response does not allow ${ctx.method} (${ACAM} is missing or empty)`
          : `${ACAM} "${methods.join(", ")}" does not include ${ctx.method}`,
      fix,
      stage,
    });
  }
}

function checkHeaders(
  items: string[],
  ctx: PreflightContext,
  problems: Problem[],
  warnings: Warning[],
): void {
  const stage = "preflight" as const;
  const listed = new Set(items.map(asciiLower));
  const hasStar = listed.has("*");
  const wildcard = hasStar && !ctx.include;
  const missing: Array<{ name: string; code: string; why: string }> = [];
  const profile = engineProfile(ctx.ruleset);
  for (const name of ctx.headerNames) {
    if (NON_WILDCARD_REQUEST_HEADERS.has(name) && !listed.has(name)) {
      if (wildcard && profile.wildcardCoversAuthorization) {
        warnings.push({
          code: "acah-wildcard-authorization",
          header: ACAH,
          message: `${profile.label} lets "*" in ${ACAH} cover Authorization by default, but the Fetch standard never does: a browser that follows it${profile.standardAuthorizationSwitch === null ? "" : ` (${profile.label} with ${profile.standardAuthorizationSwitch})`} blocks this request`,
          fix: `send ${ACAH}: ${[...items, name].join(", ")}`,
          stage,
        });
        continue;
      }
      missing.push({
        name,
        code: wildcard ? "acah-wildcard-authorization" : "header-not-allowed",
        why: wildcard
          ? `"*" in ${ACAH} never covers ${name}; it must be listed by name`
          : `${ACAH} does not include ${name}`,
      });
    }
  }
  for (const name of ctx.unsafeNames) {
    if (NON_WILDCARD_REQUEST_HEADERS.has(name) || listed.has(name) || wildcard) continue;
    missing.push({
      name,
      code: ctx.include && hasStar ? "acah-wildcard-credentials" : "header-not-allowed",
      why:
        ctx.include && hasStar
          ? `with credentials "*" in ${ACAH} is a literal header name, so ${name} is not allowed`
          : items.length === 0
            ? `The preflight response does not allow the request header ${name} (${ACAH} is missing or empty)`
            : `${ACAH} "${items.join(", ")}" does not include ${name}`,
    });
  }
  if (missing.length === 0) {
    if (ctx.include && hasStar) {
      warnings.push({
        code: "acah-wildcard-credentials",
        header: ACAH,
        message: `${ACAH} contains "*", which is a literal header name for credentialed requests`,
        fix: `list the header names explicitly in ${ACAH}`,
        stage,
      });
    }
    return;
  }
  const kept = items.filter((h) => !(ctx.include && h === "*"));
  const fix = `send ${ACAH}: ${[...kept, ...missing.map((m) => m.name)].join(", ")}`;
  for (const m of missing) {
    problems.push({ code: m.code, header: ACAH, message: m.why, fix, stage });
  }
}

function maxAgeWarnings(maxAge: MaxAge, warnings: Warning[]): void {
  const stage = "preflight" as const;
  const { chromium, firefox, webkit } = maxAge.seconds;
  if (maxAge.raw === null) {
    warnings.push({
      code: "acma-missing",
      header: ACMA,
      message: `No ${ACMA}: browsers cache this preflight for only 5 s, so most requests pay an extra round trip`,
      fix: `send ${ACMA}: 7200 (Chromium's cap; Firefox allows 86400, WebKit 600)`,
      stage,
    });
  } else if (!maxAge.valid) {
    warnings.push({
      code: "acma-invalid",
      header: ACMA,
      message: `${ACMA} "${maxAge.raw}" is not a plain number of seconds; engines disagree (Chromium ${chromium} s, Firefox ${firefox} s, WebKit ${webkit} s)`,
      fix: `send ${ACMA}: 7200 (digits only)`,
      stage,
    });
  } else if (firefox === 86400 && maxAge.raw !== "86400") {
    warnings.push({
      code: "acma-above-caps",
      header: ACMA,
      message: `${ACMA} ${maxAge.raw} exceeds every engine's cap (Chromium 7200 s, Firefox 86400 s, WebKit 600 s)`,
      fix: `send ${ACMA}: 7200`,
      stage,
    });
  }
}

export interface CheckOptions {
  /** Whose rules judge the response: an engine's defaults or the Fetch standard (default). */
  ruleset?: Ruleset;
}

/** Fetch §CORS-preflight fetch response check for `req`, as a browser would judge `response`. */
export function checkPreflight(
  req: BrowserRequest,
  response: ResponseLike,
  options: CheckOptions = {},
): PreflightCheckResult {
  const { hop, built } = firstHop(req);
  const headers = hop?.headers ?? combineEntries(built.entries);
  const method = hop?.method ?? normalizeMethod(req.method);
  return evaluatePreflight(response.status, new HeaderView(response.headers), {
    origin: req.origin,
    include: req.credentials === "include",
    method,
    headerNames: headers.map(([n]) => n),
    unsafeNames: unsafeNamesOf(headers).names,
    forcePreflight: req.forcePreflight === true,
    ruleset: options.ruleset ?? "standard",
  });
}
