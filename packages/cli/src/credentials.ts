/**
 * The credentials a probe holds, scoped the way a browser scopes them, so that no redirect can
 * carry them to another host:
 * - cookies live in cookie jars (tough-cookie, RFC 6265), one per origin: the `--cookie` pairs
 *   in the probed URL's origin (host-only, `Path=/`, `Secure` when it is https), and the
 *   `Set-Cookie` lines of a credentialed response in the jar of the origin that sent them. A
 *   credentialed request gets the cookies of its own origin's jar whose path, secure and expiry
 *   rules match. Jars are bound to the port as well as the host, like Chromium's origin-bound
 *   cookies: RFC 6265 cookies ignore the port, but another port can be another service;
 * - the script's `Authorization` header belongs to the probed URL's origin. The browser model
 *   already drops it on a cross-origin redirect (Fetch §HTTP-redirect fetch); the transport
 *   also refuses to send it to any other origin;
 * - `Cookie`, `Cookie2` and `Proxy-*` headers in a planned request are never sent as planned.
 */
import { CookieJar } from "tough-cookie";
import { CliError } from "./io.ts";

/** Request headers that only this module may attach. */
const CREDENTIAL_HEADERS = new Set(["authorization", "cookie", "cookie2"]);

function isCredentialHeader(lowerName: string): boolean {
  return CREDENTIAL_HEADERS.has(lowerName) || lowerName.startsWith("proxy-");
}

export interface OutgoingRequest {
  url: string;
  /** Planned headers, lower-case names. */
  headers: Record<string, string>;
  /** True when the browser attaches cookies (a credentialed actual request). */
  credentials: boolean;
}

export class ProbeCredentials {
  readonly #jars = new Map<string, CookieJar>();
  readonly #origin: string;

  /** `url`: the URL the script fetches; `cookie`: a Cookie header value (`a=1; b=2`). */
  constructor(url: string, cookie: string | undefined) {
    const owner = new URL(url);
    this.#origin = owner.origin;
    if (cookie === undefined) return;
    const secure = owner.protocol === "https:" ? "; Secure" : "";
    for (const pair of cookie.split(";")) {
      const trimmed = pair.trim();
      if (trimmed === "") continue;
      const stored = this.#jar(owner.origin).setCookieSync(`${trimmed}; Path=/${secure}`, owner, {
        ignoreError: true,
      });
      if (stored === undefined) {
        throw new CliError(
          "usage",
          `--cookie "${cookie}": "${trimmed}" is not a cookie a browser would store for ${owner.origin} (name=value pairs separated by "; ")`,
        );
      }
    }
  }

  /** The headers to send: the planned ones without credentials, plus those that belong here. */
  headersFor(request: OutgoingRequest): Headers {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (!isCredentialHeader(name)) headers.set(name, value);
    }
    const authorization = request.headers.authorization;
    if (authorization !== undefined && new URL(request.url).origin === this.#origin) {
      headers.set("authorization", authorization);
    }
    if (request.credentials) {
      const url = new URL(request.url);
      const cookie = this.#jars.get(url.origin)?.getCookieStringSync(url) ?? "";
      if (cookie !== "") headers.set("cookie", cookie);
    }
    return headers;
  }

  /** Stores the `Set-Cookie` lines of a credentialed response, as the browser's jar would. */
  remember(request: OutgoingRequest, setCookies: string[]): void {
    if (!request.credentials || setCookies.length === 0) return;
    const url = new URL(request.url);
    const jar = this.#jar(url.origin);
    for (const line of setCookies) jar.setCookieSync(line, url, { ignoreError: true });
  }

  #jar(origin: string): CookieJar {
    let jar = this.#jars.get(origin);
    if (jar === undefined) {
      jar = new CookieJar(undefined, { looseMode: true });
      this.#jars.set(origin, jar);
    }
    return jar;
  }
}
