/** The hand-configured CORS server on 127.0.0.1 (behind a counting front, like each layer). */
import { rawCorsReply } from "../raw-cors-model.ts";
import { type Listening, listen, readBody } from "./listen.ts";

export async function startRawCors(): Promise<Listening> {
  return listen(
    async (req, res) => {
      await readBody(req);
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        headers[name] = Array.isArray(value) ? value.join(", ") : value;
      }
      const reply = rawCorsReply({
        method: req.method ?? "GET",
        url: new URL(req.url ?? "/", "http://raw.invalid"),
        headers,
      });
      res.writeHead(reply.status, reply.headers.flat());
      res.end(reply.body);
    },
    { name: "raw-cors", maxRequests: 3000 },
  );
}
