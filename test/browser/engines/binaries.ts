/**
 * Finds what each engine needs on this machine (the Debian packages scripts/ensure-browsers.sh
 * installs), or throws one loud, actionable error: the suite never passes without a browser.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import type { Engine } from "@edge-cors/browser";

const INSTALL =
  "run `bash scripts/ensure-browsers.sh` (as root: apt-get install -y chromium firefox-esr webkit2gtk-driver xvfb xauth) or `pnpm test:browser`, which runs it first";

/** `command -v name`, or null. */
export function onPath(name: string): string | null {
  try {
    const path = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    return path === "" ? null : path;
  } catch {
    return null;
  }
}

function need(what: string, envVar: string, found: string | null): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${envVar}=${fromEnv}: no such file (${what})`);
    return fromEnv;
  }
  if (found !== null) return found;
  throw new Error(
    `${what} not found. The browser suite needs it: ${INSTALL}. ${envVar}=/path overrides it.`,
  );
}

/** MiniBrowser ships inside libwebkit2gtk, under the multiarch library directory. */
function miniBrowser(): string | null {
  for (const lib of ["/usr/lib", "/usr/libexec"]) {
    if (!existsSync(lib)) continue;
    for (const dir of readdirSync(lib)) {
      for (const api of ["webkit2gtk-4.1", "webkit2gtk-4.0", "webkitgtk-6.0"]) {
        const path = `${lib}/${dir}/${api}/MiniBrowser`;
        if (existsSync(path)) return path;
      }
    }
  }
  return null;
}

export interface WebKitBinaries {
  driver: string;
  miniBrowser: string;
  xvfb: string;
}

export const findChromium = () =>
  need("Chromium (Debian package chromium)", "CHROMIUM_PATH", onPath("chromium"));

export const findFirefox = () =>
  need(
    "Firefox (Debian package firefox-esr)",
    "FIREFOX_PATH",
    onPath("firefox-esr") ?? onPath("firefox"),
  );

export function findWebKit(): WebKitBinaries {
  return {
    driver: need(
      "WebKitWebDriver (Debian package webkit2gtk-driver)",
      "WEBKIT_WEBDRIVER",
      onPath("WebKitWebDriver"),
    ),
    miniBrowser: need(
      "MiniBrowser (Debian package libwebkit2gtk-4.1-0, pulled in by webkit2gtk-driver)",
      "WEBKIT_MINIBROWSER",
      miniBrowser(),
    ),
    xvfb: need("Xvfb (Debian packages xvfb xauth)", "XVFB_PATH", onPath("Xvfb")),
  };
}

/** Fails fast, before any server starts, when an engine cannot run here. */
export function checkBinaries(engine: Engine): void {
  if (engine === "chromium") findChromium();
  else if (engine === "firefox") findFirefox();
  else findWebKit();
}
