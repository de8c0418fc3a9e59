import { createEdgeLayer } from "@edge-cors/edge";
import { describe, expect, it } from "vitest";
import { EDGE } from "./helpers.ts";

const DEV = "http://localhost:5173";
const layer = createEdgeLayer({ policy: { allowOrigins: [DEV] }, upstream: null });
const STATUSES = Array.from({ length: 400 }, (_, i) => 200 + i);

describe("the demo upstream's /status/:code (red team L6)", () => {
  it("answers every status it offers, 200-599, through the layer, decorated", async () => {
    const wrong: string[] = [];
    for (const code of STATUSES) {
      const res = await layer(new Request(`${EDGE}/status/${code}`, { headers: { origin: DEV } }));
      const body = await res.text();
      const noBody = code === 204 || code === 205 || code === 304;
      if (res.status !== code) wrong.push(`${code}: got ${res.status} ${body}`);
      else if (res.headers.get("access-control-allow-origin") !== DEV)
        wrong.push(`${code}: no grant`);
      else if (noBody ? body !== "" : JSON.parse(body).status !== code)
        wrong.push(`${code}: body ${body}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(["199", "600", "abc", "2e2"])(
    "refuses /status/%s with a 400 of its own",
    async (code) => {
      const res = await layer(new Request(`${EDGE}/status/${code}`, { headers: { origin: DEV } }));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("bad_request");
    },
  );
});
