import { JSON_MODES } from "../../../../test/vectors/index.ts";
import { vectorSuite } from "../../../../test/vectors/suite.ts";
import { cors } from "../../src/index.ts";
import { runVector } from "../helpers/vector-app.ts";

// A middleware built from the policy, as an app would: `app.use("*", cors(policy))`.
vectorSuite("a Hono app (static policy)", (v, policy) => runVector(v, cors(policy)));

// The same policies from bindings: c.env.CORS_POLICY holds the JSON text.
const fromBindings = cors((c) => c.env.CORS_POLICY as string);
vectorSuite(
  "a Hono app (policy from bindings)",
  (v, policy) => runVector(v, fromBindings, { CORS_POLICY: JSON.stringify(policy) }),
  { modes: JSON_MODES },
);
