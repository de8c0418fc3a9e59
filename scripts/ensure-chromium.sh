#!/usr/bin/env bash
# Makes sure a Debian `chromium` is on PATH for the browser suite (test/browser) and
# `pnpm screenshot`. Installs it with apt-get when missing (needs root, non-interactive).
# Fails loudly, never silently: the browser suite must not pass without a browser.
set -euo pipefail

found() { command -v chromium >/dev/null 2>&1; }

if found; then
  echo "ensure-chromium: $(command -v chromium) ($(chromium --version 2>/dev/null | head -n1))"
  exit 0
fi

echo "ensure-chromium: chromium not found on PATH; installing the Debian package" >&2
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "ensure-chromium: FAILED: chromium is missing and this user cannot install packages" >&2
  echo "ensure-chromium: run as root: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: FAILED: chromium is missing and apt-get is not available on this machine" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y chromium

if ! found; then
  echo "ensure-chromium: FAILED: apt-get finished but chromium is still not on PATH" >&2
  exit 1
fi
echo "ensure-chromium: installed $(command -v chromium) ($(chromium --version 2>/dev/null | head -n1))"
