#!/usr/bin/env bash
# scripts/docker-engine.sh - a private Docker engine for this checkout, for machines without one (no systemd, no
# image registry): Debian's dockerd with its own data root, socket and PID under .local/docker, and the local
# Debian base image every image of deploy/ builds FROM.
#
# Usage: scripts/docker-engine.sh up|down|env|base
#
#   up    Installs what is missing (apt: docker.io docker-compose debootstrap iptables), records the host's iptables
#         rules and IP forwarding, starts dockerd (overlay2, data root .local/docker/data, socket
#         .local/docker/docker.sock, PID .local/docker/dockerd.pid) and waits until it answers. Then `base`.
#   base  Makes the local bases unless the engine has them: local/debian:bookworm (debootstrap --variant=minbase
#         bookworm from the apt mirror this machine uses, its sources copied in, imported with `docker import`; the
#         tarball is kept in .local/docker-cache/, outside the data root, so a rerun imports it in seconds), and
#         local/dotnet-aspnet:10.0 and local/dotnet-sdk:10.0 (deploy/docker/local-dotnet.Dockerfile: that base with
#         this machine's .NET, and node for the web service's build, copied in).
#   down  Stops the dockerd this script started (by its recorded PID, and the containerd it started with it), then
#         restores the iptables rules and IP forwarding recorded by `up` and removes the docker0 bridge it made.
#   env   Prints `export DOCKER_HOST=...` (and DOCKER_API_VERSION=1.41 for Testcontainers): eval "$(... env)".
#
# dockerd rewrites iptables (FORWARD policy DROP, its own chains, NAT) and turns IP forwarding on; `down` undoes both.
# One engine per machine: `up` refuses when a docker0 bridge that it did not make already exists.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
STATE="$ROOT/.local/docker"
CACHE="$ROOT/.local/docker-cache"
SOCKET="$STATE/docker.sock"
PIDFILE="$STATE/dockerd.pid"
BASE_IMAGE=local/debian:bookworm
RUNTIME_IMAGE=local/dotnet-aspnet:10.0
SDK_IMAGE=local/dotnet-sdk:10.0

log() { printf '[docker-engine] %s\n' "$*" >&2; }
die() { printf '[docker-engine] ERROR: %s\n' "$*" >&2; exit 1; }

docker_cli() { DOCKER_HOST="unix://$SOCKET" docker "$@"; }

running() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

