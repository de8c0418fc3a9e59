/**
 * A decision in plain words: `explain()`, `onDecision`, the decision header and the edge
 * layers' decision log all show these. Only the words are made here; what was decided comes
 * from decide.ts, and the headers from render.ts.
 */
import type { CompiledPolicy, RouteRules } from "./compile.ts";
import type { CorsDecision } from "./decide.ts";
import { ACRH_MAX_EMPTY, ACRH_MAX_LENGTH, ACRH_MAX_OWS } from "./names.ts";
import { MAX_ORIGIN_LENGTH } from "./origins.ts";
import { canonicalPath, MAX_ROUTED_PATH_LENGTH, pathInterpretations } from "./paths.ts";
import type { Decision } from "./policy.ts";
import { answerStatus, DECISION_HEADER, decisionHeaders } from "./render.ts";
import { firstMatch } from "./routes.ts";
import { effectiveCacheSeconds } from "./spec.ts";

const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);

const where = (rules: RouteRules, option: string) =>
  rules.route === null ? option : `${option} of route "${rules.route}"`;

const grantedBy = (rules: RouteRules) =>
  rules.allowOrigins.any ? 'allowOrigins "*"' : where(rules, "allowOrigins");

/** The decision's reason and, when a change would get the grant, the fix. */
function reasonAndFix(
  decision: CorsDecision,
  compiled: CompiledPolicy,
  path: string,
): { reason: string; fix: string | null } {
  const { rules, origin } = decision;
  const name = decision.refusedName ?? "";
  switch (decision.refusal) {
    case "origin-null":
      return {
        reason:
          'Origin is "null" (a sandboxed iframe, data: URL, file: page or cross-origin redirect): it is never allowed, since anyone can produce it',
        fix: null,
      };
    case "origin-too-long":
      return {
        reason: `Origin is longer than ${MAX_ORIGIN_LENGTH} bytes: refused unread`,
        fix: null,
      };
    case "origin-not-allowed":
      return {
        reason: `Origin ${clip(origin!)} is not allowed`,
        fix: `add "${clip(origin!)}" (or a pattern covering it) to ${where(rules, "allowOrigins")}`,
      };
    case "method-not-allowed": {
      const upper = name.toUpperCase();
      const hint =
        upper !== name && rules.allowMethods.names.has(upper)
          ? ` (allowMethods has "${upper}", but browsers send "${clip(name)}" as written and compare case-sensitively)`
          : "";
      return {
        reason: `Access-Control-Request-Method ${clip(name)} is not in ${where(rules, "allowMethods")}`,
        fix: `add "${clip(name)}" to ${where(rules, "allowMethods")}${hint}`,
      };
    }
    case "authorization-not-covered":
      return {
        reason: `Access-Control-Request-Headers asks for ${name}, which "*" never covers (Fetch)`,
        fix: `list "Authorization" in ${where(rules, "allowHeaders")}`,
      };
    case "header-not-allowed":
      return {
        reason: `Access-Control-Request-Headers asks for ${clip(name)}, which ${where(rules, "allowHeaders")} does not list`,
        fix: `add "${clip(name)}" to ${where(rules, "allowHeaders")}`,
      };
    case "headers-malformed":
      return {
        reason: `Access-Control-Request-Headers is malformed or beyond the bounds (${ACRH_MAX_LENGTH} bytes, ${ACRH_MAX_EMPTY} empty elements, ${ACRH_MAX_OWS} spaces around a name): preflight refused`,
        fix: null,
      };
    case "path-ambiguous":
      return ambiguousPath(compiled, path);
    case null:
      break;
  }
  switch (decision.kind) {
    case "preflight":
      return {
        reason: `Preflight for ${clip(decision.requestedMethod!)} from ${clip(origin!)} allowed by ${grantedBy(rules)}`,
        fix: null,
      };
    case "websocket":
      return {
        reason: `WebSocket handshake from ${clip(origin!)} allowed by ${grantedBy(rules)}: passed on, a 101 comes back untouched`,
        fix: null,
      };
    case "plain-options":
      return {
        reason:
          "OPTIONS without both Origin and Access-Control-Request-Method is not a preflight: passed on to the app",
        fix: null,
      };
    case "not-cors":
      return {
        reason: rules.allowOrigins.any
          ? 'No Origin header: not a CORS request; the static "Access-Control-Allow-Origin: *" is sent anyway'
          : "No Origin header: not a CORS request; passed on with Vary: Origin, since the response depends on Origin",
        fix: null,
      };
    case "actual":
      return {
        reason: `Origin ${clip(origin!)} allowed by ${grantedBy(rules)}: passed on, the response gets the grant headers`,
        fix: null,
      };
  }
}

