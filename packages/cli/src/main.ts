/** Process entry: real streams, colour decision, exit code. Used by bin/edge-cors.js. */
import { wantsColor } from "./color.ts";
import { run } from "./program.ts";

export async function main(argv: string[]): Promise<number> {
  return run(argv, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    color: wantsColor(process.stdout.isTTY, process.env),
  });
}
