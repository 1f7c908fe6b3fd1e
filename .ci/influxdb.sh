# shellcheck shell=bash
# InfluxDB for the history tests and benchmarks. Sourced by .ci/run:
#   source .ci/influxdb.sh; influxdb_start; ...; influxdb_stop
# Debian's influxdb 1.6.7 is the only server installable here; its init script does not work in a
# container, so influxd is started directly with its own config: HTTP and backup/RPC ports moved
# off the defaults (8086/8088) to free ports on 127.0.0.1, data in a temporary folder, usage
# reporting off. influxdb_start exports WALLBOARD_TEST_INFLUXDB_URL, which the test fixture uses.

INFLUXDB_PID=""
INFLUXDB_DIR=""

_influxdb_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

influxdb_start() {
  if ! command -v influxd >/dev/null 2>&1; then
    echo "influxdb: installing Debian's influxdb" >&2
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq influxdb; } >/dev/null; then
      echo "influxdb: apt-get install influxdb failed" >&2
      return 1
    fi
  fi

  local http_port backup_port
  http_port=$(_influxdb_free_port) || return 1
  backup_port=$(_influxdb_free_port) || return 1
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

  local url="http://127.0.0.1:${http_port}" waited=0
  until curl -fs -o /dev/null "$url/ping"; do
    if ! kill -0 "$INFLUXDB_PID" 2>/dev/null; then
      echo "influxdb: influxd exited; its log:" >&2
      cat "$INFLUXDB_DIR/influxd.log" >&2
      INFLUXDB_PID=""
      return 1
    fi
    if [ "$waited" -ge 300 ]; then
      echo "influxdb: no answer on $url/ping after 30 s" >&2
      influxdb_stop
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done

  export WALLBOARD_TEST_INFLUXDB_URL="$url"
  echo "influxdb: influxd (pid $INFLUXDB_PID) on $url" >&2
}

influxdb_stop() {
  if [ -n "$INFLUXDB_PID" ]; then
    kill "$INFLUXDB_PID" 2>/dev/null
    wait "$INFLUXDB_PID" 2>/dev/null
    INFLUXDB_PID=""
  fi
  if [ -n "$INFLUXDB_DIR" ]; then
    rm -rf "$INFLUXDB_DIR"
    INFLUXDB_DIR=""
  fi
  unset WALLBOARD_TEST_INFLUXDB_URL
}