/** Which reading of an ambiguous path selects which route, in words. */
function ambiguousPath(compiled: CompiledPolicy, path: string): { reason: string; fix: string } {
  const readings = pathInterpretations(path, compiled.pathCase);
  if (readings === null) {
    return {
      reason: `The path is longer than ${MAX_ROUTED_PATH_LENGTH} characters and not plain, too long to match routes on: refused`,
      fix: "shorten the path",
    };
  }
  const byRoute = new Map<string, string>();
  for (const reading of readings) {
    const index = firstMatch(compiled.patterns, reading);
    const route = index < 0 ? "the top level" : `route "${compiled.patterns[index]!.path}"`;
    if (!byRoute.has(route)) byRoute.set(route, reading);
  }
  const parts = [...byRoute].map(([route, reading]) => `${clip(reading)} (${route})`);
  return {
    reason: `The path ${clip(path)} reads as ${parts.join(" or as ")} depending on how the server behind edge-cors decodes and compares paths, so no single route applies: refused`,
    fix: `request the canonical path ${clip(canonicalPath(path))}${compiled.pathCase === undefined ? " (or set pathCase if case is what differs)" : ""}`,
  };
}

/** What happens to the request, after the reason. */
function consequences(decision: CorsDecision, mode: "enforce" | "report"): string[] {
  const out: string[] = [];
  const rules = decision.rules;
  if (decision.kind === "preflight" && decision.allowed) {
    out.push("Answered with 204 at the edge, never reaching the app");
    const caches = effectiveCacheSeconds(rules.maxAge ?? undefined);
    out.push(
      rules.maxAge === null
        ? "No maxAge: no Access-Control-Max-Age, so browsers cache this preflight for 5 s"
        : `Access-Control-Max-Age ${rules.maxAge}: Chromium caches ${caches.chromium} s, Firefox ${caches.firefox} s, WebKit ${caches.webkit} s`,
    );
  } else if (decision.kind === "preflight") {
    out.push("Preflight refused with 403 and no grant headers; it never reaches the app");
  } else if (decision.kind === "websocket" && !decision.allowed && rules.checkWebSocketOrigin) {
    out.push(
      "WebSocket handshake refused with 403 before it reaches the app: no CORS check protects a WebSocket, so edge-cors checks its Origin (checkWebSocketOrigin)",
    );
  } else if (decision.kind === "websocket" && !decision.allowed) {
    out.push("WebSocket handshake passed on anyway: checkWebSocketOrigin is false");
  } else if (decision.kind === "actual" && !decision.allowed) {
    out.push(
      "Passed on to the app; the response gets no grant headers, so the browser blocks the script from reading it",
    );
  }
  if (mode === "report")
    out.push('mode "report": decision recorded only; the request and response are left untouched');
  return out;
}

/** The order people read CORS headers in (the wire order does not matter to browsers). */
const READING_ORDER = [
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
  "access-control-max-age",
  "access-control-allow-private-network",
  "vary",
  DECISION_HEADER,
];

function inReadingOrder(headers: Record<string, string>): Record<string, string> {
  const ordered: Record<string, string> = {};
  for (const name of READING_ORDER) if (name in headers) ordered[name] = headers[name]!;
  return ordered;
}

/** The value of the decision header: short, visible ASCII only (no regex over request text). */
export function decisionHeaderValue(decision: CorsDecision, reason: string): string {
  const text = `${decision.kind}; ${decision.allowed ? "allowed" : "refused"}; ${reason}`;
  let out = "";
  for (let i = 0; i < text.length && i < 256; i++) {
    const c = text.charCodeAt(i);
    out += c >= 0x20 && c <= 0x7e ? text[i] : "?";
  }
  return out;
}

