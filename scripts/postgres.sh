#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server and STAFFPATH_DATABASE_URL pointing at it.
# Installs Debian's postgresql package if it is missing (as root); the server lives in a
# temporary folder, listens on a Unix socket only, and is removed when the command ends.
# Usage: scripts/postgres.sh COMMAND [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "scripts/postgres.sh: PostgreSQL is missing; install Debian's postgresql package" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

dir=$(mktemp -d /tmp/staffpath-pg.XXXXXX)
run_as() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
cleanup() { run_as "'$bin/pg_ctl' -D '$dir/data' -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT

run_as "'$bin/initdb' -D '$dir/data' -A trust -U staffpath --no-sync" >/dev/null
run_as "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-k '$dir' -c listen_addresses='' -c fsync=off\" start" >/dev/null
run_as "'$bin/createdb' -h '$dir' -U staffpath staffpath"

export STAFFPATH_DATABASE_URL="postgresql+psycopg://staffpath@/staffpath?host=$dir"
"$@"
