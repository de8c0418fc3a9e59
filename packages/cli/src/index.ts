/** @edge-cors/cli as a library: run the CLI in-process, and the documented `--json` shapes. */
export { type AuditJson, type AuditPass, audit } from "./commands/audit.ts";
export { type BundleJson, bundle } from "./commands/bundle.ts";
export { type CheckJson, check } from "./commands/check.ts";
export { EXPLAIN_BASE, type ExplainJson, explain } from "./commands/explain.ts";
export { type ProbeJson, probe } from "./commands/probe.ts";
export { type ReportCommandJson, report } from "./commands/report.ts";
export {
  CliError,
  type CliErrorCode,
  EXIT_OK,
  EXIT_PROBLEMS,
  EXIT_USAGE,
  type Io,
} from "./io.ts";
export { type ErrorJson, run } from "./program.ts";
export type { AcceptJson } from "./report/accept.ts";
export type { ReportJson } from "./report/summarize.ts";
export { VERSION } from "./version.ts";
