#!/usr/bin/env bash
# Makes sure headless Chromium is there for the HTML report tests (Debian's `chromium` package); installs it with
# apt when missing and we are root (CI runs as root on a clean machine). Prints the binary's path.
set -euo pipefail
find_bin() { for b in "${CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  [ -n "$b" ] && [ -x "$b" ] && { echo "$b"; return 0; }; done; return 1; }
if bin="$(find_bin)"; then echo "$bin"; exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing chromium (apt-get)..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) >&2
fi
find_bin || { echo "chromium not found; install Debian's chromium package" >&2; exit 1; }
