/**
 * One Worker on bare workerd (no Miniflare): the same binary Miniflare spawns, with a minimal
 * generated config: the bundle, its text bindings, one HTTP socket on 127.0.0.1, outbound
 * fetches allowed to loopback. Used for the memory run (see report.ts for why).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { basename, dirname, join } from "node:path";
import type { Bundle } from "./build.ts";

const fromMiniflare = createRequire(createRequire(import.meta.url).resolve("miniflare"));

/** The workerd binary Miniflare uses, and its version. */
export function workerdBinary(): { path: string; version: string } {
  const m = fromMiniflare("workerd") as { default?: string } | string;
  const path = typeof m === "string" ? m : (m.default as string);
  const version = (fromMiniflare("workerd/package.json") as { version: string }).version;
  return { path, version };
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? ok(a.port) : fail(new Error("no port"))));
    });
  });
}

export interface DirectWorker {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startDirect(
  bundle: Bundle,
  compatibilityDate: string,
  bindings: Record<string, string>,
): Promise<DirectWorker> {
  const port = await freePort();
  const binds = Object.entries(bindings)
    .map(([k, v]) => `(name = ${JSON.stringify(k)}, text = ${JSON.stringify(v)})`)
    .join(", ");
  const config = join(dirname(bundle.dir), `${basename(bundle.dir)}.capnp`);
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "index.js", esModule = embed ${JSON.stringify(join(basename(bundle.dir), basename(bundle.script)))})],
  compatibilityDate = ${JSON.stringify(compatibilityDate)},
  bindings = [${binds}],
);
`,
  );
  const child: ChildProcess = spawn(workerdBinary().path, ["serve", config], {
    cwd: dirname(config),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d;
  });
  const exited = new Promise<void>((ok) => child.once("exit", () => ok()));
  const url = `http://127.0.0.1:${port}`;
  // Ready when the socket answers (bounded: 10 s).
  for (let i = 0; ; i++) {
    try {
      await (await fetch(`${url}/`, { method: "HEAD" })).arrayBuffer();
      break;
    } catch {
      if (i >= 100 || child.exitCode !== null) {
        child.kill("SIGKILL");
        throw new Error(`workerd did not start:\n${err}`);
      }
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  return {
    url,
    pid: child.pid as number,
    stop: async () => {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
