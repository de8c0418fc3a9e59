/**
 * The crafted Origin values the audit sends, as one table: for each finding id, the origins
 * derived from an allowed origin (or sent once per audit) that a correct server refuses.
 * Registrable domains come from the Public Suffix List (tldts, private domains included).
 */
import { isSerializedOrigin } from "@edge-cors/browser";
import { getDomain } from "tldts";
import type { FindingId } from "./findings.ts";

/** Characters browsers have accepted in hosts (Safari sends them), tried after the host. */
export const SPECIAL_HOST_CHARS = ["_", "-", "}", "`", "!", "~"] as const;

/** Where an attacker's host would live (`.example` is reserved: it never resolves). */
const ATTACKER = "evil.example";

/** An allowed origin taken apart. */
export interface AllowedOrigin {
  origin: string;
  scheme: "http" | "https";
  host: string;
  /** `:8443`, or empty for the default port. */
  port: string;
  /** The registrable domain (`example.com` for `app.example.com`), null for IPs and `localhost`. */
  registrable: string | null;
}

export function parseAllowed(origin: string): AllowedOrigin {
  const u = new URL(origin);
  return {
    origin,
    scheme: u.protocol === "https:" ? "https" : "http",
    host: u.hostname,
    port: u.port === "" ? "" : `:${u.port}`,
    registrable: getDomain(u.hostname, { allowPrivateDomains: true }),
  };
}

interface Row {
  id: FindingId;
  /** Sent once per audit rather than once per allowed origin. */
  once?: true;
  craft(a: AllowedOrigin, token: string): string[];
}

const at = (a: AllowedOrigin, host: string, scheme = a.scheme) => `${scheme}://${host}${a.port}`;

export const CRAFTED_ORIGINS: readonly Row[] = [
  // An unrelated origin: granted only by a server that reflects Origin.
  {
    id: "origin-reflected",
    once: true,
    craft: (_a, t) => [`https://edge-cors-audit-${t}.example`],
  },
  { id: "null-origin-allowed", once: true, craft: () => ["null"] },
  // https://app.example.com.evil.example
  { id: "prefix-bypass", craft: (a) => [at(a, `${a.host}.${ATTACKER}`)] },
  // https://evilexample.com: a registrable name ending in the allowed registrable domain.
  {
    id: "suffix-bypass",
    craft: (a) => (a.registrable === null ? [] : [at(a, `evil${a.registrable}`)]),
  },
  // https://appxexample.com: the dot left of the registrable domain replaced, so the result
  // is itself registrable (replacing a dot further left stays under the allowed domain).
  {
    id: "unescaped-dot-bypass",
    craft: (a) => {
      if (a.registrable === null || a.registrable === a.host) return [];
      const left = a.host.slice(0, a.host.length - a.registrable.length - 1);
      return [at(a, `${left}x${a.registrable}`)];
    },
  },
  // https://app.example.com_.evil.example, one per character.
  {
    id: "special-char-bypass",
    craft: (a) => SPECIAL_HOST_CHARS.map((c) => at(a, `${a.host}${c}.${ATTACKER}`)),
  },
  {
    id: "http-origin-trusted",
    craft: (a) => (a.scheme === "https" ? [at(a, a.host, "http")] : []),
  },
  // https://<random>.app.example.com
  {
    id: "any-subdomain-trusted",
    craft: (a, t) => (a.registrable === null ? [] : [at(a, `edge-cors-audit-${t}.${a.host}`)]),
  },
];

export interface CraftedOrigin {
  id: FindingId;
  origin: string;
  /** The allowed origin it was derived from (null for the once-per-audit rows). */
  from: string | null;
}

/**
 * Every crafted origin for `allowed`, without duplicates, without the allowed origins
 * themselves, and only those a browser could send (serialized origins).
 */
export function craftOrigins(allowed: readonly string[], token: string): CraftedOrigin[] {
  const out: CraftedOrigin[] = [];
  const seen = new Set(allowed);
  const add = (id: FindingId, origin: string, from: string | null) => {
    if (seen.has(origin) || !isSerializedOrigin(origin)) return;
    seen.add(origin);
    out.push({ id, origin, from });
  };
  const parsed = allowed.map(parseAllowed);
  for (const row of CRAFTED_ORIGINS) {
    if (row.once) {
      const first = parsed[0];
      if (first !== undefined) for (const o of row.craft(first, token)) add(row.id, o, null);
      continue;
    }
    for (const a of parsed) for (const o of row.craft(a, token)) add(row.id, o, a.origin);
  }
  return out;
}
