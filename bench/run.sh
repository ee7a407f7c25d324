#!/usr/bin/env bash
# Runs the benchmarks against build/o4o (build it first with scripts/setup.sh) and prints
# Markdown for bench/RESULTS.md. Each run is bounded in time and binds loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
node bench/core-bench.mjs "$secs"
for f in bench/*/run.sh; do
  [ -f "$f" ] && { echo; bash "$f"; } || true
done