/**
 * The public form of a decision: what `explain()` returns and `onDecision` receives. The
 * words, the headers and the path are made when first read, so an observer that skips most
 * decisions (the edge layers' decision log, at level `refused`) costs next to nothing; a class
 * with prototype getters is what keeps creating one cheap. `toJSON` gives the plain object.
 */
class DescribedDecision implements Decision {
  readonly kind: Decision["kind"];
  readonly allowed: boolean;
  readonly origin: string | null;
  readonly method: string;
  readonly route: string | null;
  readonly refusal: Decision["refusal"];
  readonly mode: Decision["mode"];
  status?: number;
  preflightCache?: Decision["preflightCache"];
  readonly #decision: CorsDecision;
  readonly #compiled: CompiledPolicy;
  readonly #privateNetworkAsked: boolean;
  #pathOrReader: string | (() => string);
  #words: { reason: string; fix: string | null } | undefined;
  #reasons: string[] | undefined;
  #headers: Record<string, string> | undefined;

  constructor(
    decision: CorsDecision,
    compiled: CompiledPolicy,
    method: string,
    pathOrReader: string | (() => string),
    privateNetworkAsked: boolean,
  ) {
    const rules = decision.rules;
    this.kind = decision.kind;
    this.allowed = decision.allowed;
    this.origin = decision.origin;
    this.method = decision.requestedMethod ?? method;
    this.route = rules.route;
    this.refusal =
      decision.refusal === null ? null : { code: decision.refusal, name: decision.refusedName };
    this.mode = compiled.mode;
    this.#decision = decision;
    this.#compiled = compiled;
    this.#pathOrReader = pathOrReader;
    this.#privateNetworkAsked = privateNetworkAsked;
    const status = answerStatus(decision);
    if (status !== null) this.status = status;
    if (decision.kind === "preflight" && decision.allowed) {
      const caches = effectiveCacheSeconds(rules.maxAge ?? undefined);
      this.preflightCache = { maxAge: rules.maxAge, ...caches };
    }
  }

  /** The path the routes were matched on (read from the request when first wanted). */
  get path(): string {
    if (typeof this.#pathOrReader !== "string") this.#pathOrReader = this.#pathOrReader();
    return this.#pathOrReader;
  }

  #said(): { reason: string; fix: string | null } {
    this.#words ??= reasonAndFix(this.#decision, this.#compiled, this.path);
    return this.#words;
  }

  get reason(): string {
    return this.#said().reason;
  }

  get fix(): string | null {
    return this.#said().fix;
  }

  get reasons(): string[] {
    if (this.#reasons === undefined) {
      const { reason, fix } = this.#said();
      const decision = this.#decision;
      this.#reasons = [
        fix === null ? reason : `${reason}: ${fix}`,
        ...consequences(decision, this.#compiled.mode),
      ];
      if (
        decision.kind === "preflight" &&
        decision.allowed &&
        this.#privateNetworkAsked &&
        !decision.rules.allowPrivateNetwork
      ) {
        this.#reasons.push(
          "Access-Control-Request-Private-Network: true was not granted: set allowPrivateNetwork: true if this server is on a private network",
        );
      }
    }
    return this.#reasons;
  }

  get headers(): Record<string, string> {
    if (this.#headers === undefined) {
      const decision = this.#decision;
      const value = decision.rules.decisionHeader
        ? decisionHeaderValue(decision, this.reason)
        : null;
      this.#headers = inReadingOrder(decisionHeaders(decision, value));
    }
    return this.#headers;
  }

  toJSON(): Decision {
    const plain: Decision = {
      kind: this.kind,
      allowed: this.allowed,
      origin: this.origin,
      method: this.method,
      path: this.path,
      route: this.route,
      refusal: this.refusal,
      reason: this.reason,
      fix: this.fix,
      reasons: this.reasons,
      headers: this.headers,
      mode: this.mode,
    };
    if (this.status !== undefined) plain.status = this.status;
    if (this.preflightCache !== undefined) plain.preflightCache = this.preflightCache;
    return plain;
  }
}

/** The public form of a decision (see `DescribedDecision`). */
export function describeDecision(
  decision: CorsDecision,
  compiled: CompiledPolicy,
  method: string,
  pathOrReader: string | (() => string),
  privateNetworkAsked = false,
): Decision {
  return new DescribedDecision(decision, compiled, method, pathOrReader, privateNetworkAsked);
}
