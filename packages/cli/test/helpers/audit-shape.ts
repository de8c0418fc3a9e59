/** The documented `audit --json` shape (docs/cli.md), for shapeErrors. */
import type { Shape } from "./shape.ts";

const str = "string" as const;
const num = "number" as const;
const bool = "boolean" as const;
const pairs: Shape = { array: { tuple: [str, str] } };
const ISSUE: Shape = { object: { code: str, path: str, message: str } };

const COUNTS: Shape = { object: { high: num, medium: num, low: num, info: num } };

const EVIDENCE_STEP: Shape = {
  object: {
    kind: str,
    request: { object: { method: str, url: str, headers: { record: str }, credentials: bool } },
    response: { union: [{ object: { status: num, headers: pairs } }, "null"] },
  },
};

const FINDING: Shape = {
  object: {
    id: str,
    severity: str,
    title: str,
    why: str,
    evidence: {
      object: {
        origin: { union: [str, "null"] },
        credentialed: bool,
        steps: { array: EVIDENCE_STEP },
        alsoGranted: { array: str },
      },
    },
    fix: str,
  },
};

const PASS = {
  url: str,
  requests: num,
  counts: COUNTS,
  findings: { array: FINDING },
};

export const AUDIT_JSON: Shape = {
  object: {
    command: str,
    ok: bool,
    ...PASS,
    allow: { array: str },
    request: { object: { method: str, headers: pairs, credentials: bool } },
    fix: {
      object: { policy: "any", errors: { array: ISSUE }, warnings: { array: ISSUE } },
    },
    verify: { object: { ...PASS, upstream: str } },
  },
  optional: ["fix", "verify"],
};
