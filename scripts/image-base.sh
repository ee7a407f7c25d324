#!/usr/bin/env bash
# Makes the base image `debian:12` locally from Debian's own packages, so the image build needs no
# registry: mmdebstrap (or debootstrap) of bookworm into a tarball, imported into the local
# containers storage (buildah/podman, as root). Does nothing when `debian:12` is already there,
# unless --force.
#   O4O_DEBIAN_MIRROR   mirror to bootstrap from (default http://deb.debian.org/debian)
set -euo pipefail
cd "$(dirname "$0")/.."

force=0
[ "${1:-}" = "--force" ] && force=1
if [ $force -eq 0 ] && buildah inspect --type image debian:12 >/dev/null 2>&1; then
  echo "==> debian:12 is already in the local storage"
  exit 0
fi

mirror="${O4O_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${mirror%/debian}/debian-security"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball="$work/rootfs.tar"

echo "==> bootstrapping Debian 12 (bookworm, minbase) from $mirror"
start=$(date +%s)
if command -v mmdebstrap >/dev/null 2>&1; then
  # minbase: essential + apt. The image's apt gets the same mirror and the security suite.
  mmdebstrap --quiet --variant=minbase --include=ca-certificates \
    --aptopt='Acquire::Languages "none"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    bookworm "$tarball" \
    "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
else
  rootfs="$work/rootfs"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$mirror"
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
    "$mirror" "$mirror" "$security" > "$rootfs/etc/apt/sources.list"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  tar -C "$rootfs" -cf "$tarball" .
fi

echo "==> importing as debian:12"
ctr=$(buildah from scratch)
mnt=$(buildah mount "$ctr")
tar -C "$mnt" -xf "$tarball"
buildah umount "$ctr" >/dev/null
buildah config --cmd /bin/bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
buildah commit --quiet --rm --format docker "$ctr" debian:12 >/dev/null
echo "==> debian:12 ready in $(( $(date +%s) - start )) s ($(buildah images --format '{{.Size}}' debian:12))"
