/**
 * Helper processes the WebKit session needs (Xvfb, WebKitWebDriver): started in their own
 * process group, waited for with bounded loops, stopped by their PID (group) and nothing else.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import type { Readable } from "node:stream";

export interface Helper {
  pid: number;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM to the child's process group, SIGKILL after `graceMs`. */
function stopGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.pid === undefined || exited(child)) return Promise.resolve();
  const pid = child.pid;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // the group is gone
    }
  };
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal("SIGKILL");
      resolve();
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    signal("SIGTERM");
  });
}

/** Keeps the last lines a helper printed, for the error when it fails to start. */
function tail(stream: Readable | null, lines: string[]): void {
  stream?.setEncoding("utf8");
  stream?.on("data", (chunk: string) => {
    lines.push(...chunk.split("\n").filter((l) => l.trim() !== ""));
    lines.splice(0, Math.max(0, lines.length - 20));
  });
}

/**
 * Starts Xvfb on the first free display (`-displayfd` writes its number to fd 3), no TCP.
 * Returns the DISPLAY value, e.g. ":99".
 */
export async function startXvfb(
  xvfb: string,
  timeoutMs = 15_000,
): Promise<Helper & { display: string }> {
  const output: string[] = [];
  const child = spawn(
    xvfb,
    ["-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
    {
      detached: true,
      stdio: ["ignore", "ignore", "pipe", "pipe"],
    },
  );
  tail(child.stderr, output);
  const fd3 = child.stdio[3] as Readable;
  const display = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Xvfb gave no display within ${timeoutMs} ms`)),
      timeoutMs,
    );
    let text = "";
    fd3.setEncoding("utf8");
    fd3.on("data", (chunk: string) => {
      text += chunk;
      if (text.includes("\n")) {
        clearTimeout(timer);
        resolve(`:${text.trim()}`);
      }
    });
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${code}: ${output.join(" | ")}`));
    });
  }).catch(async (e: unknown) => {
    await stopGroup(child);
    throw e;
  });
  return { pid: child.pid!, display, stop: () => stopGroup(child) };
}

/** A port that was free a moment ago (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts WebKitWebDriver on 127.0.0.1:<free port> with `display`, and waits until it listens. */
export async function startWebKitDriver(
  driver: string,
  display: string,
  timeoutMs = 15_000,
): Promise<Helper & { url: string }> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(driver, [`--port=${port}`, "--host=local"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DISPLAY: display },
  });
  tail(child.stdout, output);
  tail(child.stderr, output);
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (exited(child) || Date.now() > deadline) {
      await stopGroup(child);
      throw new Error(
        `WebKitWebDriver did not listen on port ${port} within ${timeoutMs} ms: ${output.join(" | ")}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: child.pid!, url: `http://127.0.0.1:${port}`, stop: () => stopGroup(child) };
}
