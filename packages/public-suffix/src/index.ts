/// <reference path="./tldts-trie.d.ts" />
/**
 * `@edge-cors/public-suffix`: the Public Suffix List (https://publicsuffix.org, ICANN and
 * private sections) as the check edge-cors runs on subdomain patterns, backed by tldts
 * (https://github.com/remusao/tldts), which tracks the list weekly.
 *
 * A pattern `https://*.X` admits every host under X. Strangers can own one of those hosts when
 * - X is itself a public suffix (`com.mx`, `github.io`, `s3.us-east-1.amazonaws.com`);
 * - a wildcard rule makes every child of X one (`*.r.appspot.com` makes `x.r.appspot.com`);
 * - a public suffix lies further below X (`amazonaws.com` holds `s3.us-east-1.amazonaws.com`,
 *   so `https://*.amazonaws.com` matches `https://attacker-bucket.s3.us-east-1.amazonaws.com`).
 *
 * The function has the shape of `@edge-cors/core`'s `PublicSuffixLookup`.
 *
 * @example
 * ```ts
 * import { createCors } from "@edge-cors/core";
 * import { publicSuffixes } from "@edge-cors/public-suffix";
 * const cors = createCors(policy, { publicSuffixes });
 * ```
 */
import { getPublicSuffix } from "tldts";
import {
  edgeChild,
  edgeLength,
  edgeStart,
  labelText,
  nodeFlags,
  rulesRoot,
} from "tldts/dist/es6/src/data/trie.js";

const WITH_PRIVATE = { allowPrivateDomains: true } as const;

/** A label no registry hands out, to ask what the children of a domain are. */
const PROBE_LABEL = "edge-cors-probe";

/** Where each edge's label starts in `labelText` (labels are stored in edge order). */
let labelOffsets: Uint32Array | null = null;

function labelOf(edge: number): string {
  if (labelOffsets === null) {
    labelOffsets = new Uint32Array(edgeLength.length);
    for (let e = 0, offset = 0; e < edgeLength.length; e++) {
      labelOffsets[e] = offset;
      offset += edgeLength[e]!;
    }
  }
  const start = labelOffsets[edge]!;
  return labelText.slice(start, start + edgeLength[edge]!);
}

/** The trie node reached by `domain`'s labels, right to left, without wildcards; -1 if none. */
function nodeOf(domain: string): number {
  let node = rulesRoot;
  const labels = domain.split(".");
  for (let i = labels.length - 1; i >= 0; i--) {
    let next = -1;
    for (let e = edgeStart[node]!; e < edgeStart[node + 1]!; e++) {
      if (labelOf(e) === labels[i]) {
        next = edgeChild[e]!;
        break;
      }
    }
    if (next < 0) return -1;
    node = next;
  }
  return node;
}

/** A rule strictly below `node` (as a domain name ending in `domain`), or null. */
function ruleBelow(node: number, domain: string, budget = { steps: 100_000 }): string | null {
  for (let e = edgeStart[node]!; e < edgeStart[node + 1]!; e++) {
    if (--budget.steps < 0) return null;
    const child = edgeChild[e]!;
    const name = `${labelOf(e)}.${domain}`;
    if ((nodeFlags[child]! & 3) !== 0) return name;
    const deeper = ruleBelow(child, name, budget);
    if (deeper !== null) return deeper;
  }
  return null;
}

/**
 * The public suffix at or below `domain` that lets strangers register names under it, or
 * `null` when every name under `domain` belongs to its owner. Input: a lower-case ASCII
 * (Punycode) domain, as in a validated origin.
 *
 * @example
 * publicSuffixes("com.mx") === "com.mx"
 * publicSuffixes("r.appspot.com") === "*.r.appspot.com"
 * publicSuffixes("amazonaws.com") // a suffix below it, e.g. "…s3.us-east-1.amazonaws.com"
 * publicSuffixes("example.com") === null
 */
export function publicSuffixes(domain: string): string | null {
  if (getPublicSuffix(domain, WITH_PRIVATE) === domain) return domain;
  const probe = `${PROBE_LABEL}.${domain}`;
  if (getPublicSuffix(probe, WITH_PRIVATE) === probe) return `*.${domain}`;
  const node = nodeOf(domain);
  return node < 0 ? null : ruleBelow(node, domain);
}
