// The scenarios: which Request, which policy size, which subjects, and what the floor is.

import { decisionLogSubjects, LOGGED_SCENARIOS } from "./decision-log.ts";
import { actual, DENIED_ORIGIN, HOSTILE, type PolicySize, preflight, SIZES } from "./fixtures.ts";
import { appNext, buildStack, type Handler, headerRecord, type Stack } from "./subjects.ts";

export type SubjectId =
  | "floor"
  | "floor-same"
  | "floor-record"
  | "floor-min"
  | "core"
  | "core-log"
  | "core-log-bounded"
  | "hono-bare"
  | "hono-cors"
  | "hono-dropin"
  | "itty-bare"
  | "itty-cors";

export const SUBJECT_LABELS: Record<SubjectId, string> = {
  floor: "floor",
  "floor-same": "ref: same Response object",
  "floor-record": "ref: floor, headers as a record",
  "floor-min": "ref: floor + reading the request",
  core: "edge-cors core",
  "core-log": "core + decision log (every line)",
  "core-log-bounded": "core + decision log (100/s bound)",
  "hono-bare": "Hono bare app",
  "hono-cors": "hono/cors in Hono",
  "hono-dropin": "@edge-cors/hono in Hono",
  "itty-bare": "itty Router bare",
  "itty-cors": "itty cors in Router",
};

export interface Subject {
  id: SubjectId;
  run: Handler;
}

export interface Scenario {
  id: string;
  label: string;
  kind: "preflight" | "actual";
  /** Policy size the subjects are configured with. */
  size: PolicySize["id"];
  request: Request;
  subjects: Subject[];
  /** What the floor is, in words (for the tables). */
  floor: string;
}

interface Spec {
  id: string;
  label: string;
  kind: "preflight" | "actual";
  size: PolicySize;
  request: Request;
}

function specs(): Spec[] {
  const [s3, s10k, sPat] = SIZES as [PolicySize, PolicySize, PolicySize];
  return [
    {
      id: "pf-3",
      label: "preflight allowed, 3 origins",
      kind: "preflight",
      size: s3,
      request: preflight(s3.allowed),
    },
    {
      id: "pf-10k",
      label: "preflight allowed, 10 000 origins",
      kind: "preflight",
      size: s10k,
      request: preflight(s10k.allowed),
    },
    {
      id: "pf-1kp",
      label: "preflight allowed, 1 000 patterns",
      kind: "preflight",
      size: sPat,
      request: preflight(sPat.allowed),
    },
    {
      id: "pf-refused",
      label: "preflight refused (origin), 3 origins",
      kind: "preflight",
      size: s3,
      request: preflight(DENIED_ORIGIN),
    },
    {
      id: "act-3",
      label: "actual allowed, 3 origins",
      kind: "actual",
      size: s3,
      request: actual(s3.allowed),
    },
    {
      id: "act-10k",
      label: "actual allowed, 10 000 origins",
      kind: "actual",
      size: s10k,
      request: actual(s10k.allowed),
    },
    {
      id: "act-refused",
      label: "actual refused (origin), 3 origins",
      kind: "actual",
      size: s3,
      request: actual(DENIED_ORIGIN),
    },
    {
      id: "no-origin",
      label: "no Origin (GET), 3 origins",
      kind: "actual",
      size: s3,
      request: actual(null),
    },
    {
      id: "hostile-names",
      label: "hostile ACRH: 3 000 names",
      kind: "preflight",
      size: s3,
      request: preflight(s3.allowed, HOSTILE.names3000),
    },
    {
      id: "hostile-commas",
      label: "hostile ACRH: 50 000 commas",
      kind: "preflight",
      size: s3,
      request: preflight(s3.allowed, HOSTILE.commas50k),
    },
    {
      id: "hostile-spaces",
      label: "hostile ACRH: 1 MB of spaces",
      kind: "preflight",
      size: s3,
      request: preflight(s3.allowed, HOSTILE.spaces1m),
    },
  ];
}

function peers(stack: Stack): Subject[] {
  const out: Subject[] = [
    { id: "core", run: stack.core },
    { id: "hono-bare", run: stack.honoBare },
    { id: "hono-cors", run: stack.honoCors },
  ];
  if (stack.honoDropin) out.push({ id: "hono-dropin", run: stack.honoDropin });
  out.push({ id: "itty-bare", run: stack.ittyBare }, { id: "itty-cors", run: stack.ittyCors });
  return out;
}

/** Build every scenario. Each floor answers exactly what the core answers in that scenario. */
export async function buildScenarios(): Promise<Scenario[]> {
  const stacks = new Map<PolicySize["id"], Stack>();
  for (const size of SIZES) stacks.set(size.id, await buildStack(size));
  const out: Scenario[] = [];
  for (const s of specs()) {
    const stack = stacks.get(s.size.id)!;
    const subjects = peers(stack);
    if (LOGGED_SCENARIOS.has(s.id)) subjects.splice(1, 0, ...decisionLogSubjects(s.size));
    let floor: string;
    if (s.kind === "preflight") {
      const answer = await stack.core(s.request);
      const status = answer.status;
      const record = headerRecord(answer);
      // A prebuilt Headers object is the fastest init form (Fetch copies its list); a record
      // goes through WebIDL record conversion and is shown as a reference line.
      const prebuilt = new Headers(record);
      const same = new Response(null, { status, headers: prebuilt });
      subjects.unshift(
        { id: "floor", run: () => new Response(null, { status, headers: prebuilt }) },
        { id: "floor-same", run: () => same },
        { id: "floor-record", run: () => new Response(null, { status, headers: record }) },
        { id: "floor-min", run: minimalAnswer(record, status) },
      );
      floor = `new Response(null, { status: ${status}, headers: PREBUILT }), PREBUILT a Headers object holding the ${Object.keys(record).length} headers the core answers`;
    } else {
      subjects.unshift({ id: "floor", run: appNext });
      floor = "bare app: the handler's fresh Response, no CORS";
    }
    out.push({
      id: s.id,
      label: s.label,
      kind: s.kind,
      size: s.size.id,
      request: s.request,
      subjects,
      floor,
    });
  }
  // itty's Router writes `query`, `params` and `route` onto the Request. Run it once on every
  // Request now, so that every subject sees the same (final) object shape while measured.
  for (const sc of out) {
    for (const sub of sc.subjects) if (sub.id.startsWith("itty")) await sub.run(sc.request);
  }
  return out;
}

/**
 * The least any conforming preflight handler does on this runtime: read Origin,
 * Access-Control-Request-Method and Access-Control-Request-Headers, build the answer from a
 * prebuilt Headers object, and write the one value that comes from the request (the Origin).
 * No decision at all: it bounds what the core can reach.
 */
function minimalAnswer(record: Record<string, string>, status: number): Handler {
  const reflect =
    record["access-control-allow-origin"] !== undefined &&
    record["access-control-allow-origin"] !== "*";
  const fixed = new Headers(record);
  if (reflect) fixed.delete("access-control-allow-origin");
  return (request) => {
    const h = request.headers;
    const origin = h.get("origin");
    h.get("access-control-request-method");
    h.get("access-control-request-headers");
    const response = new Response(null, { status, headers: fixed });
    if (reflect && origin !== null) response.headers.set("access-control-allow-origin", origin);
    return response;
  };
}

/** A one-line description of a response, to show what each subject actually answered. */
export function describe(response: Response): string {
  const acao = response.headers.get("access-control-allow-origin");
  return `${response.status}${acao === null ? "" : " ACAO"}`;
}
