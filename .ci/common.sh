# shellcheck shell=bash
# Helpers shared by the .ci service scripts. Sourced by .ci/run before them.

# Installs Debian packages (sudo when not root), waiting up to 5 minutes for the package manager's
# lock when another install holds it. Usage: ci_apt_install LABEL PACKAGE...
ci_apt_install() {
  local label=$1
  shift
  [ "$#" -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "$label: installing $*" >&2
  local lock=(-o DPkg::Lock::Timeout=300)
  if ! { "${sudo[@]}" apt-get "${lock[@]}" update -qq &&
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get "${lock[@]}" install -y -qq --no-install-recommends "$@"; } >/dev/null; then
    echo "$label: apt-get install $* failed" >&2
    return 1
  fi
}

# A free TCP port on 127.0.0.1.
ci_free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits up to 30 s until COMMAND succeeds, failing early with the server's log if it exits.
# Usage: ci_wait_ready LABEL PID LOG WHAT COMMAND...   (WHAT names what is awaited, for the error)
ci_wait_ready() {
  local label=$1 pid=$2 log=$3 what=$4 waited=0
  shift 4
  until "$@" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$label: the server exited; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    if [ "$waited" -ge 300 ]; then
      echo "$label: no $what after 30 s" >&2
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# Stops a server started in the background and removes its folder. Usage: ci_stop PID DIR
ci_stop() {
  if [ -n "$1" ]; then
    kill "$1" 2>/dev/null
    wait "$1" 2>/dev/null
  fi
  [ -n "$2" ] && rm -rf "$2"
  return 0
}
