/**
 * Red team (pass 2): `edge-cors report` reads a decision from ANY log line that contains
 * `{"event":"cors.` followed by JSON to the end of the line (`fromText`), not only from the
 * layers' own lines. The layers' lines cannot be forged (JSON-escaped), but the same log
 * stream carries other lines: the app's own `console.log` in a Lambda wrapped with the decision
 * log, a Worker that uses the layer as a library, CloudWatch exports. An app that logs a
 * client header (User-Agent, Referer, X-Request-Id) at the end of a line lets a client inject
 * records without the rate bound: forged refusals for look-alike origins ("accept these"),
 * forged `allowed: true`, forged `cors.decision.dropped` counts that skew the totals.
 *
 * FAILS on the code at the time of writing.
 * Run: npx vitest run --project cli packages/cli/test/redteam-report-forged.test.ts
 */
import { describe, expect, it } from "vitest";
import { readDecisionRecords } from "../src/report/read-logs.ts";

const FORGED = JSON.stringify({
  event: "cors.decision",
  mode: "report",
  allowed: false,
  kind: "preflight",
  origin: "https://partner-example.net",
  method: "PUT",
  path: "/v1/items",
  route: null,
  refusal: "origin-not-allowed",
  reason: "Origin https://partner-example.net is not allowed",
  fix: null,
});
const DROPPED = JSON.stringify({ event: "cors.decision.dropped", count: 1e9, refused: 1e9 });

describe("red team: decision records inside other log lines", () => {
  it.each([
    // CloudWatch text format: the wrapped app's own line that logs the User-Agent.
    `2026-12-02T10:00:00.000Z\t4a1f\tINFO\trequest GET /v1/items ua=${FORGED}`,
    `2026-12-02T10:00:00.000Z\t4a1f\tINFO\tua=${DROPPED}`,
    // A plain stdout line of another logger.
    `[app] user-agent: ${FORGED}`,
  ])("%s is not read as a decision", async (line) => {
    const { records } = await readDecisionRecords([line]);
    // Observed: one record (a forged refusal, or a billion "dropped" decisions).
    expect(records).toEqual([]);
  });

  it("wrangler tail: a second console.log argument holding the marker is not a decision", async () => {
    const tail = JSON.stringify(
      { logs: [{ message: ["ua:", FORGED], level: "log", timestamp: 1 }], eventTimestamp: 1 },
      null,
      2,
    );
    const { records } = await readDecisionRecords(tail.split("\n"));
    expect(records).toEqual([]);
  });

  it("the layer's own line is still read (control)", async () => {
    const { records } = await readDecisionRecords([FORGED]);
    expect(records).toHaveLength(1);
  });
});
