/**
 * Fetch §HTTP-redirect fetch: a redirect to another origin deletes the CORS non-wildcard
 * request-header names (Authorization) from the request, for that hop and every later one;
 * a same-origin redirect keeps them.
 */
import { describe, expect, it } from "vitest";
import { type ResponseLike, simulate, type WireRequest } from "../src/index.ts";

const ORIGIN = "https://app.example.com";
const API = "https://api.example.net";

/** Grants everything; `/start` and `/bounce` redirect to the given locations. */
function server(redirects: Record<string, string>) {
  const seen: WireRequest[] = [];
  const respond = async (r: WireRequest): Promise<ResponseLike> => {
    seen.push(r);
    const headers: Record<string, string> = {
      "access-control-allow-origin": r.headers.origin ?? "*",
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": r.headers["access-control-request-method"] ?? "",
      "access-control-allow-headers": r.headers["access-control-request-headers"] ?? "",
      vary: "Origin",
    };
    if (r.method === "OPTIONS") return { status: 204, headers };
    const to = redirects[new URL(r.url).pathname];
    return to === undefined
      ? { status: 200, headers }
      : { status: 302, headers: { ...headers, location: to } };
  };
  return { seen, respond };
}

interface Case {
  name: string;
  redirects: Record<string, string>;
  /** [method, url, Authorization header] of every request sent. */
  expected: Array<[string, string, string | undefined]>;
}

const cases: Case[] = [
  {
    name: "another origin",
    redirects: { "/start": "https://other.example.org/landing" },
    expected: [
      ["OPTIONS", `${API}/start`, undefined],
      ["GET", `${API}/start`, "Bearer t"],
      ["GET", "https://other.example.org/landing", undefined],
    ],
  },
  {
    name: "another origin and back",
    redirects: { "/start": "https://other.example.org/bounce", "/bounce": `${API}/landing` },
    expected: [
      ["OPTIONS", `${API}/start`, undefined],
      ["GET", `${API}/start`, "Bearer t"],
      ["GET", "https://other.example.org/bounce", undefined],
      ["GET", `${API}/landing`, undefined],
    ],
  },
  {
    name: "the same origin",
    redirects: { "/start": "/landing" },
    expected: [
      ["OPTIONS", `${API}/start`, undefined],
      ["GET", `${API}/start`, "Bearer t"],
      ["OPTIONS", `${API}/landing`, undefined],
      ["GET", `${API}/landing`, "Bearer t"],
    ],
  },
];

describe("simulate drops Authorization on a cross-origin redirect", () => {
  it.each(cases)("redirect to $name", async (c) => {
    const { seen, respond } = server(c.redirects);
    const report = await simulate(
      {
        url: `${API}/start`,
        origin: ORIGIN,
        method: "GET",
        headers: { Authorization: "Bearer t" },
        credentials: "include",
      },
      respond,
    );
    expect(report.ok).toBe(true);
    // Without Authorization the later hops are simple GETs: no preflight is planned for them.
    expect(seen.map((r) => [r.method, r.url, r.headers.authorization])).toEqual(c.expected);
  });
});
