// Hostile paths (issue 12, availability): a policy with 256 routes, and a 2 KiB request path
// built from every kind of spelling the route readings take apart (UTF-8 and overlong escapes,
// `;`, `%3F`, dot segments, `\`, double encoding, Windows segment ends), so that the core
// computes every reading (about 110) and matches each against every route. The figure is
// the core's handle() on that request next to the same call on a plain path, in this process.

import { createCors } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import type { HostilePathFigure } from "./targets.ts";

const ORIGIN = "https://partner.example.net";
const ROUTES = 256;
/** One unit of the hostile path: each piece forces another family of readings. */
const UNIT = "%C4%B1;%3F.a%2e\\x%25%32%65%20./";

export function hostilePath(): string {
  let path = "/";
  while (path.length + UNIT.length <= 2048) path += UNIT;
  return path;
}

export async function measureHostilePath(rounds = 7, calls = 200): Promise<HostilePathFigure> {
  const routes = Array.from({ length: ROUTES }, (_, i) => ({
    path: `/r${i}/*`,
    allowOrigins: ["https://app.example.com"],
  }));
  const cors = createCors(
    { allowOrigins: ["https://app.example.com", ORIGIN], allowCredentials: true, routes },
    { publicSuffixes },
  );
  const next = () => new Response("ok");
  const request = (path: string) =>
    new Request(`https://api.example.com${path}`, { headers: { origin: ORIGIN } });
  const hostile = request(hostilePath());
  const plain = request("/v1/items/7");
  const perCall = async (req: Request) => {
    const started = performance.now();
    for (let i = 0; i < calls; i++) await cors.handle(req, next);
    return ((performance.now() - started) / calls) * 1000;
  };
  await perCall(hostile);
  await perCall(plain);
  const hostileUs: number[] = [];
  const plainUs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    hostileUs.push(await perCall(hostile));
    plainUs.push(await perCall(plain));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { hostileUs: median(hostileUs), plainUs: median(plainUs), routes: ROUTES, rounds };
}
