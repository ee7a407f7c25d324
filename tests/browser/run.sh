#!/usr/bin/env bash
# Runs the browser tests against build/o4o (which must be built already).
# Builds the web app first when needed. Usage: tests/browser/run.sh [extra node --test args]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root/web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -f dist/index.html ] || [ -n "$(find src index.html vite.config.ts package.json -newer dist/index.html -print -quit)" ]; then
  npm run build
fi
npx vitest run --reporter=dot >/dev/null 2>&1 || { echo "web unit tests (vitest) failed:" >&2; npx vitest run >&2; exit 1; }
cd "$root"
if [ ! -x "${O4O_BIN:-build/o4o}" ]; then
  echo "browser tests: ${O4O_BIN:-build/o4o} not found; build the server first" >&2
  exit 1
fi
exec node --test --test-concurrency=1 --test-timeout=180000 "$@" tests/browser/
