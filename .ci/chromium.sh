# shellcheck shell=bash
# Sourced by .ci/run. The browser test drives the Debian `chromium` package through Playwright
# (a Playwright browser download is not possible here) and needs CJK fonts for the zh-CN board.

# Installs chromium and fonts-noto-cjk with apt-get when either is missing.
chromium_install() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' || missing+=(fonts-noto-cjk)
  ci_apt_install chromium "${missing[@]}"
}
