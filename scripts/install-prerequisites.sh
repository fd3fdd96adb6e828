#!/usr/bin/env bash
# Installs what the tests and the AppHost's local PostgreSQL need from the machine, only when it is missing:
# PostgreSQL's server programs (initdb, pg_ctl); for the browser tests, Chromium (Playwright drives the
# machine's /usr/bin/chromium: its own browser download cannot work without internet access); and for the container
# tests, a running Docker engine with the local PostgreSQL image (scripts/container-engine.sh, which may start dockerd:
# `bash scripts/container-engine.sh stop` stops it). Pass --no-containers to leave Docker out.
# Debian/Ubuntu (apt-get); elsewhere it says what to install.
set -euo pipefail

have_pg_server() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null 2>&1
}

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "prerequisites: $1 is missing and this is not a Debian/Ubuntu machine; install it yourself" >&2
    exit 1
  fi
  if [ "$apt_updated" -eq 0 ]; then sudo_if_needed apt-get update -qq; apt_updated=1; fi
  shift
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if have_pg_server; then
  echo "prerequisites: PostgreSQL server programs found"
else
  echo "prerequisites: installing PostgreSQL server programs (apt-get install postgresql)"
  # The package would start a cluster of its own on port 5432; we only want the programs.
  apt_install "PostgreSQL 14 or newer (initdb, pg_ctl)" postgresql
  if command -v service >/dev/null 2>&1; then sudo_if_needed service postgresql stop >/dev/null 2>&1 || true; fi
fi

if [ -x /usr/bin/chromium ]; then
  echo "prerequisites: Chromium found"
else
  echo "prerequisites: installing Chromium for the browser tests (apt-get install chromium)"
  apt_install "Chromium (/usr/bin/chromium)" chromium
fi

if [ "${1:-}" = --no-containers ]; then
  echo "prerequisites: Docker left out (--no-containers); the container tests will fail, saying what to run"
else
  bash "$(dirname "$0")/container-engine.sh"
fi
