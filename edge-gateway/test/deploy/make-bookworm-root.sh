#!/bin/bash
# Builds a minimal Debian bookworm root with debootstrap and packs it as a tarball, once: the install test
# unpacks the tarball into a fresh temporary directory for every run, so only the first run pays for the
# download. Usage: make-bookworm-root.sh <output.tar> [mirror]
set -euo pipefail

out=${1:?usage: make-bookworm-root.sh <output.tar> [mirror]}
mirror=${2:-${NOODSTEUN_DEBIAN_MIRROR:-http://deb.debian.org/debian}}
# What install.sh expects to find on Raspberry Pi OS Lite: systemd, the hotspot daemons, iproute2.
include=systemd,systemd-sysv,hostapd,dnsmasq,iproute2,xz-utils,ca-certificates

work=$(mktemp -d "${out}.work.XXXXXX")
# --one-file-system: should debootstrap leave /proc or /sys mounted in the root, they are not descended into.
trap 'rm -rf --one-file-system "$work"' EXIT
# Its own mount namespace: whatever debootstrap mounts in the root disappears with it.
unshare --mount --propagation private debootstrap --variant=minbase --include="$include" bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*_Packages
tar --numeric-owner -C "$work/root" -cf "$work/root.tar" .
mv "$work/root.tar" "$out"
