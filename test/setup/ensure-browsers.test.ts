/**
 * scripts/ensure-browsers.sh decides what to install and fails loudly. It runs here with a PATH
 * of stand-in commands (`id`, `apt-get`, the browsers), so no test ever installs a package or
 * needs root: apt-get itself cannot be exercised without changing the machine.
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const SCRIPT = resolve(import.meta.dirname, "../../scripts/ensure-browsers.sh");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A PATH directory holding only `head` and the given stand-ins (name → shell body). */
function fakePath(tools: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ensure-browsers-"));
  dirs.push(dir);
  const write = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  write("head", 'exec /usr/bin/head "$@"');
  for (const [name, body] of Object.entries(tools)) write(name, body.replaceAll("$DIR", dir));
  return dir;
}

function run(path: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(
      "/bin/bash",
      [SCRIPT, ...args],
      { env: { PATH: path }, timeout: 10_000 },
      (e, out, err) =>
        done({ code: e === null ? 0 : typeof e.code === "number" ? e.code : -1, out, err }),
    );
  });
}

const ROOT = { id: "echo 0" };
const CHROMIUM = 'echo "Chromium 156.0 (stand-in)"';

describe("ensure-browsers.sh", () => {
  it("reports an engine that is present and installs nothing", async () => {
    const path = fakePath({ ...ROOT, chromium: CHROMIUM, "apt-get": "exit 99" });
    const r = await run(path, ["chromium"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`ensure-browsers: chromium: ${path}/chromium (Chromium 156.0 (stand-in))\n`);
  });

  it("installs a missing engine with apt-get update + install -y", async () => {
    // The stand-in apt-get records its calls and "installs" chromium.
    const aptGet = `echo "$@" >> "$DIR/apt.log"; [ "$1" = install ] && printf '#!/bin/sh\\necho Chromium 156\\n' > "$DIR/chromium" && chmod +x "$DIR/chromium"; exit 0`;
    const path = fakePath({ ...ROOT, "apt-get": aptGet });
    const r = await run(path, ["chromium"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("installing the Debian packages: chromium");
    expect(r.out).toContain("ensure-browsers: installed chromium");
    expect(readFileSync(join(path, "apt.log"), "utf8")).toBe("update\ninstall -y chromium\n");
  });

  it.each<[string, Record<string, string>, string]>([
    [
      "not root and no passwordless sudo",
      { id: "echo 1000" },
      "FAILED: chromium missing and this user cannot install packages",
    ],
    ["no apt-get", ROOT, "FAILED: chromium missing and apt-get is not available"],
    [
      "apt-get fails",
      { ...ROOT, "apt-get": "exit 100" },
      "FAILED: apt-get could not install chromium",
    ],
    [
      "apt-get succeeds but the browser is still missing",
      { ...ROOT, "apt-get": "exit 0" },
      "FAILED: apt-get finished but chromium is still not usable",
    ],
  ])("fails loudly (exit 1) when %s", async (_what, tools, message) => {
    const r = await run(fakePath(tools), ["chromium"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`ensure-browsers: ${message}`);
  });

  it("names the packages of every missing engine in one apt-get call", async () => {
    const path = fakePath({ ...ROOT, "apt-get": "exit 100" });
    const r = await run(path, ["chromium", "firefox"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      "missing chromium firefox; installing the Debian packages: chromium firefox-esr",
    );
  });

  it("refuses an unknown engine (exit 2)", async () => {
    const r = await run(fakePath(ROOT), ["safari"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown engine 'safari' (chromium, firefox, webkit)");
  });
});
