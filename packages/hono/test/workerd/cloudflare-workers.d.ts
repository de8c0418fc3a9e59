// The one export of the workerd-only module these tests use (the full types come from
// @cloudflare/workers-types, whose globals clash with the DOM lib the rest of the package uses).
declare module "cloudflare:workers" {
  export const exports: Record<string, unknown>;
}
