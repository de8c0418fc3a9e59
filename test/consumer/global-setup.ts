/**
 * Once per run: build every package, pack it with pnpm (the same packing `pnpm publish` and
 * `changeset publish` do), start a Verdaccio on 127.0.0.1, publish the tarballs to it with npm,
 * and hand the registry to the tests. Teardown stops Verdaccio and removes every temporary file.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import type { TestProject } from "vitest/node";
import {
  type ConsumerEnv,
  mustRun,
  RELEASE_ORDER,
  ROOT,
  type Server,
  serve,
  type Tarball,
  treeBytes,
  treeFiles,
  userEnv,
} from "./harness.ts";

const REGISTRY_SERVER = fileURLToPath(new URL("./registry-server.mjs", import.meta.url));
const RELEASE_SCRIPT = join(ROOT, "scripts", "release.mjs");

export default async function setup(project: TestProject) {
  const work = mkdtempSync(join(tmpdir(), "edge-cors-consumer-"));
  let registry: Server | undefined;
  const teardown = async () => {
    await registry?.stop();
    if (!process.env.EDGE_CORS_CONSUMER_KEEP) rmSync(work, { recursive: true, force: true });
  };
  try {
    const pnpm = { cwd: ROOT, env: userEnv(), timeoutMs: 300_000 };
    await mustRun("pnpm", ["run", "build"], pnpm);
    const packed = join(work, "tarballs");
    await mustRun(
      "pnpm",
      ["-r", "--filter", "./packages/*", "pack", "--pack-destination", packed],
      pnpm,
    );
    const tarballs = await unpackAll(packed, join(work, "unpacked"));

    registry = await startRegistry(join(work, "registry"));
    const publishRc = await registryUser(registry.url, join(work, "publish.npmrc"));
    const npmrc = join(work, "install.npmrc");
    writeFileSync(npmrc, `registry=${registry.url}/\n`);
    // The release itself (docs/release.md), aimed at the local registry.
    await mustRun(
      process.execPath,
      [RELEASE_SCRIPT, "--registry", `${registry.url}/`, "--no-git-checks"],
      { ...pnpm, env: userEnv({ npm_config_userconfig: publishRc }) },
    );
    await samePublished(registry.url, tarballs, join(work, "published"));
    const env: ConsumerEnv = {
      registry: `${registry.url}/`,
      work,
      npmrc,
      npmCache: join(work, "npm-cache"),
      tarballs,
    };
    project.provide("consumer", env);
  } catch (e) {
    await teardown();
    throw e;
  }
  return teardown;
}

/** Extracts each tarball (system tar) and measures it. */
async function unpackAll(packedDir: string, into: string): Promise<Tarball[]> {
  const byName = new Map<string, string>();
  for (const dir of readdirSync(join(ROOT, "packages"))) {
    const m = JSON.parse(readFileSync(join(ROOT, "packages", dir, "package.json"), "utf8")) as {
      name: string;
    };
    byName.set(m.name, dir);
  }
  const out: Tarball[] = [];
  for (const [name, dir] of byName) {
    const m = JSON.parse(readFileSync(join(ROOT, "packages", dir, "package.json"), "utf8")) as {
      version: string;
    };
    const file = join(packedDir, `${name.slice(1).replace("/", "-")}-${m.version}.tgz`);
    const dest = join(into, dir);
    mkdirSync(dest, { recursive: true });
    await mustRun("tar", ["-xzf", file, "-C", dest], { cwd: into });
    const unpacked = join(dest, "package");
    out.push({
      dir,
      name,
      version: m.version,
      file,
      unpacked,
      packedBytes: readFileSync(file).length,
      unpackedBytes: treeBytes(unpacked),
      files: treeFiles(unpacked).length,
    });
  }
  return sortForRelease(out);
}

function sortForRelease(tarballs: Tarball[]): Tarball[] {
  const rank = (t: Tarball) => {
    const i = RELEASE_ORDER.indexOf(t.dir);
    return i < 0 ? RELEASE_ORDER.length : i;
  };
  return tarballs.sort((a, b) => rank(a) - rank(b));
}

/**
 * What the release published is what `pnpm pack` gave (and the tests inspect): the same files
 * with the same bytes, and the same manifest (as JSON: pnpm writes dependencies in the order its
 * parallel lookups finish, so key order may differ between two packs).
 */
async function samePublished(registry: string, tarballs: Tarball[], into: string): Promise<void> {
  mkdirSync(into, { recursive: true });
  for (const t of tarballs) {
    const res = await fetch(`${registry}/${t.name.replace("/", "%2f")}`);
    const doc = (await res.json()) as { versions?: Record<string, { dist: { tarball: string } }> };
    const url = doc.versions?.[t.version]?.dist.tarball;
    if (url === undefined) throw new Error(`${t.name}@${t.version} was not published`);
    const file = join(into, `${t.dir}.tgz`);
    writeFileSync(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
    const dest = join(into, t.dir);
    mkdirSync(dest, { recursive: true });
    await mustRun("tar", ["-xzf", file, "-C", dest], { cwd: into });
    const published = join(dest, "package");
    const files = treeFiles(t.unpacked);
    const same =
      isDeepStrictEqual(treeFiles(published), files) &&
      files.every((f) => {
        const [a, b] = [readFileSync(join(t.unpacked, f)), readFileSync(join(published, f))];
        return f === "package.json"
          ? isDeepStrictEqual(JSON.parse(String(a)), JSON.parse(String(b)))
          : a.equals(b);
      });
    if (!same)
      throw new Error(`${t.name}@${t.version}: the published tarball differs from the packed one`);
  }
}

/**
 * Verdaccio with its storage in `dir`: @edge-cors/* only from what is published here (never
 * proxied, so nothing from the public registry can stand in for a tarball under test), every
 * other package proxied from the registry npm is configured with.
 */
async function startRegistry(dir: string): Promise<Server> {
  mkdirSync(dir, { recursive: true });
  const uplink = (
    await mustRun("npm", ["config", "get", "registry"], { cwd: dir, env: userEnv() })
  ).stdout.trim();
  const config = {
    storage: join(dir, "storage"),
    auth: { htpasswd: { file: join(dir, "htpasswd"), max_users: 1 } },
    uplinks: { upstream: { url: uplink, timeout: "60s", max_fails: 4 } },
    packages: {
      "@edge-cors/*": { access: "$all", publish: "$authenticated" },
      "**": { access: "$all", publish: "$authenticated", proxy: "upstream" },
    },
    web: { enable: false },
    log: { type: "stdout", format: "json", level: "error" },
  };
  // JSON is YAML: Verdaccio reads it as its config file.
  const file = join(dir, "config.yaml");
  writeFileSync(file, JSON.stringify(config, null, 2));
  return serve(process.execPath, [REGISTRY_SERVER, file], { cwd: dir, timeoutMs: 60_000 });
}

/** Creates the registry's one user (CouchDB-style login, as `npm adduser` does) → its npmrc. */
async function registryUser(url: string, npmrc: string): Promise<string> {
  const res = await fetch(`${url}/-/user/org.couchdb.user:release-test`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "release-test", password: "release-test-password" }),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || body.token === undefined) {
    throw new Error(`registry refused the user: ${res.status} ${JSON.stringify(body)}`);
  }
  const host = url.replace(/^http:/, "");
  writeFileSync(npmrc, `registry=${url}/\n${host}/:_authToken=${body.token}\n`);
  return npmrc;
}
