#!/usr/bin/env bash
# System libraries the PDF export needs (WeasyPrint: Pango, fontconfig, fonts). Installs them with
# apt-get when run as root on Debian; otherwise says what is missing. The run itself still writes
# HTML and Word without them, and says the PDF was not written and why.
set -euo pipefail
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libfontconfig1 fonts-liberation fonts-dejavu-core)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} (for the PDF export)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "the PDF export needs: ${missing[*]} (install with: sudo apt-get install ${missing[*]});" \
       "without them a run writes HTML and Word only" >&2
fi
