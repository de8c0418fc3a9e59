import type { BrowserRequest, ResponseLike } from "../src/index.ts";

export const ORIGIN = "https://app.example.com";
export const URL_ = "https://api.example.net/items?id=1";

export function req(over: Partial<BrowserRequest> = {}): BrowserRequest {
  return { url: URL_, origin: ORIGIN, method: "GET", ...over };
}

export function codes(r: { problems: Array<{ code: string }> }): string[] {
  return r.problems.map((p) => p.code);
}

export function warningCodes(r: { warnings: Array<{ code: string }> }): string[] {
  return r.warnings.map((p) => p.code);
}

/** A preflight response that grants everything for ORIGIN without credentials. */
export function okPreflight(extra: Array<[string, string]> = [], status = 204): ResponseLike {
  return {
    status,
    headers: [["Access-Control-Allow-Origin", ORIGIN], ["Vary", "Origin"], ...extra],
  };
}
