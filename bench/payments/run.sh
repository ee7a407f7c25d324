#!/usr/bin/env bash
# Payments benchmark (bench/payments/bench.mjs): confirm throughput and what paying adds to placing
# an order, on SQLite and then, when PostgreSQL answers, on PostgreSQL (each run about 45 s, its
# own server on loopback, fresh database, rate limit off). Prints Markdown; with
# PAYMENTS_OUT=bench/results/payments.md the runs are appended there too.
#
# Usage: bench/payments/run.sh [seconds]   (binary: $O4O_BINARY, else build/o4o)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export O4O_BINARY="${O4O_BINARY:-$root/build/o4o}"
secs="${1:-6}"
out=()
[[ -n "${PAYMENTS_OUT:-}" ]] && out=(--out "$PAYMENTS_OUT")
echo "## Payments"
echo
O4O_TEST_DB=sqlite node "$here/bench.mjs" --seconds "$secs" "${out[@]}"
if psql "${O4O_TEST_PG_URL:-postgresql://o4o:o4o@127.0.0.1:5432/postgres}" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  echo
  O4O_TEST_DB=postgres node "$here/bench.mjs" --seconds "$secs" "${out[@]}"
else
  echo "(PostgreSQL not reachable: skipped; bash scripts/start-test-services.sh starts it)"
fi
