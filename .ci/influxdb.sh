# shellcheck shell=bash
# InfluxDB for the history tests and benchmarks. Sourced by .ci/run:
#   source .ci/influxdb.sh; influxdb_start; ...; influxdb_stop
# Debian's influxdb 1.6.7 is the only server installable here; its init script does not work in a
# container, so influxd is started directly with its own config: HTTP and backup/RPC ports moved
# off the defaults (8086/8088) to free ports on 127.0.0.1, data in a temporary folder, usage
# reporting off. influxdb_start exports WALLBOARD_TEST_INFLUXDB_URL, which the test fixture uses.

INFLUXDB_PID=""
INFLUXDB_DIR=""

influxdb_start() {
  command -v influxd >/dev/null 2>&1 || ci_apt_install influxdb influxdb || return 1

  local http_port backup_port
  http_port=$(ci_free_port) || return 1
  backup_port=$(ci_free_port) || return 1
  INFLUXDB_DIR=$(mktemp -d -t wallboard-influxdb.XXXXXX) || return 1
  cat >"$INFLUXDB_DIR/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:${backup_port}"
[meta]
  dir = "${INFLUXDB_DIR}/meta"
[data]
  dir = "${INFLUXDB_DIR}/data"
  wal-dir = "${INFLUXDB_DIR}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${http_port}"
  log-enabled = false
[continuous_queries]
  enabled = false
CONF

  influxd -config "$INFLUXDB_DIR/influxdb.conf" >"$INFLUXDB_DIR/influxd.log" 2>&1 &
  INFLUXDB_PID=$!

  local url="http://127.0.0.1:${http_port}"
  if ! ci_wait_ready influxdb "$INFLUXDB_PID" "$INFLUXDB_DIR/influxd.log" "answer on $url/ping" curl -fs -o /dev/null "$url/ping"; then
    influxdb_stop
    return 1
  fi

  export WALLBOARD_TEST_INFLUXDB_URL="$url"
  echo "influxdb: influxd (pid $INFLUXDB_PID) on $url" >&2
}

influxdb_stop() {
  ci_stop "$INFLUXDB_PID" "$INFLUXDB_DIR"
  INFLUXDB_PID=""
  INFLUXDB_DIR=""
  unset WALLBOARD_TEST_INFLUXDB_URL
}
