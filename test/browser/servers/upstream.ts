/** The 127.0.0.1 upstream behind the edge layer: serves `upstreamReply` and records every hit. */

import { upstreamReply } from "../upstream-model.ts";
import { type Listening, listen, readBody } from "./listen.ts";

export interface Hit {
  method: string;
  path: string;
  /** The `s` query parameter: the scenario that sent it. */
  scenario: string | null;
  origin: string | null;
  cookie: boolean;
  /** Set when an OPTIONS preflight reached the upstream (it never should). */
  acrm: string | null;
  headers: Record<string, string | string[] | undefined>;
}

export interface Upstream extends Listening {
  hits: Hit[];
  hitsFor(scenario: string): Hit[];
}

export async function startUpstream(): Promise<Upstream> {
  const hits: Hit[] = [];
  const server = await listen(
    async (req, res) => {
      await readBody(req);
      const url = new URL(req.url ?? "/", "http://upstream.invalid");
      const origin = req.headers.origin ?? null;
      const cookie = req.headers.cookie ?? null;
      hits.push({
        method: req.method ?? "",
        path: url.pathname,
        scenario: url.searchParams.get("s"),
        origin,
        cookie: cookie !== null,
        acrm: (req.headers["access-control-request-method"] as string | undefined) ?? null,
        headers: { ...req.headers },
      });
      const reply = upstreamReply({ method: req.method ?? "GET", url, cookie, origin });
      res.writeHead(reply.status, reply.headers.flat());
      res.end(reply.body);
    },
    { name: "upstream", maxRequests: 3000 },
  );
  return {
    ...server,
    hits,
    hitsFor: (s) => hits.filter((h) => h.scenario === s),
  };
}
