#!/usr/bin/env bash
# Bring up a local Docker engine when none answers. Idempotent: an engine that already answers is
# never touched. On Debian/Ubuntu as root it installs what dk's workshop needs (docker.io,
# busybox-static, debootstrap, shellcheck) and starts dockerd in the background with its log in a
# file. Exits non-zero, with the log's tail, when the engine does not come up in time.
set -euo pipefail

LOG=${DK_DOCKERD_LOG:-/var/log/dk-dockerd.log}
WAIT=${DK_ENGINE_WAIT:-60}
SOCK=/var/run/docker.sock

say() { printf 'engine-up: %s\n' "$*" >&2; }

ping_engine() {
  if [ -n "${DOCKER_HOST:-}" ]; then
    docker version --format '{{.Server.Version}}' >/dev/null 2>&1
  else
    [ -S "$SOCK" ] && curl -fsS --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1
  fi
}

have() { command -v "$1" >/dev/null 2>&1; }

install_packages() {
  local missing=()
  have dockerd || missing+=(docker.io)
  have busybox || [ -x /bin/busybox ] || missing+=(busybox-static)
  have debootstrap || missing+=(debootstrap)
  have shellcheck || missing+=(shellcheck)
  have curl || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! have apt-get; then
    say "missing: ${missing[*]}; install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and run this again"
    return 1
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if have curl && ping_engine; then
  say "an engine already answers; nothing to do"
  exit 0
fi

install_packages

if ping_engine; then
  say "an engine answers"
  exit 0
fi

if [ -n "${DOCKER_HOST:-}" ]; then
  say "DOCKER_HOST=$DOCKER_HOST does not answer; not starting a local engine for a remote address"
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  say "no engine answers at $SOCK and starting dockerd needs root (sudo systemctl start docker)"
  exit 1
fi

# A stale pid file from a killed dockerd blocks a new one.
if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
  rm -f /var/run/docker.pid
fi
if ! pgrep -x dockerd >/dev/null 2>&1; then
  if pgrep -x containerd >/dev/null 2>&1 || [ -S /run/containerd/containerd.sock ]; then :; fi
  say "starting dockerd (log: $LOG)"
  mkdir -p "$(dirname "$LOG")"
  nohup dockerd --host=unix://$SOCK >>"$LOG" 2>&1 </dev/null &
  disown || true
fi

for _ in $(seq 1 "$WAIT"); do
  if ping_engine; then
    say "engine is up ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo unknown version))"
    exit 0
  fi
  sleep 1
done
say "the engine did not answer within ${WAIT}s; last lines of $LOG:"
tail -n 30 "$LOG" >&2 || true
exit 1
