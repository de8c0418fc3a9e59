/**
 * The built-in demo upstream: what the edge layers proxy to when no `UPSTREAM_URL` is set, so
 * a fresh clone has something real behind the CORS layer. Web-standard only; it never calls
 * out and holds no state between requests.
 */

/** The longest `/slow` delay, so a demo request can never hang. */
export const DEMO_MAX_DELAY_MS = 30_000;
/** How much of a request body `/echo` returns as text (it counts all of it). */
const ECHO_TEXT_LIMIT = 4096;

const ITEMS = [
  { id: 1, name: "edge", done: true },
  { id: 2, name: "cors", done: false },
];

const ENDPOINTS = {
  "GET /": "this index",
  "GET /api/items": "a JSON list (with ETag and X-Request-Id)",
  "GET /api/items/:id": "one item; PUT, PATCH and DELETE answer too",
  "POST /api/items": "201 with the JSON you sent",
  "ANY /echo": "method, path, query, headers and body size of your request",
  "GET /slow?ms=2000": `answers after ms milliseconds (at most ${DEMO_MAX_DELAY_MS})`,
  "GET /status/:code": "answers with that status (200-599)",
  "GET /upstream-cors":
    "carries the upstream's own Access-Control-* headers (see CORS_UPSTREAM_HEADERS)",
};

/** Statuses whose response must not have a body (Fetch: null body status). */
function hasNoBody(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}

function isThreeDigits(s: string): boolean {
  if (s.length !== 3) return false;
  for (let i = 0; i < 3; i++) if (s.charCodeAt(i) < 48 || s.charCodeAt(i) > 57) return false;
  return true;
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(hasNoBody(status) ? null : JSON.stringify(body, null, 2), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-demo-upstream": "1",
      ...headers,
    },
  });
}

/** Reads the whole body as a stream: counts every byte, keeps the first ECHO_TEXT_LIMIT. */
async function bodySummary(request: Request): Promise<{ bytes: number; text: string }> {
  if (request.body === null) return { bytes: 0, text: "" };
  const reader = request.body.getReader();
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (keptBytes < ECHO_TEXT_LIMIT) {
      const part = value.subarray(0, ECHO_TEXT_LIMIT - keptBytes);
      kept.push(part);
      keptBytes += part.byteLength;
    }
  }
  const all = new Uint8Array(keptBytes);
  let at = 0;
  for (const k of kept) {
    all.set(k, at);
    at += k.byteLength;
  }
  return { bytes, text: new TextDecoder().decode(all) };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

function items(request: Request, id: string | undefined): Response | Promise<Response> {
  const m = request.method;
  const etag = { etag: '"items-v1"', "x-request-id": crypto.randomUUID() };
  if (id === undefined) {
    if (m === "GET" || m === "HEAD") return json(ITEMS, 200, etag);
    if (m === "POST") {
      return bodySummary(request).then(({ text, bytes }) => {
        let sent: unknown = text;
        try {
          sent = JSON.parse(text);
        } catch {
          // Not JSON: echo the text.
        }
        return json({ id: 3, created: sent, bytes }, 201, { location: "/api/items/3" });
      });
    }
    return json({ error: "method_not_allowed" }, 405, { allow: "GET, HEAD, POST" });
  }
  const item = ITEMS.find((i) => String(i.id) === id);
  if (item === undefined) return json({ error: "not_found", detail: `no item ${id}` }, 404);
  if (m === "GET" || m === "HEAD") return json(item, 200, etag);
  if (m === "PUT" || m === "PATCH")
    return bodySummary(request).then((b) => json({ ...item, updated: b.bytes }));
  if (m === "DELETE") return json(null, 204);
  return json({ error: "method_not_allowed" }, 405, { allow: "GET, HEAD, PUT, PATCH, DELETE" });
}

/** The demo upstream's handler: `(request) => Response`, usable as an edge-layer upstream. */
export async function demoUpstream(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname;
  if (path === "/" || path === "") {
    return json({
      name: "edge-cors demo upstream",
      note: "Set UPSTREAM_URL to put edge-cors in front of your own API.",
      endpoints: ENDPOINTS,
    });
  }
  if (path === "/api/items" || path === "/api/items/") return items(request, undefined);
  if (path.startsWith("/api/items/")) return items(request, path.slice("/api/items/".length));
  if (path === "/echo") {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = await bodySummary(request);
    return json({
      method: request.method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers,
      bodyBytes: body.bytes,
      body: body.text,
    });
  }
  if (path === "/slow") {
    const asked = Number(url.searchParams.get("ms") ?? "2000");
    const ms = Number.isFinite(asked) ? Math.min(Math.max(0, asked), DEMO_MAX_DELAY_MS) : 2000;
    await sleep(ms, request.signal);
    return json({ slept: ms });
  }
  if (path.startsWith("/status/")) {
    const digits = path.slice("/status/".length);
    const code = isThreeDigits(digits) ? Number(digits) : Number.NaN;
    if (!(code >= 200 && code <= 599)) {
      return json({ error: "bad_request", detail: "use a status from 200 to 599" }, 400);
    }
    return json({ status: code }, code, code >= 300 && code < 400 ? { location: "/" } : {});
  }
  if (path === "/upstream-cors") {
    return json({ note: "this response carries its own Access-Control-* headers" }, 200, {
      "access-control-allow-origin": "*",
      "access-control-expose-headers": "x-demo-upstream",
      "x-upstream-cors": "1",
    });
  }
  return json({ error: "not_found", detail: `no demo endpoint ${path}; see GET /` }, 404);
}
