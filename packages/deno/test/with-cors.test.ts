/** withCors itself: policy compiled once, errors surfaced at start-up, module shape kept. */
import assert from "node:assert/strict";
import { CorsConfigError, createCors, withCors } from "../src/index.ts";

const policy = { allowOrigins: ["https://app.example.com"], allowMethods: ["PUT"] } as const;
const preflight = () =>
  new Request("https://api.example.com/x", {
    method: "OPTIONS",
    headers: { origin: "https://app.example.com", "access-control-request-method": "PUT" },
  });
const get = () =>
  new Request("https://api.example.com/x", { headers: { origin: "https://app.example.com" } });

Deno.test("invalid or insecure policies throw CorsConfigError when wrapping, not per request", () => {
  const bad: unknown[] = [
    { allowOrigins: "*", allowCredentials: true },
    { allowOrigins: ["null"] },
    { allowOrigins: ["https://app.example.com/"] },
    { allowOrigins: ["https://app.example.com"], allowMethods: ["TRACE"] },
  ];
  for (const p of bad) {
    assert.throws(
      () => withCors(() => new Response("x"), p as never),
      CorsConfigError,
      JSON.stringify(p),
    );
    assert.throws(() => withCors({ fetch: () => new Response("x") }, p as never), CorsConfigError);
  }
});

Deno.test("a target that is neither a function nor a { fetch } module is a TypeError", () => {
  for (const t of [null, 42, {}, { fetch: "no" }]) {
    assert.throws(() => withCors(t as never, policy), TypeError);
  }
});

Deno.test("the runtime's extra arguments reach the handler unchanged", async () => {
  const info = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 } };
  let seen: unknown[] = [];
  const h = withCors((_r: Request, ...rest: unknown[]) => {
    seen = rest;
    return new Response("ok");
  }, policy);
  await h(get(), info, "extra");
  assert.deepEqual(seen, [info, "extra"]);
});

Deno.test("a serve module keeps its members and its `this`", async () => {
  const mod = {
    greeting: "hello",
    fetch(this: { greeting: string }, _r: Request) {
      return new Response(this.greeting);
    },
  };
  const wrapped = withCors(mod, policy);
  assert.notEqual(wrapped, mod);
  assert.equal(wrapped.greeting, "hello");
  const res = await wrapped.fetch(get());
  assert.equal(await res.text(), "hello");
  assert.equal(res.headers.get("access-control-allow-origin"), "https://app.example.com");
  assert.equal(mod.fetch.name, "fetch", "the original module is not modified");
});

Deno.test("a compiled Cors is reused as is", async () => {
  const cors = createCors(policy);
  let calls = 0;
  const app = (_r: Request) => {
    calls++;
    return new Response("app");
  };
  const a = withCors(app, cors);
  const b = withCors({ fetch: app }, cors);
  for (const f of [a, (r: Request) => b.fetch(r)]) {
    const res = await f(preflight());
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-methods"), "PUT");
  }
  assert.equal(calls, 0, "preflights never reach the handler");
});

Deno.test("a handler's exception propagates (Deno.serve's onError decides the 500)", async () => {
  const h = withCors(() => {
    throw new Error("boom");
  }, policy);
  await assert.rejects(async () => await h(get()), /boom/);
});
