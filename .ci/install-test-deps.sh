#!/usr/bin/env bash
# Installs the Debian packages that `dotnet test Wallboard.sln` needs besides the .NET SDK, and
# nothing when they are all there. README names this script; .ci/run calls it first.
#   chromium, fonts-noto-cjk   the floor-page browser test (Playwright drives Debian's chromium)
#   influxdb                   the history contract tests (a private influxd on a free port)
#   python3-aiosmtpd           the report delivery tests (a real SMTP server)
#   poppler-utils              pdftoppm, to look at report pages
#   prometheus                 promtool, which checks what /metrics serves
#   systemd                    systemd-analyze, which verifies deploy/wallboard.service
#   redis-server, postgresql   the cluster tests and the PostgreSQL history store (private servers on free ports)
# apt-get waits up to 5 minutes for another install to release the package manager's lock
# instead of failing at once. Run as root or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/common.sh

missing=()
need() { # need PACKAGE TEST...: PACKAGE is missing unless TEST succeeds
  local package=$1
  shift
  "$@" >/dev/null 2>&1 || missing+=("$package")
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

need chromium test -x /usr/bin/chromium
need fonts-noto-cjk installed fonts-noto-cjk
need influxdb test -x /usr/bin/influxd
need python3-aiosmtpd /usr/bin/python3 -c 'import aiosmtpd'
need poppler-utils command -v pdftoppm
need prometheus command -v promtool
need systemd command -v systemd-analyze
need redis-server test -x /usr/bin/redis-server
need postgresql sh -c 'ls /usr/lib/postgresql/*/bin/initdb'

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-test-deps: everything is installed" >&2
  exit 0
fi
ci_apt_install install-test-deps "${missing[@]}"
