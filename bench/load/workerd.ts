/**
 * One Worker under load: a Miniflare 4 instance (its own workerd process) serving the bundle on
 * a direct workerd socket on 127.0.0.1, plus the workerd PID for RSS sampling.
 */
import { readdirSync, readFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import type { Bundle } from "./build.ts";

export interface Subject {
  name: string;
  mf: Miniflare;
  /** Direct socket: the request goes straight to the Worker (no Miniflare entry worker). */
  url: string;
  /** Miniflare's usual socket, through its entry worker (what dispatchFetch/`port` use). */
  entryUrl: string;
  pid: number;
}

/** PIDs of this process's `workerd` children. */
function workerdChildren(): Set<number> {
  const out = new Set<number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      // pid (comm) state ppid ...: comm may hold spaces, so parse after the last ')'.
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      if (ppid === process.pid && comm === "workerd") out.add(Number(d));
    } catch {
      // the process went away
    }
  }
  return out;
}

export async function startSubject(
  name: string,
  bundle: Bundle,
  compatibilityDate: string,
  bindings: Record<string, string>,
  kvNamespaces: string[] = [],
): Promise<Subject> {
  const before = workerdChildren();
  const mf = new Miniflare({
    name,
    modules: true,
    scriptPath: bundle.script,
    modulesRoot: bundle.dir,
    compatibilityDate,
    bindings,
    kvNamespaces,
    host: "127.0.0.1",
    port: 0,
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  });
  const entry = await mf.ready;
  const direct = await mf.unsafeGetDirectURL(name);
  const fresh = [...workerdChildren()].filter((p) => !before.has(p));
  if (fresh.length !== 1) {
    await mf.dispose();
    throw new Error(`expected one new workerd process for ${name}, found ${fresh.length}`);
  }
  return {
    name,
    mf,
    url: direct.origin,
    entryUrl: entry.origin,
    pid: fresh[0] as number,
  };
}

/** VmRSS of `pid` in KiB. */
export function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]);
}
