/**
 * `report --policy FILE --accept ORIGIN…`: the policy with the origins a person chose added to
 * `allowOrigins` (or a route's, with `--route`), validated by the core. It adds exactly the
 * origins given, never one from the log on its own (an attacker's origin is logged too), never
 * `*`; whatever the validator refuses (`null`, a pattern on a public suffix with credentials,
 * a malformed origin) is reported and nothing is proposed. The log's refusals of the accepted
 * origins are then replayed through the new policy, to show any that it still refuses.
 */
import { loadCors, type PolicyIssue, validatePolicy } from "@edge-cors/core";
import { publicSuffixes } from "@edge-cors/public-suffix";
import { CliError } from "../io.ts";
import type { ReadRecord } from "./read-logs.ts";

/** The `accept` part of `report --json` with `--accept`. */
export interface AcceptJson {
  /** The policy with the origins added; `null` when the validator refuses it. */
  policy: unknown;
  /** Where each origin went, and how often the log shows it refused. */
  added: Array<{ origin: string; to: string; refusedInLog: number }>;
  /** Origins the target list already holds (not added twice). */
  alreadyListed: string[];
  /** Accepted origins the log never shows refused (typo, or not seen yet). */
  notInLog: string[];
  /** Logged refusals (origin-not-allowed) that the new policy still refuses, e.g. on a route. */
  stillRefused: Array<{ origin: string; path: string; route: string | null; reason: string }>;
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The list to add to: top level, or the route whose `path` is `route`. */
function target(policy: Json, route: string | undefined): { holder: Json; to: string } {
  if (route === undefined) return { holder: policy, to: "allowOrigins" };
  const routes = Array.isArray(policy.routes) ? policy.routes : [];
  const i = routes.findIndex((r) => isObject(r) && r.path === route);
  if (i < 0) {
    const known = routes.flatMap((r) =>
      isObject(r) && typeof r.path === "string" ? [r.path] : [],
    );
    throw new CliError(
      "invalid-input",
      `--route ${route}: the policy has no such route (routes: ${known.join(", ") || "none"})`,
    );
  }
  const holder = routes[i] as Json;
  if (holder.allowOrigins === undefined) {
    throw new CliError(
      "invalid-input",
      `--route ${route}: the route inherits allowOrigins from the top level; accept without --route`,
    );
  }
  return { holder, to: `routes[${i}].allowOrigins` };
}

/** Logged refusals of `origins` (origin-not-allowed) that `policy` still refuses, by path. */
async function stillRefused(
  policy: unknown,
  origins: Set<string>,
  records: readonly ReadRecord[],
): Promise<AcceptJson["stillRefused"]> {
  const loaded = loadCors(policy, { publicSuffixes });
  if (!loaded.ok) return [];
  const out: AcceptJson["stillRefused"] = [];
  const tried = new Set<string>();
  for (const r of records) {
    if (r.type !== "decision") continue;
    const { origin, path, refusal } = r.record;
    if (origin === null || !origins.has(origin) || refusal !== "origin-not-allowed") continue;
    const key = `${origin}\n${path}`;
    if (tried.has(key)) continue;
    tried.add(key);
    let request: Request;
    try {
      request = new Request(`https://edge-cors.invalid${path.startsWith("/") ? path : "/"}`, {
        headers: { origin },
      });
    } catch {
      continue;
    }
    const d = await loaded.cors.explain(request);
    if (!d.allowed) out.push({ origin, path, route: d.route, reason: d.reason });
  }
  return out;
}

export async function acceptOrigins(
  policy: unknown,
  origins: readonly string[],
  records: readonly ReadRecord[],
  route?: string,
): Promise<AcceptJson> {
  for (const o of origins) {
    if (o.trim() === "*") {
      throw new CliError(
        "usage",
        '--accept "*": report adds origins one by one; allowing every origin is a decision to write into the policy yourself (and never with credentials)',
      );
    }
  }
  if (!isObject(policy)) throw new CliError("invalid-input", "the policy is not a JSON object");
  const proposed = structuredClone(policy);
  const { holder, to } = target(proposed, route);
  if (holder.allowOrigins === "*") {
    throw new CliError("invalid-input", `${to} is already "*": every origin is allowed`);
  }
  const list: unknown[] = Array.isArray(holder.allowOrigins) ? [...holder.allowOrigins] : [];
  const refusedCount = new Map<string, number>();
  for (const r of records) {
    if (r.type === "decision" && !r.record.allowed && r.record.origin !== null)
      refusedCount.set(r.record.origin, (refusedCount.get(r.record.origin) ?? 0) + 1);
  }
  const result: AcceptJson = {
    policy: null,
    added: [],
    alreadyListed: [],
    notInLog: [],
    stillRefused: [],
    errors: [],
    warnings: [],
  };
  for (const origin of new Set(origins)) {
    if (!refusedCount.has(origin)) result.notInLog.push(origin);
    if (list.includes(origin)) {
      result.alreadyListed.push(origin);
      continue;
    }
    list.push(origin);
    result.added.push({ origin, to, refusedInLog: refusedCount.get(origin) ?? 0 });
  }
  holder.allowOrigins = list;
  const { errors, warnings } = validatePolicy(proposed, { publicSuffixes });
  result.errors = errors;
  result.warnings = warnings;
  if (errors.length > 0) return result;
  result.policy = proposed;
  result.stillRefused = await stillRefused(proposed, new Set(origins), records);
  return result;
}
