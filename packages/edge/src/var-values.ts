/** Reading variable values: Cloudflare `[vars]` (strings, or TOML numbers) and `Deno.env` (strings). */

/** Unset: absent, null, or the empty string (an empty `[vars]` entry). */
export function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/** The number a variable holds: a number as is, a string trimmed and parsed; otherwise NaN. */
export function numberOf(value: unknown): number {
  if (typeof value === "number") return value;
  return typeof value === "string" ? Number(value.trim()) : Number.NaN;
}
