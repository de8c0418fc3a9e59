/** Runs the CLI in-process (fast, for snapshots) or as a real subprocess (end to end). */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "../../src/index.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const BIN = fileURLToPath(new URL("../../bin/dev.js", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

export async function runCli(args: string[], color = false): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    color,
  });
  return { code, stdout, stderr };
}

/** The real bin under Node, as `pnpm exec edge-cors` runs it; killed after 20 s. `input` is piped to its stdin. */
export function spawnCli(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: FIXTURES,
        timeout: 20_000,
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", ...env },
      },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === "number" ? err.code : null;
        if (code === null) reject(err);
        else resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Replaces the ephemeral port so human output can be snapshotted. */
export function stablePorts(text: string): string {
  return text.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT");
}

/** Removes ANSI SGR sequences (ESC [ n m). */
export function stripAnsi(text: string): string {
  return text
    .split("\u001b[")
    .map((part, i) => (i === 0 ? part : part.replace(/^\d+m/, "")))
    .join("");
}

/**
 * A policy file with a JSON syntax error (a trailing comma at line 3, column 26), written to a
 * fresh temporary directory: the repository keeps no invalid JSON (the formatter parses it).
 */
export function brokenJsonFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "edge-cors-cli-"));
  const file = join(dir, "syntax-error.json");
  writeFileSync(
    file,
    '{\n  "allowOrigins": ["https://app.example.com"],\n  "allowMethods": ["PUT",]\n}\n',
  );
  return file;
}
