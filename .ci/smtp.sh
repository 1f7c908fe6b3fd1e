# shellcheck shell=bash
# A real SMTP server for the report delivery tests. Sourced by .ci/run:
#   source .ci/smtp.sh; smtp_start; ...; smtp_stop
# Debian's python3-aiosmtpd with its Mailbox handler: every message it accepts is written to a
# Maildir, where the tests read it back. It listens on 127.0.0.1 on a free port, with the Maildir
# in a temporary folder; smtp_start exports WALLBOARD_TEST_SMTP (host:port) and
# WALLBOARD_TEST_SMTP_MAILBOX (the Maildir), which the test fixture uses.

SMTP_PID=""
SMTP_DIR=""

smtp_start() {
  /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || ci_apt_install smtp python3-aiosmtpd || return 1

  local port
  port=$(ci_free_port) || return 1
  SMTP_DIR=$(mktemp -d -t wallboard-smtp.XXXXXX) || return 1
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:${port}" -c aiosmtpd.handlers.Mailbox "$SMTP_DIR/Maildir" \
    >"$SMTP_DIR/aiosmtpd.log" 2>&1 &
  SMTP_PID=$!

  if ! ci_wait_ready smtp "$SMTP_PID" "$SMTP_DIR/aiosmtpd.log" "listener on 127.0.0.1:${port}" \
    /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', ${port}), 1).close()"; then
    smtp_stop
    return 1
  fi

  export WALLBOARD_TEST_SMTP="127.0.0.1:${port}"
  export WALLBOARD_TEST_SMTP_MAILBOX="$SMTP_DIR/Maildir"
  echo "smtp: aiosmtpd (pid $SMTP_PID) on 127.0.0.1:${port}, Maildir $WALLBOARD_TEST_SMTP_MAILBOX" >&2
}

smtp_stop() {
  ci_stop "$SMTP_PID" "$SMTP_DIR"
  SMTP_PID=""
  SMTP_DIR=""
  unset WALLBOARD_TEST_SMTP WALLBOARD_TEST_SMTP_MAILBOX
}
