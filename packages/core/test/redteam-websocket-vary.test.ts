/**
 * Red team (pass 2): a request shaped like a WebSocket handshake switches decoration off.
 *
 * `decorateResponse` returns the app's response untouched for `kind === "websocket"` (meant for
 * the `101`), whatever the app answered. Any client (curl, not a browser) can add
 * `Upgrade: websocket`, `Connection: Upgrade`, `Sec-WebSocket-Key`, `Sec-WebSocket-Version`
 * to an ordinary GET of a non-WebSocket endpoint: the app answers its usual `200` and
 * edge-cors sends it without `Vary: Origin` (and without a grant). SECURITY.md: "every
 * origin-dependent response carries `Vary: Origin`". A shared cache that stores this response
 * serves it to the browser app, which then fails CORS: cache poisoning (denial of service of
 * the allowed origin), the class `Vary` is there to close.
 *
 * FAILS on the code at the time of writing.
 * Run: npx vitest run --project core packages/core/test/redteam-websocket-vary.test.ts
 */
import { publicSuffixes } from "@edge-cors/public-suffix";
import { describe, expect, it } from "vitest";
import { createCors } from "../src/index.ts";

const APP = "https://app.example.com";
const HANDSHAKE = {
  upgrade: "websocket",
  connection: "Upgrade",
  "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
  "sec-websocket-version": "13",
};

describe("red team: handshake-shaped requests to ordinary endpoints", () => {
  const cors = createCors({ allowOrigins: [APP], allowCredentials: true }, { publicSuffixes });
  const app = () =>
    new Response('{"config":1}', { headers: { "cache-control": "public, max-age=600" } });

  it("a cacheable 200 (not a 101) still carries Vary: Origin", async () => {
    const res = await cors.handle(
      new Request("https://api.example.com/api/config", { headers: { origin: APP, ...HANDSHAKE } }),
      app,
    );
    expect(res.status).toBe(200);
    // Observed: null (the plain GET gets "Origin").
    expect(res.headers.get("vary")).toBe("Origin");
  });

  it("and when checkWebSocketOrigin is off, for any origin", async () => {
    const off = createCors(
      { allowOrigins: [APP], allowCredentials: true, checkWebSocketOrigin: false },
      { publicSuffixes },
    );
    const res = await off.handle(
      new Request("https://api.example.com/api/config", {
        headers: { origin: "https://evil.example", ...HANDSHAKE },
      }),
      app,
    );
    expect(res.headers.get("vary")).toBe("Origin");
  });
});
