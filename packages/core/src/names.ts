import { describeValue, type IssueSink } from "./issues.ts";
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

/** What a request is checked against: `*` and the listed names. */
export type GrantedNames = Pick<NameSet, "any" | "names">;

export type NameListOption = "allowMethods" | "allowHeaders" | "exposeHeaders";

/** At most this many names in one list. */
export const MAX_NAME_ENTRIES = 1000;

/**
 * Validate and compile `allowMethods`, `allowHeaders` or `exposeHeaders`. Pushes every
 * problem, with paths relative to the object holding the option.
 */
export function compileNames(
  option: NameListOption,
  value: unknown,
  credentials: boolean,
  sink: IssueSink,
): NameSet {
  const set: NameSet = { any: false, names: new Set(), list: [] };
  if (value === undefined) return set;
  if (value !== "*" && !Array.isArray(value)) {
    sink.errors.push({
      code: "names-not-list",
      path: option,
      message: `must be "*" or a list of names, got ${describeValue(value)}`,
    });
    return set;
  }
  const entries: readonly unknown[] = value === "*" ? ["*"] : value;
  if (entries.length > MAX_NAME_ENTRIES) {
    sink.errors.push({
      code: "policy-too-large",
      path: option,
      message: `lists ${entries.length} names, more than ${MAX_NAME_ENTRIES}`,
    });
    return set;
  }
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const at = value === "*" ? option : `${option}[${i}]`;
    const name = compileName(option, entry, credentials, at, set, sink);
    if (name !== null && !set.names.has(name)) {
      set.names.add(name);
      set.list.push(name);
    }
  }
  if (option === "allowHeaders" && set.any && !credentials && set.names.size > 0) {
    // Without credentials `*` already covers every name but Authorization.
    for (const listed of set.list) {
      if (!NON_WILDCARD_REQUEST_HEADERS.has(listed)) {
        sink.warnings.push({
          code: "header-covered-by-any",
          path: option,
          message: `"${listed}" is already covered by "*"`,
        });
      }
    }
  }
  return set;
}

/** One entry: the name to store (normalized), or null when it is refused or is `*`. */
function compileName(
  option: NameListOption,
  entry: unknown,
  credentials: boolean,
  at: string,
  set: NameSet,
  sink: IssueSink,
): string | null {
  if (typeof entry !== "string") {
    sink.errors.push({
      code: "wrong-type",
      path: at,
      message: `must be a string, got ${describeValue(entry)}`,
    });
    return null;
  }
  if (entry === "*") {
    set.any = true;
    if (option === "exposeHeaders" && credentials) {
      sink.errors.push({
        code: "expose-any-with-credentials",
        path: at,
        message: `${sink.label("exposeHeaders")} "*" with ${sink.label("allowCredentials")}: browsers read it as a header literally named "*" and expose nothing. List the headers.`,
      });
    }
    return null;
  }
  if (!isToken(entry)) {
    sink.errors.push({
      code: "name-not-token",
      path: at,
      message: `${describeValue(entry)} is not a valid ${option === "allowMethods" ? "method" : "header name"} (RFC 9110 token)`,
    });
    return null;
  }
  if (option === "allowMethods") return compileMethod(entry, at, sink);
  const name = entry.toLowerCase();
  if (name.startsWith("access-control-")) {
    sink.errors.push({
      code: "header-cors-protocol",
      path: at,
      message:
        option === "allowHeaders"
          ? `${entry} is a CORS protocol header: browsers set Access-Control-Request-* themselves and never ask to send Access-Control-* names, so listing it grants nothing. Remove it (the grant is the policy itself).`
          : `${entry} is a CORS protocol header: edge-cors sets the Access-Control-* response headers, and exposing them to scripts is never needed. Remove it.`,
    });
    return null;
  }
  if (option === "exposeHeaders") {
    if (FORBIDDEN_RESPONSE_HEADERS.has(name)) {
      sink.errors.push({
        code: "expose-forbidden",
        path: at,
        message: `${entry} is a forbidden response header: browsers never expose it to scripts`,
      });
      return null;
    }
    if (SAFELISTED_RESPONSE_HEADERS.has(name)) {
      sink.warnings.push({
        code: "expose-safelisted",
        path: at,
        message: `${entry} is CORS-safelisted: scripts can read it without listing it`,
      });
    }
  } else if (isForbiddenRequestHeader(name)) {
    sink.warnings.push({
      code: "header-forbidden",
      path: at,
      message: `${entry} is a forbidden request header: scripts cannot set it, so listing it has no effect`,
    });
  }
  return name;
}

