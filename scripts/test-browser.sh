#!/usr/bin/env bash
# The browser the tests' page checks drive (Debian's headless Chromium, through Playwright): installs
# it with apt-get when it is missing and this runs as root on Debian; otherwise says how to get it.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium (for the tests' browser checks)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "the browser checks need Chromium: sudo apt-get install chromium" >&2
fi
