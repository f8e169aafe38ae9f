#!/usr/bin/env bash
# Make sure Debian's headless Chromium is installed (for the browser test of the web widget).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "ensure_chromium: chromium is missing; install Debian's 'chromium' package" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
command -v chromium
