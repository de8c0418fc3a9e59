import { defineProject } from "vitest/config";

// Builds the Lambda@Edge zip, unpacks it and runs the bundled handler in Node.
export default defineProject({
  test: { name: "aws-lambda-edge", include: ["test/**/*.test.ts"], testTimeout: 30_000 },
});
