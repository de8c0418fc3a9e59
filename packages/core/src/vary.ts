/**
 * Merge `names` (already comma-joined, canonical case) into an existing `Vary` value:
 * case-insensitive, never duplicated, `*` left alone. Returns the new value, or `null`
 * when nothing changes.
 */
export function mergeVary(
  existing: string | null,
  names: readonly string[],
  joined: string,
): string | null {
  if (existing === null || existing === "") return joined;
  if (existing === joined) return null;
  const have = existing.toLowerCase();
  // Fast path for `*`; RFC 9110 §12.5.5: a Vary of `*` already varies on everything.
  if (have.trim() === "*") return null;
  const present = new Set<string>();
  let start = 0;
  for (let i = 0; i <= have.length; i++) {
    if (i === have.length || have.charCodeAt(i) === 44 /* , */) {
      const token = have.slice(start, i).trim();
      if (token === "*") return null;
      if (token) present.add(token);
      start = i + 1;
    }
  }
  let out = existing;
  for (const name of names) {
    if (!present.has(name.toLowerCase())) out += `, ${name}`;
  }
  return out === existing ? null : out;
}
