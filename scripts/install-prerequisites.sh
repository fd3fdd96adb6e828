#!/usr/bin/env bash
# Installs what the tests and the Standalone host need from the machine, only when it is missing:
# PostgreSQL's server programs (initdb, pg_ctl). Debian/Ubuntu (apt-get); elsewhere it says what to install.
set -euo pipefail

have_pg_server() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null 2>&1
}

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if have_pg_server; then
  echo "prerequisites: PostgreSQL server programs found"
else
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "prerequisites: PostgreSQL server programs (initdb, pg_ctl) are missing; install PostgreSQL 14 or newer" >&2
    exit 1
  fi
  echo "prerequisites: installing PostgreSQL server programs (apt-get install postgresql)"
  sudo_if_needed apt-get update -qq
  # The package would start a cluster of its own on port 5432; we only want the programs.
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  if command -v service >/dev/null 2>&1; then sudo_if_needed service postgresql stop >/dev/null 2>&1 || true; fi
fi