function compileMethod(entry: string, at: string, sink: IssueSink): string | null {
  const upper = entry.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) {
    sink.errors.push({
      code: "method-forbidden",
      path: at,
      message: `${entry} is a forbidden method: browsers never send it`,
    });
    return null;
  }
  if (entry !== upper && NORMALIZED_METHODS.has(upper)) {
    sink.warnings.push({
      code: "method-normalized",
      path: at,
      message: `browsers always send "${upper}", so "${entry}" is treated as "${upper}"`,
    });
    return upper;
  }
  if (SAFELISTED_METHODS.has(entry)) {
    sink.warnings.push({
      code: "method-safelisted",
      path: at,
      message: `${entry} is CORS-safelisted and needs no grant`,
    });
  } else if (entry !== upper) {
    sink.warnings.push({
      code: "method-case-sensitive",
      path: at,
      message: `methods other than DELETE GET HEAD OPTIONS POST PUT are compared case-sensitively: "${entry}" grants fetch(…, { method: "${entry}" }) only, not "${upper}"`,
    });
  }
  return entry;
}

/** Bounds on Access-Control-Request-Headers: beyond them the preflight fails at once. */
export const ACRH_MAX_LENGTH = 4096;
export const ACRH_MAX_EMPTY = 16;
export const ACRH_MAX_OWS = 2;

/**
 * {@link refusedRequestHeader}'s answer for a malformed list: longer than ACRH_MAX_LENGTH, too
 * many empty elements, too much whitespace, or a non-token. Not a token, so never a name.
 */
export const MALFORMED_HEADER_LIST = " malformed";

/**
 * Check every name in an Access-Control-Request-Headers value against the policy, in one
 * pass with bounded work: at most ACRH_MAX_LENGTH characters are looked at, empty elements
 * and optional whitespace are capped. Tolerant of case, order, OWS and joined header lines.
 *
 * Returns `null` when every name is granted, {@link MALFORMED_HEADER_LIST} when the value is
 * malformed, else the first refused name (lower-case).
 */
export function refusedRequestHeader(allowed: GrantedNames, value: string): string | null {
  const length = value.length;
  if (length > ACRH_MAX_LENGTH) return MALFORMED_HEADER_LIST;
  let empty = 0;
  let i = 0;
  while (i <= length) {
    // Leading OWS of an element.
    let ows = 0;
    while (i < length && (value.charCodeAt(i) === 32 || value.charCodeAt(i) === 9)) {
      if (++ows > ACRH_MAX_OWS) return MALFORMED_HEADER_LIST;
      i++;
    }
    const start = i;
    while (i < length && isTokenChar(value.charCodeAt(i))) i++;
    const end = i;
    ows = 0;
    while (i < length && (value.charCodeAt(i) === 32 || value.charCodeAt(i) === 9)) {
      if (++ows > ACRH_MAX_OWS) return MALFORMED_HEADER_LIST;
      i++;
    }
    if (i < length && value.charCodeAt(i) !== 44 /* , */) return MALFORMED_HEADER_LIST;
    if (end === start) {
      if (++empty > ACRH_MAX_EMPTY) return MALFORMED_HEADER_LIST;
    } else {
      let name = value.slice(start, end);
      if (!allowed.names.has(name)) {
        name = name.toLowerCase();
        // https://fetch.spec.whatwg.org/#cors-preflight-fetch: `*` covers every name but Authorization.
        if (!allowed.names.has(name) && (!allowed.any || NON_WILDCARD_REQUEST_HEADERS.has(name)))
          return name;
      }
    }
    i++; // past the comma (or past the end)
  }
  return null;
}

/** The longest method a `"*"` grant echoes (longer ones are refused). */
export const MAX_ECHOED_METHOD_LENGTH = 64;

/** Is the requested method granted? Case-sensitive, as browsers send it. */
export function methodAllowed(allowed: GrantedNames, method: string): boolean {
  if (allowed.names.has(method) || SAFELISTED_METHODS.has(method)) return true;
  return (
    allowed.any &&
    method.length <= MAX_ECHOED_METHOD_LENGTH &&
    isToken(method) &&
    !FORBIDDEN_METHODS.has(method.toUpperCase())
  );
}
