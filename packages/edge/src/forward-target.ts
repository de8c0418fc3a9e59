/**
 * "What you match is what you forward": from a request, the ONE canonical URL the layer both
 * decides on and forwards. The CORS decision (route matching included) runs on
 * `scheme://host` + {@link canonicalPath}`(rawPathOf(request.url))` + the query; the upstream
 * receives the upstream origin + its path prefix + that same path + that same query. A path
 * that a decoding server could read as leaving the prefix ({@link forwardingProblem}), a
 * malformed `Host`, or a URL that does not parse is refused before anything is decided.
 */
import { canonicalPath, forwardingProblem, rawPathOf } from "@edge-cors/core";
import { isValidHost } from "./host.ts";

export interface ForwardTarget {
  /** The URL the CORS decision is made on: the request's scheme and host, canonical path, query. */
  decisionUrl: string;
  /** Where the request goes: the upstream origin + prefix + the same path and query. */
  upstreamUrl: string;
  /** The request's host (`X-Forwarded-Host`), as the URL parser normalised it. */
  host: string;
  /** The request's scheme (`X-Forwarded-Proto`). */
  proto: "http" | "https";
}

/** Why a request cannot be forwarded: answered 400 by the layer, with no CORS grant. */
export interface TargetRefusal {
  error: "bad_host" | "bad_request_url" | "path_not_forwardable";
  detail: string;
}

const SLASH = 47;
const BACKSLASH = 92;
const QUESTION = 63;
const HASH = 35;

/** The query of an absolute URL string, `?` included, without the fragment ("" for none). */
function rawQueryOf(url: string, from: number): string {
  let question = -1;
  for (let i = from; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === HASH) return question < 0 ? "" : url.slice(question, i);
    if (c === QUESTION && question < 0) question = i;
  }
  return question < 0 ? "" : url.slice(question);
}

/** Where the authority of `url` ends (as the WHATWG parser delimits it for http(s)). */
function authorityEnd(url: string, from: number): number {
  for (let i = from; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === SLASH || c === BACKSLASH || c === QUESTION || c === HASH) return i;
  }
  return url.length;
}

function pathnameOf(url: string): string | null {
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

function refusal(error: TargetRefusal["error"], detail: string): TargetRefusal {
  return { error, detail };
}

export function isRefusal(t: ForwardTarget | TargetRefusal): t is TargetRefusal {
  return "error" in t;
}

/** The upstream's path prefix, without a trailing slash ("" for none). */
export function upstreamPrefix(upstream: URL): string {
  const p = upstream.pathname;
  return p.endsWith("/") ? p.slice(0, -1) : p;
}

/**
 * The canonical decision URL and upstream URL for `request`, or why it is refused.
 * `upstream` is the configured upstream URL, or `null` for a fetcher (a service binding, the
 * demo), which then receives the decision URL itself.
 */
export function forwardTarget(
  request: Request,
  upstream: URL | null,
): ForwardTarget | TargetRefusal {
  const url = request.url;
  const separator = url.indexOf("://");
  const scheme = separator < 0 ? "" : url.slice(0, separator).toLowerCase();
  if (scheme !== "http" && scheme !== "https")
    return refusal("bad_request_url", "The request URL is not an http(s) URL.");
  const start = separator + 3;
  const end = authorityEnd(url, start);
  const host = request.headers.get("host");
  if (!isValidHost(url.slice(start, end)) || (host !== null && !isValidHost(host)))
    return refusal(
      "bad_host",
      "The Host header must be a host name or [IPv6] literal, with an optional port.",
    );

  const canonical = canonicalPath(rawPathOf(url));
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${url.slice(start, end)}${canonical}${rawQueryOf(url, end)}`);
  } catch {
    return refusal("bad_request_url", "The request URL does not parse.");
  }
  const path = parsed.pathname;
  const problem =
    canonicalPath(path) !== path
      ? "the URL parser reads the path differently from its canonical form"
      : forwardingProblem(path);
  if (problem !== null) return refusal("path_not_forwardable", `Refused: ${problem}.`);

  const decisionUrl = parsed.href;
  const proto = scheme;
  if (upstream === null) return { decisionUrl, upstreamUrl: decisionUrl, host: parsed.host, proto };
  const prefix = upstreamPrefix(upstream);
  const upstreamUrl = `${upstream.origin}${prefix}${path}${parsed.search}`;
  // By construction the upstream URL holds exactly prefix + path; checked, so it stays so.
  if (pathnameOf(upstreamUrl) !== prefix + path)
    return refusal(
      "path_not_forwardable",
      "Refused: the path does not stay below the upstream's prefix.",
    );
  return { decisionUrl, upstreamUrl, host: parsed.host, proto };
}
