/** An audit report may be shared (tickets, CI logs): it never prints an Authorization value. */

export const REDACTED = "(redacted)";

const isSecret = (name: string) => name.toLowerCase() === "authorization";

export function redactRecord(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([n, v]) => [n, isSecret(n) ? REDACTED : v]),
  );
}

export function redactPairs(headers: Array<[string, string]>): Array<[string, string]> {
  return headers.map(([n, v]) => [n, isSecret(n) ? REDACTED : v]);
}
