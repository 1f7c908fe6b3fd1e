#!/usr/bin/env bash
# Reports: the CJK font the PDFs are set in and poppler's pdftoppm (tests render page 1 to PNG).
# Usage: source .ci/reports.sh && reports_deps_install

reports_deps_install() {
  local missing=()
  [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing+=(fonts-noto-cjk)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi

  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "reports: installing ${missing[*]}" >&2
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
