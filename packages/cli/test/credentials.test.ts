/**
 * The probe's credential scoping (src/credentials.ts), request by request: which planned
 * headers survive, and which cookies and Authorization header each URL gets.
 */
import { describe, expect, it } from "vitest";
import { ProbeCredentials } from "../src/credentials.ts";
import { CliError } from "../src/io.ts";

const PROBED = "https://api.example.com/v1/items";
const PLANNED = {
  accept: "*/*",
  authorization: "Bearer t",
  cookie: "planted=1",
  cookie2: "planted=2",
  "proxy-authorization": "Basic cA==",
  "x-api-key": "k",
};

interface Case {
  name: string;
  url: string;
  credentials: boolean;
  cookie: string | null;
  authorization: string | null;
}

const cases: Case[] = [
  {
    name: "the probed URL",
    url: PROBED,
    credentials: true,
    cookie: "sid=1; theme=dark",
    authorization: "Bearer t",
  },
  {
    name: "another path of the same origin",
    url: "https://api.example.com/other",
    credentials: true,
    cookie: "sid=1; theme=dark",
    authorization: "Bearer t",
  },
  {
    name: "a request without credentials",
    url: PROBED,
    credentials: false,
    cookie: null,
    authorization: "Bearer t",
  },
  {
    name: "another port of the same host",
    url: "https://api.example.com:8443/v1/items",
    credentials: true,
    cookie: null,
    authorization: null,
  },
  {
    name: "plain http on the same host (Secure cookies stay on https)",
    url: "http://api.example.com/v1/items",
    credentials: true,
    cookie: null,
    authorization: null,
  },
  {
    name: "a subdomain",
    url: "https://eu.api.example.com/v1/items",
    credentials: true,
    cookie: null,
    authorization: null,
  },
  {
    name: "the parent domain",
    url: "https://example.com/v1/items",
    credentials: true,
    cookie: null,
    authorization: null,
  },
  {
    name: "another site",
    url: "https://evil.example.net/collect",
    credentials: true,
    cookie: null,
    authorization: null,
  },
];

describe("ProbeCredentials.headersFor", () => {
  const creds = new ProbeCredentials(PROBED, "sid=1; theme=dark");

  it.each(cases)("$name", (c) => {
    const h = creds.headersFor({ url: c.url, headers: PLANNED, credentials: c.credentials });
    expect(h.get("cookie")).toBe(c.cookie);
    expect(h.get("authorization")).toBe(c.authorization);
    // Planted credential headers never pass; ordinary headers always do.
    expect(h.get("cookie2")).toBeNull();
    expect(h.get("proxy-authorization")).toBeNull();
    expect(h.get("x-api-key")).toBe("k");
    expect(h.get("accept")).toBe("*/*");
  });

  it("keeps Set-Cookie of credentialed responses in the responding origin's jar", () => {
    const jar = new ProbeCredentials(PROBED, "sid=1");
    const login = { url: "https://api.example.com/login", headers: {}, credentials: true };
    jar.remember(login, ["tok=9; Path=/v1; Secure", "gone=1; Max-Age=0"]);
    jar.remember({ ...login, credentials: false }, ["ignored=1"]);
    jar.remember({ ...login, url: "https://other.example.net/" }, ["theirs=1"]);
    const cookieAt = (url: string) =>
      jar.headersFor({ url, headers: {}, credentials: true }).get("cookie");
    expect(cookieAt(PROBED)).toBe("tok=9; sid=1");
    expect(cookieAt("https://api.example.com/")).toBe("sid=1");
    expect(cookieAt("https://other.example.net/")).toBe("theirs=1");
  });

  it.each([
    ["a control character", "a=\u0001"],
    ["a __Host- cookie on plain http", "__Host-id=1"],
  ])("refuses a --cookie with %s (usage error)", (_name, cookie) => {
    const make = () => new ProbeCredentials("http://127.0.0.1:8080/", cookie);
    expect(make).toThrow(CliError);
    expect(make).toThrow(/not a cookie a browser would store for http:\/\/127.0.0.1:8080/);
  });
});
