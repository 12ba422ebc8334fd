#!/usr/bin/env bash
# Set up everything on a fresh Debian machine: system packages (Chinese fonts for the sample
# generator, Chromium for the report test, PostgreSQL for the registry tests) and a venv
# with the project installed. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for pkg in fonts-wqy-zenhei fonts-arphic-ukai fonts-arphic-uming fonts-arphic-gbsn00lp \
    fonts-arphic-gkai00mp fonts-wqy-microhei fonts-noto-cjk chromium postgresql; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