install_missing() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v iptables-save >/dev/null || missing+=(iptables)
  ((${#missing[@]} == 0)) && return 0
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
}

up() {
  install_missing
  if running; then log "dockerd already running (pid $(cat "$PIDFILE"))"; base; dotnet_bases; return; fi
  if ip link show docker0 >/dev/null 2>&1; then
    die "a docker0 bridge exists already (another engine on this machine?): stop it first"
  fi
  mkdir -p "$STATE/data" "$STATE/exec"
  # What `down` puts back: the rules of every table and the forwarding switch, as they were before dockerd.
  iptables-save >"$STATE/iptables.before"
  cat /proc/sys/net/ipv4/ip_forward >"$STATE/ip_forward.before"
  log "starting dockerd (data root .local/docker/data, log .local/docker/dockerd.log)"
  setsid dockerd --data-root "$STATE/data" --exec-root "$STATE/exec" --pidfile "$PIDFILE" \
    --host "unix://$SOCKET" --storage-driver overlay2 </dev/null >"$STATE/dockerd.log" 2>&1 &
  local deadline=$((SECONDS + 60))
  until docker_cli info >/dev/null 2>&1; do
    if ! kill -0 $! 2>/dev/null; then tail -n 30 "$STATE/dockerd.log" >&2; die "dockerd exited"; fi
    ((SECONDS < deadline)) || { tail -n 30 "$STATE/dockerd.log" >&2; die "dockerd did not answer in 60 s"; }
    sleep 0.5
  done
  log "dockerd ready (pid $(cat "$PIDFILE"), $(docker_cli version --format '{{.Server.Version}} API {{.Server.APIVersion}}'))"
  base
  dotnet_bases
}

base() {
  if docker_cli image inspect "$BASE_IMAGE" >/dev/null 2>&1; then return 0; fi
  local tarball="$CACHE/debian-bookworm-minbase.tar"
  if [[ ! -s "$tarball" ]]; then
    mkdir -p "$CACHE"
    local rootfs="$CACHE/rootfs" mirror
    rm -rf "$rootfs"
    # The mirror this machine's apt uses (no other is reachable).
    mirror="$(grep -hoE '^(URIs:|deb) *https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
      | grep -oE 'https?://[^ ]+' | head -n 1 || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
    log "debootstrap --variant=minbase bookworm from $mirror (about a minute)"
    nice -n 10 debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -n 30 "$CACHE/debootstrap.log" >&2; die "debootstrap failed"; }
    # The image's apt reaches the same mirror (and security suite) as the machine's.
    rm -f "$rootfs/etc/apt/sources.list"
    cp -a /etc/apt/sources.list.d/. "$rootfs/etc/apt/sources.list.d/" 2>/dev/null || true
    [[ -f /etc/apt/sources.list ]] && cp /etc/apt/sources.list "$rootfs/etc/apt/sources.list"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
    rm -rf "$rootfs"
  fi
  log "importing $BASE_IMAGE from .local/docker-cache"
  docker_cli import "$tarball" "$BASE_IMAGE" >/dev/null
}

# The .NET bases (deploy/docker/local-dotnet.Dockerfile) from this machine's .NET and node: no .NET image can be pulled.
dotnet_bases() {
  if docker_cli image inspect "$RUNTIME_IMAGE" >/dev/null 2>&1 && docker_cli image inspect "$SDK_IMAGE" >/dev/null 2>&1; then return 0; fi
  local dotnet_root context="$CACHE/dotnet-context"
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  [[ -d "$dotnet_root/shared/Microsoft.AspNetCore.App" ]] || die "no ASP.NET Core runtime under $dotnet_root"
  rm -rf "$context"
  mkdir -p "$context/dotnet/runtime" "$context/dotnet/sdk" "$context/node/bin" "$context/node/lib/node_modules"
  # Hard links where the cache shares the file system (no copy of 600 MB), else a copy.
  local item
  for item in dotnet host shared LICENSE.txt ThirdPartyNotices.txt; do
    [[ -e "$dotnet_root/$item" ]] && { cp -al "$dotnet_root/$item" "$context/dotnet/runtime/" 2>/dev/null || cp -a "$dotnet_root/$item" "$context/dotnet/runtime/"; }
  done
  for item in sdk packs sdk-manifests templates; do
    [[ -e "$dotnet_root/$item" ]] && { cp -al "$dotnet_root/$item" "$context/dotnet/sdk/" 2>/dev/null || cp -a "$dotnet_root/$item" "$context/dotnet/sdk/"; }
  done
  local node npm_root
  node="$(readlink -f "$(command -v node)")" || die "node is needed (the web service's build runs npm)"
  npm_root="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  cp "$node" "$context/node/bin/node"
  cp -a "$npm_root" "$context/node/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$context/node/bin/npm"
  # The certificate authorities this machine adds (an egress proxy's, say), for the SDK image's restore only.
  mkdir -p "$context/ca"
  find /usr/local/share/ca-certificates -name '*.crt' -exec cp {} "$context/ca/" \; 2>/dev/null || true
  cp "$ROOT/deploy/docker/local-dotnet.Dockerfile" "$context/Dockerfile"
  log "building $RUNTIME_IMAGE and $SDK_IMAGE from $dotnet_root"
  nice -n 10 env DOCKER_HOST="unix://$SOCKET" docker build -q --target runtime -t "$RUNTIME_IMAGE" "$context" >/dev/null
  nice -n 10 env DOCKER_HOST="unix://$SOCKET" docker build -q --target sdk -t "$SDK_IMAGE" "$context" >/dev/null
  rm -rf "$context"
}

down() {
  if running; then
    local pid
    pid="$(cat "$PIDFILE")"
    log "stopping dockerd (pid $pid)"
    kill -TERM "$pid"
    for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "dockerd still running after 30 s: killing it"; kill -KILL "$pid"; fi
  fi
  # The containerd dockerd started for itself (its own PID file under the exec root) stops with it; make sure.
  local cpid="$STATE/exec/containerd/containerd.pid"
  if [[ -f "$cpid" ]] && kill -0 "$(cat "$cpid")" 2>/dev/null; then kill -TERM "$(cat "$cpid")" || true; fi
  if [[ -f "$STATE/iptables.before" ]]; then
    log "restoring the iptables rules and IP forwarding of before dockerd"
    # iptables-restore replaces each table it is given (rules, policies, user chains); a table that had no rule
    # before (absent from iptables-save) is given back empty, with the default ACCEPT policies.
    {
      cat "$STATE/iptables.before"
      grep -q '^\*filter' "$STATE/iptables.before" || printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n'
      grep -q '^\*nat' "$STATE/iptables.before" \
        || printf '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n'
    } | iptables-restore
    cat "$STATE/ip_forward.before" >/proc/sys/net/ipv4/ip_forward
    rm -f "$STATE/iptables.before" "$STATE/ip_forward.before"
  fi
  if ip link show docker0 >/dev/null 2>&1; then ip link delete docker0 || true; fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  up) up ;;
  base) running || die "dockerd is not running (up first)"; base; dotnet_bases ;;
  down) down ;;
  env) printf 'export DOCKER_HOST=%q DOCKER_API_VERSION=1.41\n' "unix://$SOCKET" ;;
  *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
