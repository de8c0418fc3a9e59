/** One problem found in a policy: where it is, and what to change. */
export interface PolicyIssue {
  /** Path into the policy, e.g. `allowOrigins[2]` or `routes[0].maxAge`. */
  path: string;
  message: string;
}

/**
 * Thrown by `createCors` when a policy is invalid or insecure. `issues` lists every
 * problem found, not just the first; `warnings` the accepted-but-suspicious ones.
 */
export class CorsConfigError extends Error {
  override readonly name = "CorsConfigError";
  readonly issues: readonly PolicyIssue[];
  readonly warnings: readonly PolicyIssue[];

  constructor(issues: readonly PolicyIssue[], warnings: readonly PolicyIssue[] = []) {
    const n = issues.length;
    super(
      `Invalid CORS policy (${n} problem${n === 1 ? "" : "s"}):\n` +
        issues.map((i) => `  - ${i.path || "(policy)"}: ${i.message}`).join("\n"),
    );
    this.issues = issues;
    this.warnings = warnings;
  }
}
