#!/usr/bin/env bash
# Starts PostgreSQL (Debian cluster) and Redis on loopback for the tests if they are not running,
# and makes sure the test role exists. Idempotent.
set -euo pipefail

PG_USER=${O4O_TEST_PG_USER:-o4o}
PG_PASS=${O4O_TEST_PG_PASS:-o4o}

# Services given from outside (CI's service containers): O4O_TEST_PG_URL, a superuser's URL, and
# O4O_TEST_REDIS_URL are used as they are once they answer; nothing is started here for them.
if [ -n "${O4O_TEST_PG_URL:-}" ]; then
  for _ in $(seq 1 100); do
    pg_isready -q -d "$O4O_TEST_PG_URL" && break
    sleep 0.3
  done
  pg_isready -q -d "$O4O_TEST_PG_URL" || { echo "PostgreSQL at O4O_TEST_PG_URL does not answer" >&2; exit 1; }
  external_pg=1
fi
if [ -n "${O4O_TEST_REDIS_URL:-}" ]; then
  redis-cli -u "$O4O_TEST_REDIS_URL" ping >/dev/null || { echo "Redis at O4O_TEST_REDIS_URL does not answer" >&2; exit 1; }
  external_redis=1
fi

if [ -n "${external_pg:-}" ]; then
  :
elif command -v pg_lsclusters >/dev/null 2>&1; then
  read -r ver name _ <<<"$(pg_lsclusters -h | head -n 1)"
  if [ -z "${ver:-}" ]; then
    ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    name=main
    pg_createcluster "$ver" "$name" >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$ver" -v n="$name" '$1==v && $2==n {print $4}' | grep -q online; then
    pg_ctlcluster "$ver" "$name" start
  fi
  for _ in $(seq 1 50); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 0.2
  done
  su postgres -c "psql -qAt -c \"SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'\"" | grep -q 1 ||
    su postgres -c "psql -q -c \"CREATE ROLE $PG_USER LOGIN SUPERUSER PASSWORD '$PG_PASS'\""
else
  echo "PostgreSQL is not installed (run scripts/setup.sh)" >&2
  exit 1
fi

if [ -z "${external_redis:-}" ] && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
pg_desc="postgresql://$PG_USER:***@127.0.0.1:5432"
[ -n "${external_pg:-}" ] && pg_desc="O4O_TEST_PG_URL"
echo "PostgreSQL and Redis are up ($pg_desc, ${O4O_TEST_REDIS_URL:-redis://127.0.0.1:6379})"
