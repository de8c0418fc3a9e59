/**
 * Builds the deployable Lambda@Edge artefact from a policy file (see `@edge-cors/aws/build`):
 *   node --import tsx workers/lambda-edge/build.ts --policy cors.json --out dist/lambda-edge
 *     [--decision-log refused|all|off] [--decision-log-rate 100]
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { buildLambdaEdge, type DecisionLogLevel } from "@edge-cors/aws/build";
import { CorsConfigError } from "@edge-cors/core";

export { buildLambdaEdge, loadPolicy } from "@edge-cors/aws/build";

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      policy: { type: "string" },
      out: { type: "string", default: "dist/lambda-edge" },
      "decision-log": { type: "string" },
      "decision-log-rate": { type: "string" },
    },
  });
  if (values.policy === undefined) {
    console.error("usage: build.ts --policy cors.json [--out dist/lambda-edge]");
    return 2;
  }
  try {
    const r = await buildLambdaEdge({
      policyPath: values.policy,
      outDir: values.out!,
      decisionLog: values["decision-log"] as DecisionLogLevel | undefined,
      decisionLogRate:
        values["decision-log-rate"] === undefined ? undefined : Number(values["decision-log-rate"]),
    });
    for (const w of r.warnings) console.warn(`warning: ${w.path || "(policy)"}: ${w.message}`);
    console.log(
      `${r.zipPath}: ${r.bytes} bytes zipped (index.js ${r.jsBytes} bytes), handler index.handler`,
    );
    return 0;
  } catch (e) {
    if (e instanceof CorsConfigError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
