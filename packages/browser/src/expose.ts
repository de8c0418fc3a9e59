/** Fetch §CORS-filtered response: which response headers a script can read. */
import { FORBIDDEN_RESPONSE_HEADERS, SAFELISTED_RESPONSE_HEADERS } from "@edge-cors/core/spec";
import { asciiLower, parseTokenList } from "./bytes.ts";
import { isSameOrigin } from "./plan.ts";
import { HeaderView } from "./response-headers.ts";
import type { BrowserRequest, Problem, ResponseLike, Verdict, Warning } from "./types.ts";

const ACEH = "Access-Control-Expose-Headers";

export interface ExposureResult extends Verdict {
  /** Lower-case names present in the response that `response.headers.get()` returns. */
  exposed: string[];
  /** Lower-case names present in the response that the script cannot see. */
  hidden: string[];
  /** True when ACEH `*` exposes every non-forbidden header (no credentials). */
  wildcard: boolean;
  /** Parsed ACEH names (lower-case); null when absent or unparsable. */
  listed: string[] | null;
}

export interface ExposureContext {
  /** Response tainting "cors" (false: same-origin, everything but Set-Cookie is visible). */
  cors: boolean;
  include: boolean;
  /** Header names the script intends to read; each unreadable one is a problem. */
  readHeaders?: string[];
}

export function evaluateExposure(view: HeaderView, ctx: ExposureContext): ExposureResult {
  const stage = "expose" as const;
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const parsed = parseTokenList(view.get(ACEH));
  const listed = parsed.kind === "ok" ? parsed.items.map(asciiLower) : null;
  const listedSet = new Set(listed ?? []);
  const wildcard = ctx.cors && !ctx.include && listedSet.has("*");

  const readable = (name: string): boolean =>
    !FORBIDDEN_RESPONSE_HEADERS.has(name) &&
    (!ctx.cors || wildcard || SAFELISTED_RESPONSE_HEADERS.has(name) || listedSet.has(name));

  const names = view.names();
  const exposed = names.filter(readable);
  const hidden = names.filter((n) => !readable(n));

  if (ctx.cors && parsed.kind === "invalid") {
    warnings.push({
      code: "aceh-invalid",
      header: ACEH,
      message: `${ACEH} contains "${parsed.bad}", which is not a header name, so the whole header is ignored`,
      fix: `send ${ACEH} as a comma-separated list of header names`,
      stage,
    });
  }
  const hiddenListable = hidden.filter((n) => !FORBIDDEN_RESPONSE_HEADERS.has(n));
  if (ctx.cors && ctx.include && listedSet.has("*")) {
    warnings.push({
      code: "aceh-wildcard-credentials",
      header: ACEH,
      message: `${ACEH} contains "*", which only names a header literally called "*" for credentialed requests`,
      fix:
        hiddenListable.length > 0
          ? `send ${ACEH}: ${hiddenListable.join(", ")}`
          : `list the header names explicitly in ${ACEH}`,
      stage,
    });
  }
  const forbiddenListed = [...listedSet].filter((n) => FORBIDDEN_RESPONSE_HEADERS.has(n));
  if (ctx.cors && forbiddenListed.length > 0) {
    warnings.push({
      code: "aceh-forbidden",
      header: ACEH,
      message: `${ACEH} lists ${forbiddenListed.join(", ")}, which browsers never expose to scripts`,
      fix: `remove ${forbiddenListed.join(", ")} from ${ACEH}`,
      stage,
    });
  }

  const wanted = (ctx.readHeaders ?? []).map(asciiLower);
  const notExposed = wanted.filter((n) => !FORBIDDEN_RESPONSE_HEADERS.has(n) && !readable(n));
  for (const name of wanted) {
    if (FORBIDDEN_RESPONSE_HEADERS.has(name)) {
      problems.push({
        code: "header-forbidden",
        header: name,
        message: `${name} is a forbidden response header; scripts can never read it`,
        fix: "send the value in the body or another header; the browser stores cookies itself",
        stage,
      });
    } else if (!readable(name)) {
      const keep = (listed ?? []).filter((n) => !(ctx.include && n === "*"));
      problems.push({
        code: "header-not-exposed",
        header: ACEH,
        message: `The script cannot read ${name}: it is not CORS-safelisted and not exposed by ${ACEH}`,
        fix: `send ${ACEH}: ${[...keep, ...notExposed].join(", ")}`,
        stage,
      });
    } else if (!view.has(name)) {
      warnings.push({
        code: "header-absent",
        header: name,
        message: `${name} would be readable but the response does not contain it`,
        fix: `send ${name} in the response`,
        stage,
      });
    }
  }
  return { ok: problems.length === 0, problems, warnings, exposed, hidden, wildcard, listed };
}

/**
 * Which response header names a script can read after `fetch(req)` got `response`:
 * safelisted ones plus ACEH-listed ones; ACEH `*` exposes all non-forbidden names only without
 * credentials; Set-Cookie / Set-Cookie2 never. Optionally checks names the script wants to read.
 */
export function exposedHeaderNames(
  req: BrowserRequest,
  response: ResponseLike,
  readHeaders?: string[],
): ExposureResult {
  let cors = true;
  try {
    cors = !isSameOrigin(new URL(req.url), req.origin);
  } catch {
    // invalid URL: judge as cross-origin
  }
  const ctx: ExposureContext = { cors, include: req.credentials === "include" };
  if (readHeaders !== undefined) ctx.readHeaders = readHeaders;
  return evaluateExposure(new HeaderView(response.headers), ctx);
}
