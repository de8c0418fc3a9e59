import type { PolicyIssue } from "./errors.ts";
import { parseMaxAge } from "./max-age.ts";
import { compileNames, type NameSet } from "./names.ts";
import { compileOrigins, type OriginMatcher } from "./origins.ts";
import type { CorsPolicy, Decision } from "./policy.ts";
import { compilePath, type PathPattern } from "./routes.ts";

/** One compiled policy (the top level, or one route merged over it): every header value precomputed. */
export interface Plan {
  route: string | null;
  origins: OriginMatcher;
  credentials: boolean;
  methods: NameSet;
  headers: NameSet;
  expose: NameSet;
  maxAge: number | undefined;
  privateNetwork: boolean;
  /** Static Access-Control-Allow-Methods, or null (omitted, or echoed when `echoMethod`). */
  acam: string | null;
  echoMethod: boolean;
  /** Static Access-Control-Allow-Headers, or null (omitted, or echoed when `echoHeaders`). */
  acah: string | null;
  echoHeaders: boolean;
  aceh: string | null;
  acma: string | null;
  /** Does any response header depend on the request's Origin? False only for `"*"`. */
  varyOrigin: boolean;
  varyPreflight: string;
  varyPreflightList: string[];
}

/** The whole compiled policy. */
export interface CompiledPolicy {
  base: Plan;
  routes: Array<{ pattern: PathPattern; plan: Plan }>;
  mode: "enforce" | "report";
  debug: boolean;
  onDecision: ((d: Decision) => void) | null;
}

const TOP_KEYS = new Set([
  "allowOrigins",
  "allowCredentials",
  "allowMethods",
  "allowHeaders",
  "exposeHeaders",
  "allowPrivateNetwork",
  "maxAge",
  "routes",
  "mode",
  "onDecision",
  "debug",
  "$schema",
  "description",
]);
const ROUTE_KEYS = new Set(
  [...TOP_KEYS, "path"].filter((k) => k !== "routes" && k !== "mode" && k !== "onDecision"),
);

/** Options of hono/cors and express/cors people write by habit, and what they are called here. */
const RENAMED: Record<string, string> = {
  origin: "allowOrigins",
  origins: "allowOrigins",
  allowOrigin: "allowOrigins",
  allowedOrigins: "allowOrigins",
  credentials: "allowCredentials",
  methods: "allowMethods",
  allowedHeaders: "allowHeaders",
  exposedHeaders: "exposeHeaders",
  maxAgeSeconds: "maxAge",
};

function checkKeys(
  obj: Record<string, unknown>,
  allowed: Set<string>,
  prefix: string,
  errors: PolicyIssue[],
) {
  for (const key of Object.keys(obj)) {
    if (allowed.has(key)) continue;
    const hint = RENAMED[key] ? ` — did you mean "${RENAMED[key]}"?` : "";
    errors.push({ path: prefix + key, message: `unknown option${hint}` });
  }
}

function checkBoolean(
  obj: Record<string, unknown>,
  key: string,
  prefix: string,
  errors: PolicyIssue[],
) {
  const v = obj[key];
  if (v !== undefined && typeof v !== "boolean")
    errors.push({ path: prefix + key, message: "must be true or false" });
  return v === true;
}

