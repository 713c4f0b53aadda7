#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1:${JIRASYNC_PG_PORT:-54329} for the tests and
# prints the connection string to use as JIRASYNC_TEST_PG. Installs PostgreSQL with apt when it is
# missing and we are root. Idempotent: an already running test cluster is reused.
set -euo pipefail
port="${JIRASYNC_PG_PORT:-54329}"
dir="${JIRASYNC_PG_DIR:-/tmp/jirasync-test-pg}"
conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
bin="$(find_bin)"
if [ -z "$bin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing postgresql (apt-get)..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
    bin="$(find_bin)"
  fi
  [ -n "$bin" ] || { echo "PostgreSQL server binaries not found; install postgresql" >&2; exit 1; }
fi

if "$bin/pg_isready" -h 127.0.0.1 -p "$port" -q 2>/dev/null; then echo "$conn"; exit 0; fi

run_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
rm -rf "$dir"; mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
run_as "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
run_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
echo "$conn"
