#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/channels/test_web_browser.py).
# Playwright drives /usr/bin/chromium and never downloads a browser of its own.
# Idempotent: does nothing when /usr/bin/chromium is already there.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi
echo "==> installing Debian's chromium (browser tests)"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
