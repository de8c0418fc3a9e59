// The things measured: edge-cors core, hono/cors in a Hono app, itty-router's cors in an itty
// Router, their bare hosts, the optional @edge-cors/hono drop-in, and the floors.

import { createCors } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import { Hono, type MiddlewareHandler } from "hono";
import { cors as honoCors } from "hono/cors";
import { cors as ittyCors, Router } from "itty-router";
import {
  appResponse,
  corePolicy,
  EXPOSE,
  HEADERS,
  MAX_AGE,
  METHODS,
  type PolicySize,
  peerOriginFn,
} from "./fixtures.ts";

export type Handler = (request: Request) => Response | Promise<Response>;

/** Every subject configured for one policy size. */
export interface Stack {
  core: Handler;
  honoBare: Handler;
  honoCors: Handler;
  honoDropin: Handler | null;
  ittyBare: Handler;
  ittyCors: Handler;
}

const next = (): Response => appResponse();

function honoApp(middleware: MiddlewareHandler | null): Handler {
  const app = new Hono();
  if (middleware) app.use("*", middleware);
  app.all("*", () => appResponse());
  return (request) => app.fetch(request);
}

/** The drop-in, if packages/hono already exports `cors` (it is written in parallel). */
async function loadDropin(): Promise<((input: unknown) => MiddlewareHandler) | null> {
  try {
    const mod = (await import("@edge-cors/hono")) as Record<string, unknown>;
    return typeof mod.cors === "function"
      ? (mod.cors as (input: unknown) => MiddlewareHandler)
      : null;
  } catch {
    return null;
  }
}

export async function buildStack(size: PolicySize): Promise<Stack> {
  const core = createCors(corePolicy(size), { publicSuffixes });
  const honoOptions = {
    origin: size.exact ?? ((origin: string) => peerOriginFn(size)(origin) ?? null),
    allowMethods: ["GET", "HEAD", "POST", ...METHODS],
    allowHeaders: HEADERS,
    exposeHeaders: EXPOSE,
    maxAge: MAX_AGE,
    credentials: true,
  };
  // The drop-in takes an edge-cors policy as well as hono/cors options: it gets the core's
  // policy, so that it makes exactly the core's decisions (patterns included).
  const dropin = await loadDropin();
  const honoDropin = dropin ? honoApp(dropin(corePolicy(size))) : null;
  // itty-router v5, wired the documented way: `before: [preflight]`, `finally: [corsify]`.
  // `Router` rather than `AutoRouter`: AutoRouter's withParams wraps `request.proxy` in a new
  // Proxy on every call, which grows without bound when the same Request is reused.
  const { preflight, corsify } = ittyCors({
    origin: size.exact ?? peerOriginFn(size),
    credentials: true,
    allowMethods: ["GET", "HEAD", "POST", ...METHODS],
    allowHeaders: HEADERS,
    exposeHeaders: EXPOSE,
    maxAge: MAX_AGE,
  });
  const ittyWith = Router({ before: [preflight], finally: [corsify] });
  ittyWith.all("*", () => appResponse());
  const ittyWithout = Router();
  ittyWithout.all("*", () => appResponse());
  return {
    core: (request) => core.handle(request, next),
    honoBare: honoApp(null),
    honoCors: honoApp(honoCors(honoOptions)),
    honoDropin,
    ittyBare: (request) => ittyWithout.fetch(request),
    ittyCors: (request) => ittyWith.fetch(request),
  };
}

/** Prebuilt header records for the floors: exactly what the core answers, copied once. */
export function headerRecord(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  response.headers.forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

export { next as appNext };
