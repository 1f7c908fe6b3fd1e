# shellcheck shell=bash
# PostgreSQL for the cluster tests and the PostgreSQL history store (docs/cluster.md). Sourced by .ci/run:
#   source .ci/postgresql.sh; postgresql_start; ...; postgresql_stop
# Debian's PostgreSQL 15: a new cluster made with initdb as user postgres in a temporary folder
# (Debian's own clusters and their systemd units are not used), listening on a free port of
# 127.0.0.1 only, local connections trusted. postgresql_start exports WALLBOARD_TEST_POSTGRESQL
# (an Npgsql connection string to the server's postgres database); each test makes a database of its own.

POSTGRESQL_PID=""
POSTGRESQL_DIR=""

postgresql_bin() {
  local bin
  for bin in /usr/lib/postgresql/*/bin; do
    [ -x "$bin/initdb" ] && { echo "$bin"; return 0; }
  done
  return 1
}

postgresql_start() {
  postgresql_bin >/dev/null || ci_apt_install postgresql postgresql || return 1
  local bin port as_postgres=()
  bin=$(postgresql_bin) || return 1
  port=$(ci_free_port) || return 1
  POSTGRESQL_DIR=$(mktemp -d -t wallboard-postgresql.XXXXXX) || return 1
  # initdb refuses to run as root: the cluster belongs to the postgres user Debian's package makes.
  [ "$(id -u)" -eq 0 ] && { chown postgres "$POSTGRESQL_DIR"; as_postgres=(runuser -u postgres --); }
  if ! "${as_postgres[@]}" "$bin/initdb" -D "$POSTGRESQL_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$POSTGRESQL_DIR/initdb.log" 2>&1; then
    echo "postgresql: initdb failed:" >&2
    cat "$POSTGRESQL_DIR/initdb.log" >&2
    return 1
  fi

  "${as_postgres[@]}" "$bin/postgres" -D "$POSTGRESQL_DIR/data" -p "$port" -k "$POSTGRESQL_DIR" \
    -c listen_addresses=127.0.0.1 -c max_connections=300 >"$POSTGRESQL_DIR/postgres.log" 2>&1 &
  POSTGRESQL_PID=$!

  if ! ci_wait_ready postgresql "$POSTGRESQL_PID" "$POSTGRESQL_DIR/postgres.log" "connections on 127.0.0.1:${port}" \
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    postgresql_stop
    return 1
  fi

  export WALLBOARD_TEST_POSTGRESQL="Host=127.0.0.1;Port=${port};Username=postgres;Database=postgres"
  echo "postgresql: postgres (pid $POSTGRESQL_PID) on 127.0.0.1:${port}" >&2
}

postgresql_stop() {
  ci_stop "$POSTGRESQL_PID" "$POSTGRESQL_DIR"
  POSTGRESQL_PID=""
  POSTGRESQL_DIR=""
  unset WALLBOARD_TEST_POSTGRESQL
}
