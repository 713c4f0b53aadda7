#!/usr/bin/env bash
# Makes sure a C compiler is here for linking the Native AOT tap-jirasync (the SDK uses clang, else gcc): installs
# gcc with apt when neither is on the PATH and we are root, as scripts/test-postgres.sh does for PostgreSQL.
# Exits non-zero (with one line) when there is none and it cannot install one.
set -euo pipefail
if command -v clang >/dev/null || command -v gcc >/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing gcc for the Native AOT tap (apt-get)..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc >/dev/null) >&2
  command -v gcc >/dev/null && exit 0
fi
echo "no C compiler (clang or gcc) for the Native AOT tap-jirasync; install one (e.g. apt-get install gcc)" >&2
exit 1
