#!/usr/bin/env bash
# Make sure Debian's PostgreSQL server and Redis are installed (for the tests of several instances).
# Installs the missing packages when run as root; prints the PostgreSQL bin directory.
set -euo pipefail
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
missing=()
[ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "ensure_stores: missing ${missing[*]}; install Debian's packages: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # the packages' own services are not needed: the tests start throwaway servers on loopback
  made_policy=no
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=yes
  fi
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1
  [ "$made_policy" = no ] || rm -f /usr/sbin/policy-rc.d
fi
pg_bin
