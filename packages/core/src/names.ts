import type { PolicyIssue } from "./errors.ts";
import {
  FORBIDDEN_METHODS,
  FORBIDDEN_RESPONSE_HEADERS,
  isForbiddenRequestHeader,
  isToken,
  isTokenChar,
  NON_WILDCARD_REQUEST_HEADERS,
  NORMALIZED_METHODS,
  SAFELISTED_METHODS,
  SAFELISTED_RESPONSE_HEADERS,
} from "./spec.ts";

/** A compiled name list: `any` for `*`, `names` for the explicit entries. */
export interface NameSet {
  any: boolean;
  names: Set<string>;
  /** The explicit names in policy order, as they go on the wire. */
  list: string[];
}

type Kind = "allowMethods" | "allowHeaders" | "exposeHeaders";

/** Validate and compile `allowMethods`, `allowHeaders` or `exposeHeaders`. Pushes every problem. */
export function compileNames(
  kind: Kind,
  value: unknown,
  credentials: boolean,
  path: string,
  errors: PolicyIssue[],
  warnings: PolicyIssue[],
): NameSet {
  const set: NameSet = { any: false, names: new Set(), list: [] };
  if (value === undefined) return set;
  const entries: unknown[] = value === "*" ? ["*"] : Array.isArray(value) ? value : [];
  if (value !== "*" && !Array.isArray(value)) {
    errors.push({ path, message: 'must be "*" or a list of names' });
    return set;
  }
  entries.forEach((entry, i) => {
    const p = Array.isArray(value) ? `${path}[${i}]` : path;
    if (typeof entry !== "string") {
      errors.push({ path: p, message: "must be a string" });
      return;
    }
    if (entry === "*") {
      set.any = true;
      if (kind === "exposeHeaders" && credentials) {
        errors.push({
          path: p,
          message:
            'exposeHeaders "*" with allowCredentials: browsers read it as a header literally named "*" and expose nothing. List the headers.',
        });
      }
      return;
    }
    if (!isToken(entry)) {
      errors.push({
        path: p,
        message: `"${entry}" is not a valid ${kind === "allowMethods" ? "method" : "header name"} (RFC 9110 token)`,
      });
      return;
    }
    let name = entry;
    if (kind === "allowMethods") {
      const upper = entry.toUpperCase();
      if (FORBIDDEN_METHODS.has(upper)) {
        errors.push({ path: p, message: `${entry} is a forbidden method: browsers never send it` });
        return;
      }
      if (entry !== upper && NORMALIZED_METHODS.has(upper)) {
        warnings.push({
          path: p,
          message: `browsers always send "${upper}", so "${entry}" is treated as "${upper}"`,
        });
        name = upper;
      } else if (SAFELISTED_METHODS.has(entry)) {
        warnings.push({ path: p, message: `${entry} is CORS-safelisted and needs no grant` });
      } else if (entry !== upper) {
        warnings.push({
          path: p,
          message: `methods other than DELETE GET HEAD OPTIONS POST PUT are compared case-sensitively: "${entry}" grants fetch(…, { method: "${entry}" }) only, not "${upper}"`,
        });
      }
    } else {
      name = entry.toLowerCase();
      if (kind === "exposeHeaders") {
        if (FORBIDDEN_RESPONSE_HEADERS.has(name)) {
          errors.push({
            path: p,
            message: `${entry} is a forbidden response header: browsers never expose it to scripts`,
          });
          return;
        }
        if (SAFELISTED_RESPONSE_HEADERS.has(name)) {
          warnings.push({
            path: p,
            message: `${entry} is CORS-safelisted: scripts can read it without listing it`,
          });
        }
      } else if (isForbiddenRequestHeader(name)) {
        warnings.push({
          path: p,
          message: `${entry} is a forbidden request header: scripts cannot set it, so listing it has no effect`,
        });
      }
    }
    if (!set.names.has(name)) {
      set.names.add(name);
      set.list.push(name);
    }
  });
  if (kind === "allowHeaders" && set.any && !credentials && set.names.size > 0) {
    // Without credentials `*` already covers every name but Authorization.
    for (const n of set.list) {
      if (!NON_WILDCARD_REQUEST_HEADERS.has(n)) {
        warnings.push({ path, message: `"${n}" is already covered by "*"` });
      }
    }
  }
  return set;
}

/** Bounds on Access-Control-Request-Headers: beyond them the preflight fails at once. */
export const ACRH_MAX_LENGTH = 4096;
export const ACRH_MAX_EMPTY = 16;
export const ACRH_MAX_OWS = 2;

/**
 * Verdict on a request-header list: `Ok`; `Malformed` (longer than ACRH_MAX_LENGTH, too many
 * empty elements, too much whitespace, or a non-token); `NotAllowed` (a name not granted).
 */
export const HeadersVerdict = { Ok: 0, Malformed: 1, NotAllowed: 2 } as const;
export type HeadersVerdict = (typeof HeadersVerdict)[keyof typeof HeadersVerdict];

/**
 * Check every name in an Access-Control-Request-Headers value against the policy, in one
 * pass with bounded work: at most ACRH_MAX_LENGTH characters are looked at, empty elements
 * and optional whitespace are capped. Tolerant of case, order, OWS and joined header lines.
 * `out.name` receives the first refused name (for explain).
 */
export function checkRequestHeaders(
  allowed: NameSet,
  value: string,
  out?: { name?: string },
): HeadersVerdict {
  const len = value.length;
  if (len > ACRH_MAX_LENGTH) return HeadersVerdict.Malformed;
  let empty = 0;
  let i = 0;
  while (i <= len) {
    // Leading OWS of an element.
    let ows = 0;
    while (i < len && (value.charCodeAt(i) === 32 || value.charCodeAt(i) === 9)) {
      if (++ows > ACRH_MAX_OWS) return HeadersVerdict.Malformed;
      i++;
    }
    const start = i;
    while (i < len && isTokenChar(value.charCodeAt(i))) i++;
    const end = i;
    ows = 0;
    while (i < len && (value.charCodeAt(i) === 32 || value.charCodeAt(i) === 9)) {
      if (++ows > ACRH_MAX_OWS) return HeadersVerdict.Malformed;
      i++;
    }
    if (i < len && value.charCodeAt(i) !== 44 /* , */) return HeadersVerdict.Malformed;
    if (end === start) {
      if (++empty > ACRH_MAX_EMPTY) return HeadersVerdict.Malformed;
    } else {
      let name = value.slice(start, end);
      if (!allowed.names.has(name)) {
        name = name.toLowerCase();
        // Fetch §CORS-preflight fetch step: `*` covers every name but Authorization.
        if (!allowed.names.has(name) && (!allowed.any || NON_WILDCARD_REQUEST_HEADERS.has(name))) {
          if (out) out.name = name;
          return HeadersVerdict.NotAllowed;
        }
      }
    }
    i++; // past the comma (or past the end)
  }
  return HeadersVerdict.Ok;
}

/** Is the requested method granted? Case-sensitive, as browsers send it. */
export function methodAllowed(allowed: NameSet, method: string): boolean {
  if (allowed.names.has(method) || SAFELISTED_METHODS.has(method)) return true;
  return (
    allowed.any &&
    method.length <= 64 &&
    isToken(method) &&
    !FORBIDDEN_METHODS.has(method.toUpperCase())
  );
}
