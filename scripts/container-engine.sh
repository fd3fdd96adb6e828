#!/usr/bin/env bash
# Makes a container engine ready for the AppHost's container mode and its tests, on a machine that may have none and
# cannot reach a registry (docs/containers.md):
#   scripts/container-engine.sh [start]  installs docker.io when dockerd is missing, starts dockerd when no daemon
#                                        answers, and makes the local PostgreSQL image present (load it from the
#                                        cache, or build it from Debian's packages). Safe to run again.
#   scripts/container-engine.sh stop     stops the dockerd this script started, and nothing else.
#   scripts/container-engine.sh image    prints the image's name (the tag the tests and the docs use).
# Podman is not handled: it needs a different runtime and limits to run here at all (docs/containers.md).
set -euo pipefail

readonly IMAGE_REPOSITORY=devlauncher/postgres
readonly DEBIAN_SUITE=bookworm
readonly PG_MAJOR=15
# The moving tag names the major version, as the official image's `15` does; the fixed one names the exact release.
readonly IMAGE="$IMAGE_REPOSITORY:$PG_MAJOR-$DEBIAN_SUITE"
readonly STATE_DIR="${XDG_STATE_HOME:-$HOME/.local/state}/devlauncher/container-engine"
readonly CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/devlauncher"
readonly CACHED_IMAGE="$CACHE_DIR/postgres-$PG_MAJOR-$DEBIAN_SUITE.tar"
readonly PID_FILE="$STATE_DIR/dockerd.pid"
readonly LOG_FILE="$STATE_DIR/dockerd.log"

say() { echo "container-engine: $*"; }
fail() { echo "container-engine: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || fail "$* is missing and this is not a Debian/Ubuntu machine; install it yourself"
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

daemon_answers() { docker info >/dev/null 2>&1; }

ensure_engine_installed() {
  if command -v dockerd >/dev/null 2>&1; then return; fi
  say "installing Docker (apt-get install docker.io)"
  apt_install docker.io
}

start_daemon() {
  if daemon_answers; then say "a Docker daemon answers; using it"; return; fi
  mkdir -p "$STATE_DIR"
  say "starting dockerd (log: $LOG_FILE)"
  # No systemd here: a session of its own, so a terminal's Ctrl-C or the end of CI's shell does not reach it. setsid
  # may fork, so dockerd writes its own pid (--pidfile): that file is what `stop` stops, and only that.
  rm -f "$PID_FILE"
  as_root setsid --wait dockerd --storage-driver overlay2 --pidfile "$PID_FILE" >"$LOG_FILE" 2>&1 < /dev/null &
  local launcher=$!
  for _ in $(seq 1 60); do
    if daemon_answers && [ -s "$PID_FILE" ]; then say "dockerd is ready (pid $(cat "$PID_FILE"))"; return; fi
    kill -0 "$launcher" 2>/dev/null || fail "dockerd exited; see $LOG_FILE"
    sleep 0.5
  done
  fail "dockerd did not answer within 30 s; see $LOG_FILE"
}

stop_daemon() {
  if [ ! -f "$PID_FILE" ]; then say "this script started no dockerd; nothing to stop"; return; fi
  local pid; pid=$(cat "$PID_FILE")
  if kill -0 "$pid" 2>/dev/null; then
    as_root kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then fail "dockerd (pid $pid) did not stop within 30 s"; fi
    say "stopped dockerd (pid $pid) and the containerd it ran"
  else
    say "dockerd (pid $pid) had already exited"
  fi
  rm -f "$PID_FILE"
  say "left as Docker made them: the docker0 bridge, Docker's iptables rules, IP forwarding on, /var/lib/docker (images, volumes, stopped containers)"
}

image_present() { docker image inspect "$IMAGE" >/dev/null 2>&1; }

ensure_image() {
  if image_present; then say "image $IMAGE present"; return; fi
  if [ -f "$CACHED_IMAGE" ]; then
    say "loading $IMAGE from $CACHED_IMAGE"
    docker load -q -i "$CACHED_IMAGE" >/dev/null
    if image_present; then return; fi
    say "the cached tar did not hold $IMAGE; building it again"
  fi
  build_image
  mkdir -p "$CACHE_DIR"
  docker save -o "$CACHED_IMAGE.partial" "$IMAGE" "$(exact_tag)" && mv "$CACHED_IMAGE.partial" "$CACHED_IMAGE"
  say "saved $IMAGE to $CACHED_IMAGE"
}

# The release Debian's mirror serves (e.g. 15.13-0+deb12u1 -> 15.13), read from the host's apt, which uses that mirror.
debian_release() {
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  apt-cache show "postgresql-$PG_MAJOR" | sed -n 's/^Version: //p' | head -n 1
}

exact_tag() { docker image inspect "$IMAGE" --format '{{index .Config.Labels "devlauncher.postgres.tag"}}'; }

mirror() {
  local uri
  uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
    | grep -v security | sed -E 's/^URIs: *//; s/^deb +(\[[^]]*\] +)?//' | awk '{ print $1 }' | head -n 1)
  echo "${uri:-http://deb.debian.org/debian}"
}

build_image() {
  command -v debootstrap >/dev/null 2>&1 || { say "installing debootstrap"; apt_install debootstrap; }
  local version release work
  version=$(debian_release)
  [ -n "$version" ] || fail "apt knows no postgresql-$PG_MAJOR; is this Debian $DEBIAN_SUITE?"
  release=${version%%-*}
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # the folder is fixed now
  trap "as_root umount '$work/rootfs/proc' 2>/dev/null || true; as_root rm -rf '$work'" EXIT
  say "building $IMAGE (PostgreSQL $release from Debian $DEBIAN_SUITE's packages; a few minutes, once)"
  mkdir -p "$STATE_DIR"
  as_root debootstrap --variant=minbase "$DEBIAN_SUITE" "$work/rootfs" "$(mirror)" >"$STATE_DIR/debootstrap.log" 2>&1 \
    || fail "debootstrap failed; see $STATE_DIR/debootstrap.log"
  install_postgres_in_rootfs "$work/rootfs" "$version"
  write_entrypoint "$work/rootfs/usr/local/bin/docker-entrypoint.sh"
  import_rootfs "$work" "$release"
}

