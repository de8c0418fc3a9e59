/** The documented `report --json` shape (docs/cli.md), for shapeErrors. */
import type { Shape } from "./shape.ts";

const str = "string" as const;
const num = "number" as const;
const nullable = (s: Shape): Shape => ({ union: [s, "null"] });
const seen = { firstSeen: nullable(str), lastSeen: nullable(str) };
const ISSUE: Shape = { object: { code: str, path: str, message: str } };

export const ACCEPT_JSON: Shape = {
  object: {
    policy: "any",
    added: { array: { object: { origin: str, to: str, refusedInLog: num } } },
    alreadyListed: { array: str },
    notInLog: { array: str },
    stillRefused: {
      array: { object: { origin: str, path: str, route: nullable(str), reason: str } },
    },
    errors: { array: ISSUE },
    warnings: { array: ISSUE },
  },
};

export const REPORT_JSON: Shape = {
  object: {
    command: str,
    source: str,
    total: num,
    refused: num,
    allowed: num,
    dropped: { object: { count: num, refused: num } },
    input: { object: { lines: num, skipped: num } },
    byOrigin: {
      array: {
        object: {
          origin: nullable(str),
          count: num,
          reasons: { array: str },
          routes: { array: nullable(str) },
          ...seen,
        },
      },
    },
    byReason: {
      array: {
        object: {
          reason: str,
          count: num,
          origins: num,
          example: { object: { origin: nullable(str), reason: str, fix: nullable(str) } },
          ...seen,
        },
      },
    },
    byRoute: {
      array: {
        object: {
          route: nullable(str),
          count: num,
          origins: num,
          reasons: { array: str },
          ...seen,
        },
      },
    },
    accept: ACCEPT_JSON,
  },
  optional: ["accept"],
};