function compilePlan(
  p: Record<string, unknown>,
  prefix: string,
  route: string | null,
  errors: PolicyIssue[],
  warnings: PolicyIssue[],
): Plan {
  const credentials = checkBoolean(p, "allowCredentials", prefix, errors);
  const privateNetwork = checkBoolean(p, "allowPrivateNetwork", prefix, errors);
  const origins = compileOrigins(
    p.allowOrigins,
    credentials,
    `${prefix}allowOrigins`,
    errors,
    warnings,
  );
  if (credentials && p.allowOrigins === "*") {
    errors.push({
      path: `${prefix}allowCredentials`,
      message: 'cannot be true while allowOrigins is "*"',
    });
  }
  const methods = compileNames(
    "allowMethods",
    p.allowMethods,
    credentials,
    `${prefix}allowMethods`,
    errors,
    warnings,
  );
  const headers = compileNames(
    "allowHeaders",
    p.allowHeaders,
    credentials,
    `${prefix}allowHeaders`,
    errors,
    warnings,
  );
  const expose = compileNames(
    "exposeHeaders",
    p.exposeHeaders,
    credentials,
    `${prefix}exposeHeaders`,
    errors,
    warnings,
  );
  const maxAge = parseMaxAge(p.maxAge, `${prefix}maxAge`, errors, warnings);

  // With credentials a browser reads `*` literally (Fetch §CORS-preflight fetch), so a
  // wildcard grant is answered with the validated method / names the preflight asked for.
  const echoMethod = methods.any && credentials;
  const echoHeaders = headers.any && credentials;
  const acam = methods.any
    ? credentials
      ? null
      : "*"
    : methods.list.length
      ? methods.list.join(", ")
      : null;
  const acah = headers.any
    ? credentials
      ? null
      : headers.names.has("authorization")
        ? "*, authorization"
        : "*"
    : headers.list.length
      ? headers.list.join(", ")
      : null;
  const aceh = expose.any ? "*" : expose.list.length ? expose.list.join(", ") : null;
  const varyOrigin = !origins.any;
  const varyPreflightList = [
    ...(varyOrigin ? ["Origin"] : []),
    "Access-Control-Request-Method",
    "Access-Control-Request-Headers",
    ...(privateNetwork ? ["Access-Control-Request-Private-Network"] : []),
  ];
  return {
    route,
    origins,
    credentials,
    methods,
    headers,
    expose,
    maxAge,
    privateNetwork,
    acam,
    echoMethod,
    acah,
    echoHeaders,
    aceh,
    acma: maxAge === undefined ? null : String(maxAge),
    varyOrigin,
    varyPreflight: varyPreflightList.join(", "),
    varyPreflightList,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Validate and compile a policy. Never throws: returns every error and warning, and a
 * compiled policy that must only be used when `errors` is empty.
 */
export function compilePolicy(policy: CorsPolicy | unknown): {
  compiled: CompiledPolicy;
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
} {
  const errors: PolicyIssue[] = [];
  const warnings: PolicyIssue[] = [];
  const p: Record<string, unknown> = isObject(policy) ? policy : {};
  if (!isObject(policy)) errors.push({ path: "", message: "a policy must be an object" });
  checkKeys(p, TOP_KEYS, "", errors);
  const base = compilePlan(p, "", null, errors, warnings);
  const mode = p.mode ?? "enforce";
  if (mode !== "enforce" && mode !== "report") {
    errors.push({ path: "mode", message: 'must be "enforce" or "report"' });
  }
  if (p.onDecision !== undefined && typeof p.onDecision !== "function") {
    errors.push({ path: "onDecision", message: "must be a function" });
  }
  const debug = checkBoolean(p, "debug", "", errors);

  const routes: CompiledPolicy["routes"] = [];
  if (p.routes !== undefined && !Array.isArray(p.routes)) {
    errors.push({ path: "routes", message: "must be a list of { path, …overrides }" });
  } else if (Array.isArray(p.routes)) {
    const topErrors = new Set(errors.map((e) => `${e.path}\n${e.message}`));
    const topWarnings = new Set(warnings.map((e) => `${e.path}\n${e.message}`));
    p.routes.forEach((r: unknown, i) => {
      const prefix = `routes[${i}].`;
      if (!isObject(r)) {
        errors.push({ path: `routes[${i}]`, message: "must be an object { path, …overrides }" });
        return;
      }
      checkKeys(r, ROUTE_KEYS, prefix, errors);
      const pattern = compilePath(r.path, `${prefix}path`, errors);
      const merged: Record<string, unknown> = { ...p, ...r };
      // A route that sets allowOrigins without allowCredentials, on a credentialed base, keeps
      // credentials; one that opens allowOrigins to "*" must say allowCredentials: false.
      const routeErrors: PolicyIssue[] = [];
      const routeWarnings: PolicyIssue[] = [];
      const plan = compilePlan(merged, "", String(r.path), routeErrors, routeWarnings);
      // Report what the route itself causes; problems inherited unchanged are reported once, at the top.
      for (const e of routeErrors) {
        if (!topErrors.has(`${e.path}\n${e.message}`))
          errors.push({ path: prefix + e.path, message: e.message });
      }
      for (const w of routeWarnings) {
        if (!topWarnings.has(`${w.path}\n${w.message}`))
          warnings.push({ path: prefix + w.path, message: w.message });
      }
      if (pattern) routes.push({ pattern, plan });
    });
  }
  return {
    compiled: {
      base,
      routes,
      mode: mode === "report" ? "report" : "enforce",
      debug,
      onDecision:
        typeof p.onDecision === "function" ? (p.onDecision as CompiledPolicy["onDecision"]) : null,
    },
    errors,
    warnings,
  };
}

/** Validate a policy without compiling it for use: every error and warning, with paths. */
export function validatePolicy(policy: unknown): {
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
} {
  const { errors, warnings } = compilePolicy(policy);
  return { errors, warnings };
}