install_postgres_in_rootfs() {
  local rootfs=$1 version=$2
  as_root mount -t proc proc "$rootfs/proc"
  # No service may start inside the chroot; Debian's own `main` cluster is not wanted (the entrypoint makes one).
  printf '#!/bin/sh\nexit 101\n' | as_root tee "$rootfs/usr/sbin/policy-rc.d" >/dev/null
  as_root chmod +x "$rootfs/usr/sbin/policy-rc.d"
  as_root cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  # The host's Debian sources (security updates included), so the chroot installs the release the tag names.
  as_root rm -f "$rootfs/etc/apt/sources.list"
  local source
  for source in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    if [ -f "$source" ] && grep -q 'debian' "$source"; then as_root cp "$source" "$rootfs$source"; fi
  done
  as_root chroot "$rootfs" /bin/bash -euc "
    groupadd -r -g 999 postgres && useradd -r -g postgres -u 999 -d /var/lib/postgresql -s /bin/bash postgres
    mkdir -p /etc/postgresql-common && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold postgresql-$PG_MAJOR=$version
    apt-get clean && rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d
    mkdir -p /docker-entrypoint-initdb.d /var/run/postgresql && chown postgres:postgres /var/run/postgresql
  " >"$STATE_DIR/chroot.log" 2>&1 || fail "installing postgresql-$PG_MAJOR in the chroot failed; see $STATE_DIR/chroot.log"
  as_root umount "$rootfs/proc"
}

import_rootfs() {
  local work=$1 release=$2
  local exact="$IMAGE_REPOSITORY:$release-$DEBIAN_SUITE"
  as_root tar -C "$work/rootfs" -c . | docker import \
    --change "ENV PATH=/usr/lib/postgresql/$PG_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change 'ENV LANG=C.UTF-8' --change 'ENV PGDATA=/var/lib/postgresql/data' \
    --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' --change 'CMD ["postgres"]' \
    --change 'EXPOSE 5432' - "$IMAGE_REPOSITORY:rootfs" >/dev/null
  # `docker import --change` refuses STOPSIGNAL; the official image stops on SIGINT (a fast shutdown).
  printf 'FROM %s\nSTOPSIGNAL SIGINT\nLABEL devlauncher.postgres.tag=%s\n' "$IMAGE_REPOSITORY:rootfs" "$exact" \
    | docker build -q -t "$IMAGE" -t "$exact" - >/dev/null 2>"$work/build.log" || fail "docker build failed: $(cat "$work/build.log")"
  docker rmi "$IMAGE_REPOSITORY:rootfs" >/dev/null
  say "built $IMAGE and $exact"
}

# The entrypoint follows the official postgres image's contract (https://hub.docker.com/_/postgres): POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB (each also as _FILE), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD, PGDATA, and
# /docker-entrypoint-initdb.d, then PostgreSQL as the postgres user.
write_entrypoint() {
  as_root tee "$1" >/dev/null <<'ENTRYPOINT'
#!/usr/bin/env bash
set -Eeuo pipefail

# VAR or VAR_FILE (never both), as the official image reads its secrets.
file_env() {
  local var=$1 file_var="${1}_FILE" def=${2:-}
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then echo "error: both $var and $file_var are set" >&2; exit 1; fi
  local val=$def
  if [ -n "${!var:-}" ]; then val=${!var}; elif [ -n "${!file_var:-}" ]; then val=$(< "${!file_var}"); fi
  export "$var"="$val"; unset "$file_var"
}

init_database() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  if [ -z "$POSTGRES_PASSWORD" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
    echo "error: POSTGRES_PASSWORD is not set (or set POSTGRES_HOST_AUTH_METHOD=trust)" >&2; exit 1
  fi
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments, as in the official image
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS -D "$PGDATA"
  local auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.auto.conf"
  run_init_scripts
}

run_init_scripts() {
  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -p 5432" start
  export PGPASSWORD=$POSTGRES_PASSWORD PGUSER=$POSTGRES_USER PGHOST=/var/run/postgresql
  local psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --dbname postgres)
  if [ "$POSTGRES_DB" != postgres ]; then
    echo 'CREATE DATABASE :"db"' | "${psql[@]}" -v db="$POSTGRES_DB" >/dev/null
  fi
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql) echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) echo "running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
      *.sql.xz) echo "running $f"; xzcat "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
      *) ;;
    esac
  done
  unset PGPASSWORD
  pg_ctl -D "$PGDATA" -m fast -w stop
}

if [ "${1:-}" = postgres ] || [ "${1:0:1}" = - ]; then
  [ "${1:0:1}" = - ] && set -- postgres "$@"
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" && chmod 700 "$PGDATA" && chown -R postgres:postgres "$PGDATA" /var/run/postgresql
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
  fi
  if [ ! -s "$PGDATA/PG_VERSION" ]; then init_database; fi
fi
exec "$@"
ENTRYPOINT
  as_root chmod 755 "$1"
}

case "${1:-start}" in
  start)
    ensure_engine_installed
    start_daemon
    ensure_image
    say "ready: $IMAGE (docs/containers.md)"
    ;;
  stop) stop_daemon ;;
  image) echo "$IMAGE" ;;
  *) fail "usage: $0 [start|stop|image]" ;;
esac
