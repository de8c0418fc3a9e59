#!/usr/bin/env bash
# Makes sure the three engines the browser suite (test/browser) runs are installed from Debian
# packages: Chromium (`chromium`), Firefox (`firefox-esr`, driven over WebDriver BiDi, no
# geckodriver) and WebKit (WebKitGTK MiniBrowser through `WebKitWebDriver`, under Xvfb).
# Installs whatever is missing with apt-get (root or passwordless sudo, non-interactive).
# Fails loudly, never silently: the browser suite must not pass without its browsers.
#   ensure-browsers.sh                 all three engines
#   ensure-browsers.sh chromium        only what `pnpm screenshot` needs
set -euo pipefail

engines=("$@")
[ ${#engines[@]} -eq 0 ] && engines=(chromium firefox webkit)

minibrowser() {
  local f
  for f in /usr/lib/*/webkit2gtk-4.1/MiniBrowser /usr/libexec/webkit2gtk-4.1/MiniBrowser; do
    [ -x "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}

# engine → Debian packages, and the check that it is usable.
packages_for() {
  case "$1" in
    chromium) echo "chromium" ;;
    firefox) echo "firefox-esr" ;;
    webkit) echo "webkit2gtk-driver xvfb xauth" ;;
    *) echo "ensure-browsers: FAILED: unknown engine '$1' (chromium, firefox, webkit)" >&2; exit 2 ;;
  esac
}
present() {
  case "$1" in
    chromium) command -v chromium >/dev/null 2>&1 ;;
    firefox) command -v firefox-esr >/dev/null 2>&1 || command -v firefox >/dev/null 2>&1 ;;
    webkit) command -v WebKitWebDriver >/dev/null 2>&1 && command -v Xvfb >/dev/null 2>&1 &&
      command -v xauth >/dev/null 2>&1 && minibrowser >/dev/null ;;
  esac
}
describe() {
  case "$1" in
    chromium) echo "$(command -v chromium) ($(chromium --version 2>/dev/null | head -n1))" ;;
    firefox) local ff; ff="$(command -v firefox-esr || command -v firefox)"
      echo "$ff ($("$ff" --version 2>/dev/null | head -n1))" ;;
    webkit) echo "$(command -v WebKitWebDriver), $(minibrowser), $(command -v Xvfb)" ;;
  esac
}

missing=()
for e in "${engines[@]}"; do
  packages_for "$e" >/dev/null
  if present "$e"; then
    echo "ensure-browsers: $e: $(describe "$e")"
  else
    missing+=("$e")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

pkgs=()
for e in "${missing[@]}"; do read -r -a p <<<"$(packages_for "$e")"; pkgs+=("${p[@]}"); done
echo "ensure-browsers: missing ${missing[*]}; installing the Debian packages: ${pkgs[*]}" >&2
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "ensure-browsers: FAILED: ${missing[*]} missing and this user cannot install packages" >&2
  echo "ensure-browsers: run as root: apt-get update && apt-get install -y ${pkgs[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-browsers: FAILED: ${missing[*]} missing and apt-get is not available on this machine" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update || ! $SUDO apt-get install -y "${pkgs[@]}"; then
  echo "ensure-browsers: FAILED: apt-get could not install ${pkgs[*]}" >&2
  exit 1
fi

for e in "${missing[@]}"; do
  if ! present "$e"; then
    echo "ensure-browsers: FAILED: apt-get finished but $e is still not usable (packages: $(packages_for "$e"))" >&2
    exit 1
  fi
  echo "ensure-browsers: installed $e: $(describe "$e")"
done
