#!/usr/bin/env bash
# Tracing on (exporting to a local OTLP receiver) vs off on product reads; see bench.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
node bench/tracing/bench.mjs --seconds "${1:-5}" --rounds "${2:-3}" --out bench/results/tracing.md
