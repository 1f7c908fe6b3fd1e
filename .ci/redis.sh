# shellcheck shell=bash
# Redis for the cluster tests (docs/cluster.md). Sourced by .ci/run:
#   source .ci/redis.sh; redis_start; ...; redis_stop
# Debian's redis-server 7.0 started directly (its systemd unit does not run in a container) on a free
# port of 127.0.0.1, its data in a temporary folder, with the append-only file fsynced at every write:
# the durability docs/cluster.md asks of a production Redis. redis_start exports
# WALLBOARD_TEST_REDIS (host:port), which the test fixture uses; the test that restarts Redis starts
# a private one of its own.

REDIS_PID=""
REDIS_DIR=""

redis_start() {
  command -v redis-server >/dev/null 2>&1 || ci_apt_install redis redis-server || return 1

  local port
  port=$(ci_free_port) || return 1
  REDIS_DIR=$(mktemp -d -t wallboard-redis.XXXXXX) || return 1
  redis-server --bind 127.0.0.1 --port "$port" --dir "$REDIS_DIR" --appendonly yes --appendfsync always \
    --save "" --daemonize no --protected-mode yes >"$REDIS_DIR/redis.log" 2>&1 &
  REDIS_PID=$!

  if ! ci_wait_ready redis "$REDIS_PID" "$REDIS_DIR/redis.log" "PONG on 127.0.0.1:${port}" \
    sh -c "redis-cli -h 127.0.0.1 -p ${port} ping | grep -q PONG"; then
    redis_stop
    return 1
  fi

  export WALLBOARD_TEST_REDIS="127.0.0.1:${port}"
  echo "redis: redis-server (pid $REDIS_PID) on $WALLBOARD_TEST_REDIS" >&2
}

redis_stop() {
  ci_stop "$REDIS_PID" "$REDIS_DIR"
  REDIS_PID=""
  REDIS_DIR=""
  unset WALLBOARD_TEST_REDIS
}
