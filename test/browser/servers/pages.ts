/** The test page origins: a blank page, and a page holding a sandboxed iframe (Origin: null). */
import { type Listening, listen } from "./listen.ts";

const BLANK = "<!doctype html><meta charset=utf-8><title>edge-cors browser suite</title><p>page";
const SANDBOX =
  '<!doctype html><meta charset=utf-8><title>sandbox host</title><iframe name="sandboxed" sandbox="allow-scripts" src="/frame.html"></iframe>';
const FRAME = "<!doctype html><meta charset=utf-8><title>sandboxed frame</title><p>opaque origin";

export async function startPages(name: string): Promise<Listening> {
  return listen(
    (req, res) => {
      const path = new URL(req.url ?? "/", "http://page.invalid").pathname;
      const body = path === "/sandbox.html" ? SANDBOX : path === "/frame.html" ? FRAME : BLANK;
      res.writeHead(path === "/favicon.ico" ? 404 : 200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
      });
      res.end(body);
    },
    { name, maxRequests: 1000 },
  );
}
