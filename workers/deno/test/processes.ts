/**
 * Test plumbing for the black-box tests: free 127.0.0.1 ports, a bounded upstream, and the
 * edge layer as a real `deno` subprocess (killed by the real binary's PID).
 */

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return port;
}

/** 50 kB of compressible text. */
export const BIG_BODY = "0123456789abcdef".repeat(3200);

export interface SeenRequest {
  method: string;
  url: string;
  headers: Headers;
}

export interface Upstream {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * An upstream on 127.0.0.1 that records every request and answers at most `budget` of them
 * (then 599). `/slow` answers after `slowMs`, `/big` with BIG_BODY; everything else echoes
 * method and path.
 */
export function startUpstream(budget = 50, slowMs = 3000): Upstream {
  const seen: SeenRequest[] = [];
  /** Sleeping `/slow` handlers, woken early by `close()` so shutdown never waits on them. */
  const sleeping = new Map<ReturnType<typeof setTimeout>, () => void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    if (seen.length > budget)
      return new Response("upstream request budget exceeded", { status: 599 });
    const path = new URL(req.url).pathname;
    if (path === "/slow") {
      await new Promise<void>((resolve) => {
        const id = setTimeout(() => {
          sleeping.delete(id);
          resolve();
        }, slowMs);
        sleeping.set(id, resolve);
      });
    }
    if (path === "/big") {
      // Compressible and large: Deno.serve gzips it for a client that accepts gzip.
      return new Response(BIG_BODY, { headers: { "content-type": "text/plain" } });
    }
    return new Response(`upstream saw ${req.method} ${path}`, {
      headers: { "content-type": "text/plain", "x-upstream": "1", etag: '"v1"' },
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    seen,
    async close() {
      for (const [id, wake] of sleeping) {
        clearTimeout(id);
        wake();
      }
      sleeping.clear();
      await server.shutdown();
    },
  };
}

export interface Layer {
  origin: string;
  output(): string;
  /** Standard output alone (the decision log's stream). */
  stdout(): string;
  stop(): Promise<Deno.CommandStatus>;
}

/** Variables the child inherits from the test runner; everything else is explicit. */
const PASS_ENV = ["HOME", "PATH", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"];

/** The repository root and this worker's directory, as file-system paths. */
export const REPO_ROOT = new URL("../../../", import.meta.url).pathname;
export const WORKER_DIR = new URL("../", import.meta.url).pathname;

/** The child's environment: exactly `env`, plus what Deno needs to find its cache. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = { NO_COLOR: "1" };
  for (const k of PASS_ENV) {
    const v = Deno.env.get(k);
    if (v !== undefined) base[k] = v;
  }
  return { ...base, ...env };
}

/**
 * Starts `deno <args>` in `cwd` with exactly `env` (see `childEnv`), waits until `port`
 * accepts connections (bounded), and returns a handle that stops it by PID.
 */
export async function startLayer(
  args: string[],
  port: number,
  env: Record<string, string>,
  cwd = REPO_ROOT,
  readyMs = 20_000,
): Promise<Layer> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env: childEnv(env),
    clearEnv: true,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  let stdout = "";
  const drain = (s: ReadableStream<Uint8Array>, isStdout: boolean) =>
    s.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({
        write(chunk) {
          if (out.length < 100_000) out += chunk;
          if (isStdout && stdout.length < 100_000) stdout += chunk;
        },
      }),
    );
  const drained = Promise.all([drain(child.stdout, true), drain(child.stderr, false)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const stop = async () => {
    if (!exited) {
      try {
        // child.pid is the real deno binary: Deno.execPath(), no shim in between.
        Deno.kill(child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    }
    const s = await status;
    await drained;
    return s;
  };
  const deadline = Date.now() + readyMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`deno ${args.join(" ")} exited before listening:\n${out}`);
    }
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `deno ${args.join(" ")} did not listen on ${port} within ${readyMs} ms:\n${out}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { origin: `http://127.0.0.1:${port}`, output: () => out, stdout: () => stdout, stop };
}
