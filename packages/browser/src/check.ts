/** Fetch §CORS check (#cors-check), with diagnostics. */
import { asciiLower, varyCoversOrigin } from "./bytes.ts";
import { HeaderView } from "./response-headers.ts";
import type { BrowserRequest, Problem, ResponseLike, Stage, Verdict, Warning } from "./types.ts";

const ACAO = "Access-Control-Allow-Origin";
const ACAC = "Access-Control-Allow-Credentials";

export interface CorsCheckResult extends Verdict {
  /** ACAO as `Headers.get` returns it (lines joined by ", "), or null. */
  allowOrigin: string | null;
  /** ACAC as `Headers.get` returns it, or null. */
  allowCredentials: string | null;
}

function describeMismatch(acao: string, origin: string): string {
  if (acao === "") return `${ACAO} is empty`;
  if (acao === "null") return `${ACAO} is "null" but the request's origin is ${origin}`;
  if (acao === "*") return `${ACAO} is "*"`;
  if (asciiLower(acao) === origin) {
    return `${ACAO} "${acao}" differs from ${origin} only in letter case; origins are compared byte-for-byte`;
  }
  if (acao === `${origin}/`) return `${ACAO} "${acao}" has a trailing slash; origins never do`;
  let parsed: string | null = null;
  try {
    parsed = new URL(acao).origin;
  } catch {
    // not a URL at all
  }
  if (parsed === origin) {
    return `${ACAO} "${acao}" is the right origin written differently (path, default port or case); it must equal ${origin} byte-for-byte`;
  }
  return `${ACAO} "${acao}" does not match the request's origin ${origin}`;
}

/**
 * The CORS check on one response. `origin` is the byte-serialized request origin ("null" once
 * tainted by a redirect), `include` is credentials mode "include".
 */
export function corsCheckView(
  view: HeaderView,
  origin: string,
  include: boolean,
  stage: Stage,
): CorsCheckResult {
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const acao = view.get(ACAO);
  const acac = view.get(ACAC);
  const exact = `send ${ACAO}: ${origin}`;
  const where = stage === "preflight" ? "preflight response" : `${stage} response`;

  if (acao === null) {
    problems.push({
      code: "acao-missing",
      header: ACAO,
      message: `The ${where} has no ${ACAO} header`,
      fix: include || origin === "null" ? exact : `${exact} (or * for a public resource)`,
      stage,
    });
  } else if (acao === "*" && !include) {
    // passes
  } else if (acao === "*") {
    problems.push({
      code: "acao-wildcard-credentials",
      header: ACAO,
      message: `${ACAO} is "*" but the request is credentialed (credentials: "include"); "*" only works without credentials`,
      fix: `${exact} (the exact origin instead of *)`,
      stage,
    });
  } else if (acao !== origin) {
    const lines = view.count(ACAO);
    const multiple = lines > 1 || acao.includes(",");
    problems.push({
      code: multiple ? "acao-multiple" : "acao-mismatch",
      header: ACAO,
      message: multiple
        ? `${ACAO} holds several values ("${acao}"${lines > 1 ? `, from ${lines} header lines` : ""}); browsers accept exactly one origin`
        : describeMismatch(acao, origin),
      fix: `${exact} (exactly one value)`,
      stage,
    });
  }

  if (include && acac !== "true") {
    problems.push({
      code: acac === null ? "acac-missing" : "acac-invalid",
      header: ACAC,
      message:
        acac === null
          ? `The request is credentialed but the ${where} has no ${ACAC} header`
          : `${ACAC} is "${acac}"; only the exact lower-case value "true" is accepted`,
      fix: `send ${ACAC}: true`,
      stage,
    });
  }

  if (!include && acac !== null && acac !== "true") {
    warnings.push({
      code: "acac-not-true",
      header: ACAC,
      message: `${ACAC} is "${acac}"; credentialed requests would fail, only "true" is accepted`,
      fix: `send ${ACAC}: true, or drop the header`,
      stage,
    });
  }
  if (acao === "*" && acac === "true" && !include) {
    warnings.push({
      code: "acao-wildcard-with-credentials",
      header: ACAO,
      message: `${ACAO}: * together with ${ACAC}: true; a credentialed request from this page would be blocked`,
      fix: `${exact} if credentialed requests must work, otherwise drop ${ACAC}`,
      stage,
    });
  }
  const passed = problems.length === 0;
  if (passed && acao === "null") {
    warnings.push({
      code: "acao-null",
      header: ACAO,
      message: `${ACAO}: null trusts sandboxed iframes, data: and file: documents, which any attacker can create`,
      fix: `stop allowing the "null" origin and serve callers from a real origin`,
      stage,
    });
  }
  if (
    passed &&
    acao !== null &&
    acao !== "*" &&
    stage !== "preflight" &&
    !varyCoversOrigin(view.get("Vary"))
  ) {
    warnings.push({
      code: "vary-origin-missing",
      header: "Vary",
      message: `${ACAO} names a specific origin but the response lacks Vary: Origin, so shared caches can serve it to other origins`,
      fix: "send Vary: Origin on every response whose CORS headers depend on the request's Origin",
      stage,
    });
  }
  return { ok: passed, problems, warnings, allowOrigin: acao, allowCredentials: acac };
}

/**
 * Fetch §CORS check for `req` against `response` (an actual or redirect response).
 * ACAO is read with `get` semantics, so several lines always fail.
 */
export function checkCors(req: BrowserRequest, response: ResponseLike): CorsCheckResult {
  return corsCheckView(
    new HeaderView(response.headers),
    req.origin,
    req.credentials === "include",
    "actual",
  );
}
