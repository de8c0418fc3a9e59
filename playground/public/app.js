// The playground page: no framework, just the DOM. Sends the request from this browser, then
// asks the playground server to explain it, to replay the raw exchange, and for the verdict of
// the Fetch standard and of each engine; the page names the engine it runs in.
const form = document.getElementById("request");
const result = document.getElementById("result");
const sandbox = document.getElementById("sandbox");
let config = null;

const PRESETS = [
  {
    label: "simple GET",
    from: "page",
    method: "GET",
    path: "/api/items",
    headers: "",
    credentials: "same-origin",
    cache: "default",
    body: "",
  },
  {
    label: "PUT + JSON",
    from: "page",
    method: "PUT",
    path: "/api/items/1",
    headers: "Content-Type: application/json\nX-Request-Id: demo-42",
    credentials: "omit",
    cache: "default",
    body: '{"name":"renamed"}',
  },
  {
    label: "PUT, cache: no-store",
    from: "page",
    method: "PUT",
    path: "/api/items/1",
    headers: "Content-Type: application/json",
    credentials: "omit",
    cache: "no-store",
    body: '{"name":"renamed"}',
  },
  {
    label: "Authorization",
    from: "page",
    method: "GET",
    path: "/echo",
    headers: "Authorization: Bearer demo",
    credentials: "omit",
    cache: "default",
    body: "",
  },
  {
    label: "lowercase patch",
    from: "page",
    method: "patch",
    path: "/api/items/1",
    headers: "Content-Type: application/json",
    credentials: "omit",
    cache: "default",
    body: "{}",
  },
  {
    label: "unlisted header",
    from: "page",
    method: "GET",
    path: "/echo",
    headers: "X-Debug: 1",
    credentials: "omit",
    cache: "default",
    body: "",
  },
  {
    label: "credentials",
    from: "page",
    method: "GET",
    path: "/echo",
    headers: "",
    credentials: "include",
    cache: "default",
    body: "",
  },
  {
    label: "Origin: null",
    from: "null",
    method: "DELETE",
    path: "/api/items/2",
    headers: "",
    credentials: "omit",
    cache: "default",
    body: "",
  },
  {
    label: "upstream 404",
    from: "page",
    method: "GET",
    path: "/status/404",
    headers: "",
    credentials: "omit",
    cache: "default",
    body: "",
  },
];

/**
 * The engine this page runs in: User-Agent Client Hints where the browser has them (Chromium),
 * else the User-Agent string (Firefox says Firefox/; Chromium Chrome/; WebKit AppleWebKit/ alone).
 */
function detectEngine() {
  const brands = navigator.userAgentData?.brands?.map((b) => b.brand) ?? [];
  if (brands.includes("Chromium")) return "chromium";
  const ua = navigator.userAgent;
  if (ua.includes("Firefox/")) return "firefox";
  if (ua.includes("Chrome/") || ua.includes("Chromium/")) return "chromium";
  if (ua.includes("AppleWebKit/")) return "webkit";
  return null;
}
const pageEngine = detectEngine();
const labelOf = (ruleset) =>
  config?.rulesets.find((r) => r.ruleset === ruleset)?.label ?? ruleset ?? "unknown";

const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
};

function parseHeaders(text) {
  const out = [];
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (line.trim() === "") continue;
    if (i <= 0) throw new Error(`header line "${line}" has no "Name: value"`);
    out.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
  }
  return out;
}

function readForm() {
  const f = new FormData(form);
  return {
    from: f.get("from"),
    method: String(f.get("method")).trim() || "GET",
    path: String(f.get("path")).trim() || "/",
    headers: parseHeaders(String(f.get("headers"))),
    credentials: f.get("credentials"),
    cache: f.get("cache"),
    body: String(f.get("body")),
    replayActual: f.get("replayActual") === "on",
  };
}

function applyPreset(p) {
  for (const k of ["from", "method", "path", "headers", "credentials", "cache", "body"])
    form.elements[k].value = p[k];
}

let nextId = 1;
/** Runs fetch() in the sandboxed iframe (opaque origin: Origin null). */
function fetchFromSandbox(url, init) {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (event) => {
      if (event.source !== sandbox.contentWindow || event.data?.id !== id) return;
      removeEventListener("message", onMessage);
      resolve(event.data.outcome);
    };
    addEventListener("message", onMessage);
    sandbox.contentWindow.postMessage({ id, url, init }, "*");
  });
}

