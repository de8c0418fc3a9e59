/**
 * What the test upstream answers, as a pure function. The real upstream server serves it, and
 * the predictor feeds the same reply to the browser model: the upstream is not a guess.
 *
 * Query parameters (work on any path, so policy routes can be exercised):
 * - `status=404` answers with that status;
 * - `redirect=<path or absolute URL>` (with `code=301|302|303|307|308`, default 302) redirects;
 * - `s=<scenario id>` only tags the request for counting.
 * `/cookie/set` sets the session cookie used by the credentials scenarios.
 */

export const SESSION_COOKIE = "sid=browser-suite";

export interface UpstreamRequest {
  method: string;
  url: URL;
  cookie: string | null;
  origin: string | null;
}

export interface UpstreamReply {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** Headers on every non-redirect reply; the scenarios probe which ones a script can read. */
function standardHeaders(req: UpstreamRequest): Array<[string, string]> {
  const seen = req.cookie?.split(";").some((c) => c.trim() === SESSION_COOKIE) ?? false;
  return [
    ["content-type", "application/json"],
    ["cache-control", "no-store"],
    ["etag", '"e1"'],
    ["x-request-id", "r-1"],
    ["x-secret", "hidden-unless-exposed"],
    ["x-cookie-seen", seen ? "yes" : "no"],
    // Path=/never: the browser stores it but never sends it back to these URLs.
    ["set-cookie", "probe=1; Path=/never; SameSite=Lax"],
  ];
}

export function upstreamReply(req: UpstreamRequest): UpstreamReply {
  const q = req.url.searchParams;
  if (req.url.pathname === "/cookie/set") {
    return {
      status: 200,
      headers: [
        ["content-type", "text/plain"],
        ["cache-control", "no-store"],
        ["set-cookie", `${SESSION_COOKIE}; Path=/; HttpOnly; SameSite=Lax`],
      ],
      body: "cookie set",
    };
  }
  const redirect = q.get("redirect");
  if (redirect !== null) {
    const code = Number(q.get("code") ?? "302");
    return {
      status: [301, 302, 303, 307, 308].includes(code) ? code : 302,
      headers: [
        ["location", redirect],
        ["cache-control", "no-store"],
      ],
      body: "",
    };
  }
  const status = Number(q.get("status") ?? "200");
  const headers = standardHeaders(req);
  const body =
    req.method === "HEAD"
      ? ""
      : JSON.stringify({
          method: req.method,
          path: req.url.pathname,
          origin: req.origin,
          cookie: headers.some(([n, v]) => n === "x-cookie-seen" && v === "yes"),
        });
  return { status: status >= 200 && status <= 599 ? status : 200, headers, body };
}
