import { defineProject } from "vitest/config";

// Lambda and Lambda@Edge code runs on Node: this project runs in Node, with AWS-shaped JSON events.
export default defineProject({
  test: { name: "aws", include: ["test/**/*.test.ts"] },
});
