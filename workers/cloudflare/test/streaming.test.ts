import { createEdgeLayer } from "@edge-cors/edge";
import { describe, expect, it } from "vitest";
import { EDGE, MIB, pattern, sha256Hex, testId, upstreamUrl } from "./helpers.ts";

// Both tests hold back the last MiB until the other side has seen the first one. A layer that
// buffered the body whole would never let that happen, and the test would fail on its timeout.
const TOTAL = 8 * MIB;
const CHUNK = 64 * 1024;
const ORIGIN = "https://app.example.com";
const layer = createEdgeLayer({
  policy: { allowOrigins: [ORIGIN] },
  upstream: upstreamUrl,
  timeoutMs: 20_000,
});

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("streaming, both ways, without buffering", () => {
  it(`uploads ${TOTAL / MIB} MiB: the upstream receives bytes before the client has sent them all`, async () => {
    const id = testId();
    let sent = 0;
    let upstreamHadBytesEarly = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === TOTAL - MIB) {
          await until(async () => {
            const p = (await (await fetch(`${upstreamUrl}/progress?id=${id}`)).json()) as {
              bytes: number;
            };
            return p.bytes >= MIB;
          }, 10_000);
          upstreamHadBytesEarly = true;
        }
        if (sent >= TOTAL) return controller.close();
        const n = Math.min(CHUNK, TOTAL - sent);
        controller.enqueue(pattern(sent, n));
        sent += n;
      },
    });
    const res = await layer(
      new Request(`${EDGE}/sink?id=${id}`, {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/octet-stream" },
        body,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const got = (await res.json()) as { bytes: number; sha256: string };
    expect(upstreamHadBytesEarly).toBe(true);
    expect(got.bytes).toBe(TOTAL);
    expect(got.sha256).toBe(await sha256Hex(pattern(0, TOTAL)));
  });

  it(`downloads ${TOTAL / MIB} MiB: the client reads bytes before the upstream has sent them all`, async () => {
    const id = testId();
    const res = await layer(
      new Request(`${EDGE}/source?bytes=${TOTAL}&id=${id}`, { headers: { origin: ORIGIN } }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const reader = res.body!.getReader();
    let got = 0;
    let acked = false;
    let mismatch = -1;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const want = pattern(got, value.byteLength);
      for (let i = 0; i < value.byteLength && mismatch < 0; i++)
        if (value[i] !== want[i]) mismatch = got + i;
      got += value.byteLength;
      if (!acked && got >= MIB) {
        // The upstream still holds the last MiB: tell it we already have the first one.
        expect(got).toBeLessThanOrEqual(TOTAL - MIB);
        await fetch(`${upstreamUrl}/ack?id=${id}`);
        acked = true;
      }
    }
    expect(mismatch).toBe(-1);
    expect(acked).toBe(true);
    expect(got).toBe(TOTAL);
  });
});
