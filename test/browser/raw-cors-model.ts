/**
 * A hand-configured CORS server, as a pure function: it sends exactly the CORS headers its
 * query asks for, including what the edge layer never sends (`Access-Control-Allow-Headers: *`
 * with Authorization, a redirected preflight, odd Access-Control-Max-Age values). The real
 * server (servers/raw-cors.ts) serves it; the predictor feeds the same replies to the model.
 *
 * Query parameters (the preflight and the actual request see the same URL):
 * - `acao` (`reflect` echoes the request's Origin), `acac`, `aceh`: on every response;
 * - `acam`, `acah` (`echo` repeats Access-Control-Request-Headers), `acma`: on preflights;
 * - `preflight=<3xx>` + `location=<url>`: the preflight is answered with that redirect;
 * - `redirect=<url>` (+ `code`, default 302): the actual request is redirected;
 * - `s=<tag>` only tags the request for counting.
 */
import type { UpstreamReply } from "./upstream-model.ts";

export type RawCorsQuery = Partial<
  Record<"acao" | "acac" | "aceh" | "acam" | "acah" | "acma" | "preflight" | "location", string>
>;

export interface RawCorsRequest {
  method: string;
  url: URL;
  headers: Record<string, string | undefined>;
}

/** A preflight: OPTIONS with Access-Control-Request-Method. */
export const isPreflight = (r: RawCorsRequest) =>
  r.method === "OPTIONS" && r.headers["access-control-request-method"] !== undefined;

export function rawCorsReply(req: RawCorsRequest): UpstreamReply {
  const q = req.url.searchParams;
  const headers: Array<[string, string]> = [["cache-control", "no-store"]];
  const add = (name: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined) headers.push([name, value]);
  };
  const acao = q.get("acao");
  add("access-control-allow-origin", acao === "reflect" ? (req.headers.origin ?? "") : acao);
  add("access-control-allow-credentials", q.get("acac"));
  add("access-control-expose-headers", q.get("aceh"));
  if (isPreflight(req)) {
    add("access-control-allow-methods", q.get("acam"));
    const acah = q.get("acah");
    add(
      "access-control-allow-headers",
      acah === "echo" ? req.headers["access-control-request-headers"] : acah,
    );
    add("access-control-max-age", q.get("acma"));
    const code = Number(q.get("preflight") ?? "204");
    if (code >= 300 && code < 400) add("location", q.get("location") ?? "/");
    return { status: code, headers, body: "" };
  }
  const redirect = q.get("redirect");
  if (redirect !== null) {
    add("location", redirect);
    return { status: Number(q.get("code") ?? "302"), headers, body: "" };
  }
  headers.push(["content-type", "application/json"], ["x-request-id", "raw-1"]);
  const body = req.method === "HEAD" ? "" : JSON.stringify({ method: req.method, raw: true });
  return { status: 200, headers, body };
}
