import { createEdgeLayer } from "@edge-cors/edge";
import { describe, expect, it } from "vitest";
import { EDGE, upstreamUrl } from "./helpers.ts";

const ORIGIN = "https://app.example.com";

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("no WebSocket message within 5 s")), 5000);
    ws.addEventListener(
      "message",
      (e) => {
        clearTimeout(t);
        resolve(String(e.data));
      },
      { once: true },
    );
  });
}

describe("WebSocket upgrades pass through untouched", () => {
  it("connects to the upstream, both directions work, no CORS headers are added", async () => {
    const layer = createEdgeLayer({ policy: { allowOrigins: [ORIGIN] }, upstream: upstreamUrl });
    const res = await layer(
      new Request(`${EDGE}/socket?room=1`, { headers: { upgrade: "websocket", origin: ORIGIN } }),
    );
    expect(res.status).toBe(101);
    expect(res.headers.get("x-upstream-path")).toBe("/socket?room=1");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const ws = res.webSocket!;
    expect(ws).toBeTruthy();
    ws.accept();
    const hello = nextMessage(ws);
    expect(await hello).toBe("hello from upstream");
    const echo = nextMessage(ws);
    ws.send("ping");
    expect(await echo).toBe("echo: ping");
    ws.close(1000, "done");
  });
});
