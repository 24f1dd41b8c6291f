#!/usr/bin/env bash
# Builds a local stand-in for the official Node slim image (no image registry is reachable here): Debian bookworm
# minbase by debootstrap, plus this machine's node and npm in /usr/local like the official image. Prints the image
# name on its last line. The tag is a content key (this script, node and npm versions), so a second run reuses the
# image without touching the network. Needs root, buildah and debootstrap (scripts/test-deps.sh installs them).
set -euo pipefail

node_bin=$(readlink -f "$(command -v node)")
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
# The CA bundle too: where the npm registry is reached through a TLS-inspecting proxy, npm in the image needs it.
ca=/etc/ssl/certs/ca-certificates.crt
key=$( { cat "$0"; "$node_bin" --version; cat "$npm_dir/package.json"; cat "$ca" 2>/dev/null || true; } | sha256sum | cut -c1-16)
image="localhost/vmp-node-base:$key"

if buildah inspect --type image "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi

# The Debian mirror apt uses here (deb822 sources first, then the one-line format).
mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
if [ -z "$mirror" ]; then
  mirror=$(awk '/^deb / && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

work=$(mktemp -d /var/tmp/vmp-node-base.XXXXXX)
ctr=""
cleanup() {
  [ -n "$ctr" ] && buildah rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

start=$(date +%s)
echo "debootstrap bookworm (minbase) from $mirror" >&2
debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -20 "$work/debootstrap.log" >&2
  exit 1
}
root="$work/rootfs"
install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
if [ -f "$ca" ]; then
  install -D -m 0644 "$ca" "$root$ca"
  mkdir -p "$root/usr/local/etc"
  echo "cafile=$ca" >"$root/usr/local/etc/npmrc"
fi
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/dev/* "$root"/proc/* "$root"/sys/*
tar -C "$root" -cf "$work/rootfs.tar" .

ctr=$(buildah from scratch)
buildah add "$ctr" "$work/rootfs.tar" / >/dev/null
buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd node "$ctr"
buildah commit --quiet "$ctr" "$image" >/dev/null
echo "built $image in $(($(date +%s) - start)) s" >&2
echo "$image"
