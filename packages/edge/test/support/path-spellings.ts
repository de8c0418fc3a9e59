/**
 * Spellings of request paths that some server may read as another path: the inputs of the
 * differential path tests. Random ones come from a seeded generator, so a failure names the
 * seed that replays it; crafted ones are the red team's and the classic bypasses.
 */

/** A small seeded PRNG (mulberry32): the same seed gives the same spellings everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

function pick<T>(rnd: Random, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

/** The logical paths spelled: on a route, at a route's edge, and off every route. */
export const TARGETS = ["/admin/users", "/admin", "/public/data", "/api/users", "/users"] as const;

/** What may stand between two segments; most of the time a plain `/`. */
const SEPARATORS = [
  "/",
  "/",
  "/",
  "/",
  "//",
  "%2f",
  "%2F",
  "\\",
  "%5c",
  "%252f",
  "/./",
  "/%2e/",
  "/x/../",
  "/x/%2e%2e/",
  "/x/..%2f",
  "/x/..;/",
  "/x/%252e%252e/",
  ";a=1/",
  "%00/",
] as const;

/** What may come before the first segment. */
const LEADS = [
  "/",
  "/",
  "/",
  "//",
  "/./",
  "/%2e/",
  "/api/../",
  "/api/..%2f",
  "/public/..%2f",
  "/admin/..;/",
  "/%2e%2e/",
] as const;

function hex(code: number, rnd: Random): string {
  const h = code.toString(16).padStart(2, "0");
  return rnd() < 0.5 ? h : h.toUpperCase();
}

/** One character, spelled plainly (mostly), %-encoded, double-encoded, or case-flipped. */
function spellChar(ch: string, rnd: Random): string {
  const r = rnd();
  if (r < 0.7) return ch;
  if (r < 0.82) return `%${hex(ch.charCodeAt(0), rnd)}`;
  if (r < 0.88) return `%25${hex(ch.charCodeAt(0), rnd)}`;
  return ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
}

function spellSegment(segment: string, rnd: Random): string {
  let out = "";
  for (const ch of segment) out += spellChar(ch, rnd);
  const r = rnd();
  if (r < 0.08) out += ";jsessionid=1";
  else if (r < 0.12) out += "%00";
  else if (r < 0.16) out += "/";
  return out;
}

/** A random spelling of `path` (which starts with `/`). */
export function spell(path: string, rnd: Random): string {
  const segments = path.slice(1).split("/");
  let out = pick(rnd, LEADS);
  segments.forEach((s, i) => {
    if (i > 0) out += pick(rnd, SEPARATORS);
    out += spellSegment(s, rnd);
  });
  return out;
}

/** `count` random spellings from `seed`, each with the target it spells. */
export function randomSpellings(count: number, seed: number): { target: string; path: string }[] {
  const rnd = seededRandom(seed);
  const out: { target: string; path: string }[] = [];
  for (let i = 0; i < count; i++) {
    const target = pick(rnd, TARGETS);
    out.push({ target, path: spell(target, rnd) });
  }
  return out;
}

/** The red team's spellings (issue 12, H1 and M3) and the classic ones. */
export const CRAFTED_SPELLINGS = [
  "/admin/users",
  "//admin/users",
  "/admin%2fusers",
  "/admin%2Fusers",
  "/%61dmin/users",
  "/%2561dmin/users",
  "/./admin/users",
  "/%2e/admin/users",
  "/ADMIN/users",
  "/Admin/Users",
  "/admin;x/users",
  "/admin;jsessionid=1/users",
  "/api/..%2fadmin/users",
  "/api/..%5cadmin/users",
  "/api/%2e%2e%2fadmin/users",
  "/api/..;/admin/users",
  "/api/%252e%252e%252fadmin/users",
  "/api/.%2e/admin/users",
  "/api/%c0%ae%c0%ae%c0%afadmin/users",
  "/admin%00/users",
  "/api%00/../admin/users",
  "/public/..%2fadmin/users",
  "/public/..%2f..%2fadmin/users",
  // All of the core's readings say /public (C servers stop at the NUL); Python's http.server
  // reads /public\0/data, off the route: only the layer's NUL refusal keeps this closed.
  "/public/..%2fpublic%00/data",
  "\\admin\\users",
  "/admin\\users",
  "/admin%5cusers",
  "/api/users",
  "/public/data",
] as const;

/**
 * Ways out of an upstream path prefix (red team M3), for `GET /<spelling>secret.txt` in front
 * of a server that decodes before it normalises: `refused` (400 from the layer) or `inside`
 * (a dot segment the layer's canonical form already removes: forwarded below the prefix).
 */
export const PREFIX_ESCAPES = [
  ["..%2f", "refused"],
  ["..%2F", "refused"],
  ["..%5c", "refused"],
  ["%2e%2e%2f", "refused"],
  ["%2E%2E%2F", "refused"],
  ["..;/", "refused"],
  ["%252e%252e%252f", "refused"],
  ["..%252f", "refused"],
  ["%2e%2e%5c", "refused"],
  ["a/..%2f..%2f", "refused"],
  ["..%00/", "refused"],
  ["x%00", "refused"],
  ["../", "inside"],
  ["./../", "inside"],
  ["..\\", "inside"],
  [".%2e/", "inside"],
  ["%2e%2e/", "inside"],
  // Overlong UTF-8 for "../": no dot segment to a modern decoder, but one to a lenient one
  // (IIS before MS00-078); refused since red team pass 3.
  ["%c0%ae%c0%ae%c0%af", "refused"],
  // Windows drops trailing spaces of a segment: `.. /` is `../` (red team pass 3).
  ["..%20/", "refused"],
  // Java's trim() per segment: `%09../` is `../` (red team pass 4).
  ["%09../", "refused"],
] as const;