async function fetchFromPage(url, init) {
  try {
    const r = await fetch(url, init);
    const outcome = {
      ok: true,
      status: r.status,
      statusText: r.statusText,
      type: r.type,
      headers: [...r.headers],
    };
    await r.arrayBuffer().catch(() => undefined);
    return outcome;
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}

function httpBlock(
  startLine,
  headers,
  corsNames = (n) => n.startsWith("access-control-") || n === "origin" || n === "vary",
) {
  const pre = el("pre", { class: "http" }, el("span", { class: "start" }, startLine), "\n");
  for (const [n, v] of headers) {
    pre.append(corsNames(n) ? el("span", { class: "cors" }, `${n}: ${v}`) : `${n}: ${v}`, "\n");
  }
  return pre;
}

function renderStep(step, index) {
  const d = step.decision;
  const title =
    step.kind === "preflight"
      ? "Preflight (sent by the browser, answered by the layer)"
      : "Actual request";
  const tag = d
    ? el(
        "span",
        { class: `tag ${d.allowed ? "ok" : "bad"}` },
        `explain(): ${d.kind}, ${d.allowed ? "allowed" : "denied"}`,
      )
    : null;
  const u = new URL(step.request.url);
  const req = httpBlock(
    `${step.request.method} ${u.pathname}${u.search} HTTP/1.1`,
    step.request.headers,
  );
  const res = step.response
    ? httpBlock(
        `HTTP/1.1 ${step.response.status} ${step.response.statusText}`,
        step.response.headers,
      )
    : el("pre", { class: "http" }, step.error ?? step.note ?? "no response");
  return el(
    "div",
    { class: "card", "data-step": String(index) },
    el("h2", {}, title, tag),
    d
      ? el(
          "ul",
          { class: "reasons" },
          d.reasons.map((r) => el("li", {}, r)),
        )
      : null,
    el("div", { class: "exchange" }, req, res),
    step.note && step.response ? el("p", { class: "note" }, step.note) : null,
  );
}

/** One row per ruleset: the standard and each engine, the page's own engine marked. */
function renderVerdicts(explained) {
  const std = explained.verdicts.find((v) => v.ruleset === "standard");
  const codes = (v) => [...v.problems, ...v.warnings].map((f) => f.code).join();
  return el(
    "div",
    { class: "card" },
    el(
      "h2",
      {},
      "Per engine",
      el("span", { class: "tag info" }, `this page runs in ${labelOf(explained.engine)}`),
    ),
    el(
      "table",
      { class: "verdicts" },
      el(
        "tr",
        {},
        el("th", {}, ""),
        el("th", {}, "verdict"),
        el("th", {}, "preflight reuse"),
        el("th", {}, "findings"),
      ),
      explained.verdicts.map((v) =>
        el(
          "tr",
          {
            "data-ruleset": v.ruleset,
            "data-ok": String(v.ok),
            class: v.ruleset === explained.engine ? "self" : "",
          },
          el("th", {}, v.label, v.ruleset === explained.engine ? " (this page)" : ""),
          el("td", { class: v.ok ? "ok" : "bad" }, v.ok ? "Allowed" : "Blocked"),
          el("td", {}, `${v.preflightCacheSeconds} s`),
          el(
            "td",
            {},
            v.ruleset !== "standard" && codes(v) === codes(std)
              ? el("span", { class: "note" }, "as the standard")
              : [...v.problems, ...v.warnings].map((f) =>
                  el("div", { class: v.problems.includes(f) ? "problem" : "warning" }, f.message),
                ),
          ),
        ),
      ),
    ),
    el(
      "p",
      { class: "note" },
      "Preflight reuse: the seconds an identical request (same cache mode) skips the preflight; 0 when the engine does not store or reuse it.",
    ),
  );
}

function render(spec, outcome, explained) {
  result.replaceChildren();
  const v = explained.verdict;
  const agrees = v.ok === outcome.ok;
  const model = `the ${labelOf(explained.engine ?? "standard")} model`;
  const readable = outcome.ok ? outcome.headers.map(([n]) => n) : [];
  result.append(
    el(
      "div",
      { class: `banner ${outcome.ok ? "ok" : "bad"}` },
      el("strong", {}, outcome.ok ? "Allowed" : "Blocked"),
      el(
        "span",
        { class: "detail" },
        outcome.ok
          ? `${spec.method} ${spec.path} → ${outcome.status === 0 ? "opaque redirect" : `${outcome.status} ${outcome.statusText}`}; the script can read the response`
          : `fetch() rejected: ${outcome.error} (the browser's console has the reason)`,
      ),
      el(
        "span",
        { class: "agree" },
        agrees ? `✓ ${model} agrees` : `✗ ${model} predicted the opposite`,
      ),
    ),
  );
  result.append(renderVerdicts(explained));
  if (v.problems.length > 0) {
    result.append(
      el(
        "div",
        { class: "card" },
        el("h2", {}, `Why (${model} on the replayed exchange)`),
        v.problems.map((p) =>
          el(
            "div",
            { class: "problem" },
            el("div", {}, p.message),
            el("div", { class: "fix" }, p.fix),
          ),
        ),
      ),
    );
  }
  if (outcome.ok) {
    const replayed = [...v.exposed, ...v.hidden];
    result.append(
      el(
        "div",
        { class: "card" },
        el(
          "h2",
          {},
          "Response headers the script can read",
          el("span", { class: "tag info" }, "response.headers"),
        ),
        el(
          "div",
          { class: "chips" },
          replayed.map((n) =>
            el("span", { class: `chip${v.exposed.includes(n) ? "" : " hidden"}` }, n),
          ),
        ),
        el(
          "p",
          { class: "note" },
          "Model, on the replayed response: struck-through headers are in the response but hidden from the script (not safelisted, not in Access-Control-Expose-Headers).",
        ),
        el(
          "p",
          { class: "note" },
          `This browser's own response.headers: ${readable.length > 0 ? readable.join(", ") : "(none)"}`,
        ),
      ),
    );
  }
  const plan = explained.plan;
  if (plan.preflightReasons.length === 0) {
    result.append(
      el(
        "p",
        { class: "note" },
        "No preflight: a CORS-safelisted method with CORS-safelisted headers.",
      ),
    );
  }
  for (const [i, s] of explained.steps.entries()) result.append(renderStep(s, i));
  result.dataset.state = "done";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  result.dataset.state = "busy";
  let spec;
  try {
    spec = readForm();
  } catch (e) {
    result.replaceChildren(
      el(
        "div",
        { class: "banner bad" },
        el("strong", {}, "Invalid input"),
        el("span", { class: "detail" }, String(e.message)),
      ),
    );
    result.dataset.state = "done";
    return;
  }
  const url = new URL(spec.path, config.layerUrl).href;
  const init = { method: spec.method, headers: spec.headers, credentials: spec.credentials };
  if (spec.cache !== "default") init.cache = spec.cache;
  if (
    spec.body !== "" &&
    spec.method.toUpperCase() !== "GET" &&
    spec.method.toUpperCase() !== "HEAD"
  )
    init.body = spec.body;
  const outcome =
    spec.from === "null" ? await fetchFromSandbox(url, init) : await fetchFromPage(url, init);
  const r = await fetch("/api/explain", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      origin: spec.from === "null" ? "null" : location.origin,
      path: spec.path,
      method: spec.method,
      headers: spec.headers,
      credentials: spec.credentials,
      cache: spec.cache,
      body: init.body ?? "",
      replayActual: spec.replayActual,
      engine: pageEngine,
    }),
  });
  render(spec, outcome, await r.json());
});

async function init() {
  config = await (await fetch("/api/config")).json();
  document.getElementById("page-origin").textContent = location.origin;
  document.getElementById("page-engine").textContent = labelOf(pageEngine);
  document.getElementById("layer-url").textContent = config.layerUrl;
  document.getElementById("policy-source").textContent =
    config.policySource === "default" ? "embedded default (no CORS_POLICY)" : "CORS_POLICY";
  document.getElementById("policy").textContent = JSON.stringify(config.policy, null, 2);
  const presets = document.getElementById("presets");
  for (const p of PRESETS) {
    const b = el("button", { type: "button" }, p.label);
    b.addEventListener("click", () => applyPreset(p));
    presets.append(b);
  }
  document.body.dataset.ready = "true";
}
init();
