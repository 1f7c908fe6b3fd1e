#!/usr/bin/env bash
# Reports: the CJK font the PDFs are set in and poppler's pdftoppm (tests render page 1 to PNG).
# Usage: source .ci/reports.sh && reports_deps_install

reports_deps_install() {
  local missing=()
  [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing+=(fonts-noto-cjk)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  ci_apt_install reports "${missing[@]}"
}
