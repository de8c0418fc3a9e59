// Compile cost (issue 12, L2): a policy of 10 000 origins and 50 routes, compiled in this
// process as an isolate's first request would, with the Public Suffix List. The first run
// includes the JIT warming up; the target is on the median of the following runs.

import { createCors } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import type { CompileFigure } from "./targets.ts";

export function largePolicy() {
  const allowOrigins = Array.from({ length: 10_000 }, (_, i) => `https://app${i}.example.com`);
  allowOrigins.push("https://*.tenants.example.com");
  const routes = Array.from({ length: 50 }, (_, i) => ({ path: `/r${i}/*`, maxAge: i }));
  return { allowOrigins, allowCredentials: true, allowMethods: ["PUT"], routes };
}

export function measureCompile(runs = 9): CompileFigure {
  const policy = largePolicy();
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    createCors(policy, { publicSuffixes });
    times.push(performance.now() - started);
  }
  const [firstMs, ...rest] = times;
  rest.sort((a, b) => a - b);
  return { firstMs: firstMs!, medianMs: rest[Math.floor(rest.length / 2)]!, runs };
}
