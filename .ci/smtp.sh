# shellcheck shell=bash
# A real SMTP server for the report delivery tests. Sourced by .ci/run:
#   source .ci/smtp.sh; smtp_start; ...; smtp_stop
# Debian's python3-aiosmtpd with its Mailbox handler: every message it accepts is written to a
# Maildir, where the tests read it back. It listens on 127.0.0.1 on a free port, with the Maildir
# in a temporary folder; smtp_start exports WALLBOARD_TEST_SMTP (host:port) and
# WALLBOARD_TEST_SMTP_MAILBOX (the Maildir), which the test fixture uses.

SMTP_PID=""
SMTP_DIR=""

_smtp_free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

smtp_start() {
  if ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
    echo "smtp: installing Debian's python3-aiosmtpd" >&2
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd; } >/dev/null; then
      echo "smtp: apt-get install python3-aiosmtpd failed" >&2
      return 1
    fi
  fi

  local port
  port=$(_smtp_free_port) || return 1
  SMTP_DIR=$(mktemp -d -t wallboard-smtp.XXXXXX) || return 1
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:${port}" -c aiosmtpd.handlers.Mailbox "$SMTP_DIR/Maildir" \
    >"$SMTP_DIR/aiosmtpd.log" 2>&1 &
  SMTP_PID=$!

  local waited=0
  until /usr/bin/python3 -c "import socket, sys; socket.create_connection(('127.0.0.1', ${port}), 1).close()" 2>/dev/null; do
    if ! kill -0 "$SMTP_PID" 2>/dev/null; then
      echo "smtp: aiosmtpd exited; its log:" >&2
      cat "$SMTP_DIR/aiosmtpd.log" >&2
      SMTP_PID=""
      return 1
    fi
    if [ "$waited" -ge 300 ]; then
      echo "smtp: nothing listens on 127.0.0.1:${port} after 30 s" >&2
      smtp_stop
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done

  export WALLBOARD_TEST_SMTP="127.0.0.1:${port}"
  export WALLBOARD_TEST_SMTP_MAILBOX="$SMTP_DIR/Maildir"
  echo "smtp: aiosmtpd (pid $SMTP_PID) on 127.0.0.1:${port}, Maildir $WALLBOARD_TEST_SMTP_MAILBOX" >&2
}

smtp_stop() {
  if [ -n "$SMTP_PID" ]; then
    kill "$SMTP_PID" 2>/dev/null
    wait "$SMTP_PID" 2>/dev/null
    SMTP_PID=""
  fi
  if [ -n "$SMTP_DIR" ]; then
    rm -rf "$SMTP_DIR"
    SMTP_DIR=""
  fi
  unset WALLBOARD_TEST_SMTP WALLBOARD_TEST_SMTP_MAILBOX
}
