#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on 127.0.0.1 and stops it afterwards.
# The command sees APIKEYS_TEST_PG_CONN=postgres://apikeys@127.0.0.1:<port>/apikeys_test?sslmode=disable
# (tests of Terraform's pg backend use it). Uses the server binaries under /usr/lib/postgresql/*/bin;
# in CI (CI=true, as root) installs Debian's postgresql package when they are missing. Elsewhere,
# without them, it runs the command without a server (the pg tests skip, saying so).
# PostgreSQL refuses to run as root, so as root the server runs as the postgres user.
set -euo pipefail

# A server the caller already provides is used as it is.
if [ -n "${APIKEYS_TEST_PG_CONN:-}" ]; then exec "$@"; fi

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true; }
bin="$(find_bin)"
if [ -z "$bin" ]; then
  if [ "${CI:-}" = "true" ] && [ "$(id -u)" = "0" ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
    bin="$(find_bin)"
  fi
  if [ -z "$bin" ]; then
    # Outside CI the pg backend tests then skip, saying so; in CI they fail without a server.
    echo "with-postgres: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql); running without one" >&2
    exec "$@"
  fi
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/apikeys-pg.XXXXXX")"
as_server_user=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$work"
  as_server_user=(runuser -u postgres --)
fi
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"

# Server commands run from the scratch directory: the postgres user may not be allowed into the caller's.
server() { (cd "$work" && "${as_server_user[@]}" "$@"); }

stop() {
  server "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT

server "$bin/initdb" -D "$work/data" -A trust -U apikeys --no-sync >/dev/null
server "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $work -c fsync=off -c max_connections=200" start >/dev/null
"$bin/createdb" -h 127.0.0.1 -p "$port" -U apikeys apikeys_test

export APIKEYS_TEST_PG_CONN="postgres://apikeys@127.0.0.1:$port/apikeys_test?sslmode=disable"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
