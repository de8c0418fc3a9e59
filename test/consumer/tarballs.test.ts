/**
 * What each packed tarball holds: README, LICENSE and CHANGELOG; a manifest fit for the registry
 * (repository with directory, homepage, bugs, engines; no scripts, devDependencies or workspace:
 * ranges); exports and bins that exist and point at compiled JavaScript; source and declaration
 * maps beside every file, whose sources are in the tarball.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { consumerEnv, RELEASE_ORDER, ROOT, type Tarball, treeFiles } from "./harness.ts";

const REPO = "https://github.com/edge-cors/edge-cors";
const ALLOWED_TOP = new Set([
  "package.json",
  "README.md",
  "LICENSE",
  "CHANGELOG.md",
  "dist",
  "src",
  "bin",
]);

interface Manifest {
  name: string;
  version: string;
  license: string;
  repository: { type: string; url: string; directory: string };
  homepage: string;
  bugs: { url: string };
  engines: { node: string };
  exports: Record<string, { types: string; default: string }>;
  bin?: Record<string, string>;
  scripts?: unknown;
  devDependencies?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const { tarballs } = consumerEnv();
const manifestOf = (t: Tarball) =>
  JSON.parse(readFileSync(join(t.unpacked, "package.json"), "utf8")) as Manifest;

it("packs every package, and reports their sizes", () => {
  expect(tarballs.map((t) => t.dir)).toEqual(RELEASE_ORDER);
  const rows = tarballs.map(
    (t) =>
      `${t.name.padEnd(26)} ${String(t.packedBytes).padStart(8)} B packed ${String(t.unpackedBytes).padStart(9)} B unpacked ${String(t.files).padStart(4)} files`,
  );
  console.log(rows.join("\n"));
});

it("the release order puts every package after its @edge-cors dependencies", () => {
  const seen = new Set<string>();
  for (const t of tarballs) {
    const m = manifestOf(t);
    const internal = Object.keys({ ...m.dependencies, ...m.peerDependencies }).filter((d) =>
      d.startsWith("@edge-cors/"),
    );
    for (const dep of internal) expect([...seen], `${t.name} needs ${dep}`).toContain(dep);
    seen.add(t.name);
  }
});

describe.each(tarballs)("$name", (t) => {
  const files = treeFiles(t.unpacked);
  const m = manifestOf(t);

  it("has README.md, the LICENSE and a CHANGELOG, and nothing but dist/src/bin besides", () => {
    expect(readFileSync(join(t.unpacked, "LICENSE"), "utf8")).toBe(
      readFileSync(join(ROOT, "LICENSE"), "utf8"),
    );
    const readme = readFileSync(join(t.unpacked, "README.md"), "utf8");
    expect(readme.startsWith(`# ${t.name}\n`)).toBe(true);
    expect(readme).toMatch(/## Install/);
    expect(readme).toMatch(/## Example\n/);
    expect(readme).toMatch(/## Docs\n/);
    expect(readme).toContain(`${REPO}/blob/main/`);
    expect(readFileSync(join(t.unpacked, "CHANGELOG.md"), "utf8")).toContain(`## ${t.version}`);
    expect(files.filter((f) => !ALLOWED_TOP.has(f.split("/")[0]!))).toEqual([]);
    expect(files.filter((f) => /\.test\.|(^|\/)test\//.test(f))).toEqual([]);
  });

  it("has a registry-ready manifest", () => {
    expect(m.license).toBe("MIT");
    expect(m.repository).toEqual({
      type: "git",
      url: `git+${REPO}.git`,
      directory: `packages/${t.dir}`,
    });
    expect(m.homepage).toBe(`${REPO}#readme`);
    expect(m.bugs).toEqual({ url: `${REPO}/issues` });
    expect(m.engines.node).toBe(">=20");
    expect(m.scripts).toBeUndefined();
    expect(m.devDependencies).toBeUndefined();
    expect(JSON.stringify(m)).not.toContain("workspace:");
    for (const [dep, range] of Object.entries(m.dependencies ?? {})) {
      if (dep.startsWith("@edge-cors/")) expect(range).toBe(t.version);
    }
    // Every peer that only some entry points or only the types need is optional.
    for (const peer of Object.keys(m.peerDependencies ?? {})) {
      if (peer !== "hono") expect(m.peerDependenciesMeta?.[peer]?.optional).toBe(true);
    }
  });

  it("exports and bins point at compiled files that exist", () => {
    for (const [entry, target] of Object.entries(m.exports)) {
      expect(target.types, entry).toMatch(/^\.\/dist\/.*\.d\.ts$/);
      expect(target.default, entry).toMatch(/^\.\/dist\/.*\.js$/);
      expect(existsSync(join(t.unpacked, target.types)), target.types).toBe(true);
      expect(existsSync(join(t.unpacked, target.default)), target.default).toBe(true);
    }
    for (const target of Object.values(m.bin ?? {})) {
      const bin = readFileSync(join(t.unpacked, target), "utf8");
      expect(bin.startsWith("#!/usr/bin/env node\n")).toBe(true);
      // It loads compiled JavaScript only (no tsx, no .ts).
      const specifiers = [...bin.matchAll(/(?:from |import\()"([^"]+)"/g)].map((x) => x[1]);
      expect(specifiers.length).toBeGreaterThan(0);
      for (const s of specifiers) expect(s).toMatch(/^\.\.\/dist\/.*\.js$/);
    }
  });

  it("has a source map and a declaration map for every file, pointing into the tarball", () => {
    const js = files.filter((f) => f.startsWith("dist/") && f.endsWith(".js"));
    const dts = files.filter((f) => f.startsWith("dist/") && f.endsWith(".d.ts"));
    expect(js.length).toBeGreaterThan(0);
    for (const f of [...js, ...dts]) {
      expect(files, `${f}.map`).toContain(`${f}.map`);
      const map = JSON.parse(readFileSync(join(t.unpacked, `${f}.map`), "utf8")) as {
        sources: string[];
      };
      for (const source of map.sources) {
        const file = resolve(dirname(join(t.unpacked, f)), source);
        expect(existsSync(file), `${f}.map → ${source}`).toBe(true);
      }
      expect(readFileSync(join(t.unpacked, f), "utf8")).toContain(
        `//# sourceMappingURL=${f.split("/").pop()}.map`,
      );
    }
  });
});
