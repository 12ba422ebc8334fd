#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the registry tests and print its URL.
# Data lives under /tmp; the server is reused if it already runs.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
DATA=/tmp/tasksheet-pg
PORT=${TASKSHEET_PG_PORT:-55432}
RUNAS=()
[ "$(id -u)" -eq 0 ] && RUNAS=(runuser -u postgres --)
if ! "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"; [ "$(id -u)" -eq 0 ] && chown postgres "$DATA"
    "${RUNAS[@]}" "$PGBIN/initdb" -D "$DATA" -A trust -U postgres >/dev/null
  fi
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
