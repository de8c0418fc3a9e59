import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EDGE, testId, upstreamUrl, workerWith } from "./helpers.ts";

/** Long enough that "within the TTL" holds on a loaded machine. */
const TTL = 800;
/** For tests that only wait for the TTL to pass. */
const SHORT_TTL = 150;
const ONE = "https://one.example";
const TWO = "https://two.example";
const VARS_ORIGIN = "https://vars.example";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function allowed(res: Response): string | null {
  return res.headers.get("access-control-allow-origin");
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("hot reload of the policy from KV", () => {
  it("serves KV's policy, caches it in the isolate, picks up changes after the TTL, falls back when deleted", async () => {
    const key = `policy-${testId()}`;
    const call = workerWith({
      CORS_POLICY: JSON.stringify({ allowOrigins: [VARS_ORIGIN] }),
      UPSTREAM_URL: upstreamUrl,
      CORS_POLICY_KV_KEY: key,
      CORS_POLICY_KV_TTL_MS: String(TTL),
    });
    const get = (origin: string) => call(new Request(`${EDGE}/echo`, { headers: { origin } }));

    // No key yet: the vars' policy.
    expect(allowed(await get(VARS_ORIGIN))).toBe(VARS_ORIGIN);

    await env.CORS_KV.put(key, JSON.stringify({ allowOrigins: [ONE] }));
    await sleep(TTL + 50);
    expect(allowed(await get(ONE))).toBe(ONE);
    expect(allowed(await get(VARS_ORIGIN))).toBeNull();

    // Within the TTL the isolate keeps its copy; after it, the change is live without a redeploy.
    await env.CORS_KV.put(key, JSON.stringify({ allowOrigins: [TWO] }));
    expect(allowed(await get(TWO))).toBeNull();
    await sleep(TTL + 50);
    expect(allowed(await get(TWO))).toBe(TWO);
    expect(allowed(await get(ONE))).toBeNull();

    // Preflights use the reloaded policy too.
    const pre = await call(
      new Request(`${EDGE}/echo`, {
        method: "OPTIONS",
        headers: { origin: TWO, "access-control-request-method": "GET" },
      }),
    );
    expect(pre.status).toBe(204);
    expect(allowed(pre)).toBe(TWO);

    await env.CORS_KV.delete(key);
    await sleep(TTL + 50);
    expect(allowed(await get(VARS_ORIGIN))).toBe(VARS_ORIGIN);
    expect(allowed(await get(TWO))).toBeNull();
  });

  it("refuses a bad policy in KV, keeps the last good one, and logs every problem once", async () => {
    const key = `policy-${testId()}`;
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const call = workerWith({
      UPSTREAM_URL: upstreamUrl,
      CORS_POLICY_KV_KEY: key,
      CORS_POLICY_KV_TTL_MS: String(SHORT_TTL),
    });
    const get = (origin: string) => call(new Request(`${EDGE}/echo`, { headers: { origin } }));

    await env.CORS_KV.put(key, JSON.stringify({ allowOrigins: [ONE], allowCredentials: true }));
    expect(allowed(await get(ONE))).toBe(ONE);

    const bad = {
      allowOrigins: ["null", "http://plain.example"],
      allowCredentials: true,
      maxAge: "1y",
    };
    await env.CORS_KV.put(key, JSON.stringify(bad));
    await sleep(SHORT_TTL + 50);
    const res = await get(ONE);
    expect(res.status).toBe(200);
    expect(allowed(res)).toBe(ONE);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");

    expect(log).toHaveBeenCalledTimes(1);
    const message = String(log.mock.calls[0]![0]);
    expect(message).toContain(`refused the policy in KV key "${key}" (3 problems)`);
    expect(message).toContain("the last good policy from KV");
    for (const path of ["allowOrigins[0]", "allowOrigins[1]", "maxAge"])
      expect(message).toContain(`${key}".${path}`);

    // Still bad after another TTL: still serving, not logged again.
    await sleep(SHORT_TTL + 50);
    expect(allowed(await get(ONE))).toBe(ONE);
    expect(log).toHaveBeenCalledTimes(1);

    // Invalid JSON is refused the same way.
    await env.CORS_KV.put(key, "{ not json");
    await sleep(SHORT_TTL + 50);
    expect(allowed(await get(ONE))).toBe(ONE);
    expect(String(log.mock.calls[1]![0])).toContain("not valid JSON");
  });

  it("a bad policy in KV with no earlier good one keeps the vars' policy (here: the embedded default)", async () => {
    const key = `policy-${testId()}`;
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    await env.CORS_KV.put(key, JSON.stringify({ allowOrigins: "*", allowCredentials: true }));
    const call = workerWith({ CORS_POLICY_KV_KEY: key });
    const res = await call(
      new Request(`${EDGE}/api/items`, { headers: { origin: "http://localhost:5173" } }),
    );
    expect(res.status).toBe(200);
    expect(allowed(res)).toBe("http://localhost:5173");
    expect(String(log.mock.calls[0]![0])).toContain("the policy from the Worker's vars");
  });

  it("the runtime's own env is reused across requests: one KV read per TTL (60 s here)", async () => {
    // exports.default uses the vitest config's bindings: CORS_POLICY_KV_KEY=runtime-policy, TTL 60 s.
    const { exports } = await import("cloudflare:workers");
    const first = await exports.default.fetch(`${EDGE}/api/items`, { headers: { origin: ONE } });
    expect(allowed(first)).toBeNull();
    await env.CORS_KV.put("runtime-policy", JSON.stringify({ allowOrigins: [ONE] }));
    const second = await exports.default.fetch(`${EDGE}/api/items`, { headers: { origin: ONE } });
    // Still the cached (absent) KV value: the isolate did not rebuild its state for this request.
    expect(allowed(second)).toBeNull();
    await env.CORS_KV.delete("runtime-policy");
  });
});
