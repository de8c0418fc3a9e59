// Policies and Request objects shared by every subject. Requests are built once and reused:
// reading headers does not consume a Request and every body is null.

import type { CorsPolicy } from "@edge-cors/core";

export const URL_PATH = "https://api.example.com/v1/items";

export const METHODS = ["PUT", "DELETE", "PATCH"];
export const HEADERS = ["Content-Type", "Authorization", "X-Request-Id"];
export const EXPOSE = ["ETag", "X-Request-Id"];
export const MAX_AGE = 7200;

/** A policy size: the origins list every subject is configured with, and the Origin that matches it. */
export interface PolicySize {
  id: "3" | "10k" | "1k-patterns";
  label: string;
  /** edge-cors `allowOrigins`. */
  allowOrigins: string[];
  /** Exact origins for peers that only take a list (hono/cors, itty-router), or null for patterns. */
  exact: string[] | null;
  /** For patterns: `[scheme, ".suffix"]` pairs peers check linearly with startsWith/endsWith. */
  suffixes: Array<[string, string]> | null;
  /** An allowed Origin, matched at the END of the list for linear peers. */
  allowed: string;
}

function exactSize(n: number, id: PolicySize["id"], label: string): PolicySize {
  const list = Array.from({ length: n }, (_, i) => `https://app${i}.customer${i}.example.com`);
  return { id, label, allowOrigins: list, exact: list, suffixes: null, allowed: list[n - 1]! };
}

function patternSize(n: number): PolicySize {
  const suffixes: Array<[string, string]> = Array.from({ length: n }, (_, i) => [
    "https://",
    `.tenant${i}.example.com`,
  ]);
  return {
    id: "1k-patterns",
    label: `${n} subdomain patterns`,
    allowOrigins: suffixes.map(([s, d]) => `${s}*${d}`),
    exact: null,
    suffixes,
    allowed: `https://eu.app.tenant${n - 1}.example.com`,
  };
}

export const SIZES: readonly PolicySize[] = [
  exactSize(3, "3", "3 origins"),
  exactSize(10_000, "10k", "10 000 exact origins"),
  patternSize(1_000),
];

export const DENIED_ORIGIN = "https://evil.example.net";

export function corePolicy(size: PolicySize): CorsPolicy {
  return {
    allowOrigins: size.allowOrigins,
    allowMethods: METHODS,
    allowHeaders: HEADERS,
    exposeHeaders: EXPOSE,
    allowCredentials: true,
    maxAge: MAX_AGE,
  };
}

/** Peers' origin option: the list itself, or a linear suffix check (what a user would write). */
export function peerOriginFn(size: PolicySize): (origin: string) => string | undefined {
  const suffixes = size.suffixes ?? [];
  return (origin) => {
    for (const [scheme, suffix] of suffixes) {
      if (origin.startsWith(scheme) && origin.endsWith(suffix)) return origin;
    }
    return undefined;
  };
}

export function preflight(origin: string, acrh = "content-type, x-request-id"): Request {
  return new Request(URL_PATH, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "PUT",
      "access-control-request-headers": acrh,
    },
  });
}

export function actual(origin: string | null): Request {
  return new Request(URL_PATH, { method: "GET", headers: origin === null ? {} : { origin } });
}

/** Hostile Access-Control-Request-Headers values. */
export const HOSTILE = {
  /** 3 000 distinct, syntactically valid names (about 59 KB). */
  names3000: Array.from({ length: 3000 }, (_, i) => `x-custom-header-${i}`).join(","),
  /** 50 000 commas. */
  commas50k: ",".repeat(50_000),
  /**
   * 1 MB of spaces between two valid names. Fetch normalizes header values (strips leading and
   * trailing whitespace), so spaces alone would arrive as an empty value: they sit in the middle.
   */
  spaces1m: `content-type${" ".repeat(1 << 20)}x-request-id`,
};

/** The body and headers of the app's own (non-CORS) response. */
export const APP_BODY = '{"items":[]}';
export function appResponse(): Response {
  return new Response(APP_BODY, { status: 200, headers: { "content-type": "application/json" } });
}
