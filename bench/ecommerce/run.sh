#!/usr/bin/env bash
# Orders and pledges on one hot row, 64 connections, wrk as the load generator, on SQLite and on
# PostgreSQL (bench/ecommerce/orders-wrk.mjs; the SQLite run measures the disk's one-row durable
# commit rate in the same run). Bounded: 2 rounds of 5 s per phase and database.
# Writes bench/results/orders.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/results/orders.md
printf '# Orders and pledges on one hot row (bench/ecommerce/run.sh)\n\n' >"$out"
for db in sqlite postgres; do
  O4O_TEST_DB=$db node bench/ecommerce/orders-wrk.mjs --seconds "${BENCH_SECONDS:-5}" --rounds 2 --out "$out"
done
echo "wrote $out"
