#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1 for the tests (once; later calls reuse it) and prints its URL.
# Runs the server as the `postgres` user when called as root, since PostgreSQL refuses to run as root.
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pgbin" ]; then
  echo "PostgreSQL is not installed (Debian: apt-get install postgresql)" >&2
  exit 1
fi
dir=${YIWANG_PG_DIR:-/tmp/yiwang-test-pg}
port=${YIWANG_PG_PORT:-55432}
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if ! "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_owner "$pgbin/initdb" -D "$dir/data" -U yiwang --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
fi
echo "postgresql://yiwang@127.0.0.1:$port/postgres"
