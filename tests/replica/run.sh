#!/usr/bin/env bash
# Read replicas on a real pair: makes a PostgreSQL primary (initdb) and a streaming replica of it
# (pg_basebackup -R) on free loopback ports under a temporary folder, then runs against them
#   1. the API tests (tests/api, O4O_TEST_DB=postgres): every server they start reads from the
#      replica (the harness adds O4O_DATABASE_REPLICA_URLS for each test database), and
#   2. tests/replica/replica.test.mjs: a user's own writes read back at once while the replica
#      replays 300 ms late, the O4O-Read-After header across instances, a stopped replica
#      skipped and shown on /readyz, a lagging one likewise.
# Both servers are stopped and the folder removed at the end, whatever happens. Bounded: each
# step has a timeout (O4O_REPLICA_TEST_TIMEOUT seconds for the API tests, default 900).
#   tests/replica/run.sh                 both parts
#   tests/replica/run.sh --replica-only  only part 2 (about 30 s)
#   tests/replica/run.sh tests/api/forum.test.mjs   part 2 and the named API test files
set -euo pipefail
cd "$(dirname "$0")/../.."

only_replica=0
api_files=()
for a in "$@"; do
  case "$a" in
    --replica-only) only_replica=1 ;;
    *) api_files+=("$a") ;;
  esac
done
[ ${#api_files[@]} -eq 0 ] && api_files=(tests/api/)

bin=${O4O_PG_BIN:-/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -n 1)/bin}
for tool in initdb pg_ctl pg_basebackup pg_isready; do
  [ -x "$bin/$tool" ] || { echo "no $bin/$tool (set O4O_PG_BIN)" >&2; exit 1; }
done
[ -x build/o4o ] || { echo "build/o4o is missing: build first" >&2; exit 1; }

work=$(mktemp -d /tmp/o4o-replica-XXXXXX)
chmod 755 "$work"
# PostgreSQL refuses to run as root: its tools run as the postgres user then.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    local q
    q=$(printf '%q ' "$@")
    su postgres -s /bin/sh -c "$q"
  else
    "$@"
  fi
}
[ "$(id -u)" = 0 ] && chown postgres "$work"

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
primary_port=$(free_port)
replica_port=$(free_port)
while [ "$replica_port" = "$primary_port" ]; do replica_port=$(free_port); done

cleanup() {
  as_pg "$bin/pg_ctl" -D "$work/replica" -m immediate -w stop >/dev/null 2>&1 || true
  as_pg "$bin/pg_ctl" -D "$work/primary" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() {  # data-dir port
  as_pg "$bin/pg_ctl" -D "$1" -l "$1.log" -w -t 60 \
    -o "-p $2 -k $work -c listen_addresses=127.0.0.1" start >/dev/null
}

echo "==> primary on 127.0.0.1:$primary_port, replica on 127.0.0.1:$replica_port (under $work)"
as_pg "$bin/initdb" -D "$work/primary" -U o4o --auth=trust -E UTF8 >/dev/null
# Replication (trust on loopback comes with initdb --auth=trust): hot standby reads, enough
# senders, and the WAL a replica may still need kept for it.
cat >>"$work/primary/postgresql.conf" <<CONF
wal_level = replica
max_wal_senders = 4
wal_keep_size = 256MB
max_connections = 300
CONF
start "$work/primary" "$primary_port"
as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U o4o -D "$work/replica" -R -X stream \
  --checkpoint=fast
start "$work/replica" "$replica_port"
for _ in $(seq 1 100); do
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$replica_port" && break
  sleep 0.1
done
in_recovery=$(psql "postgresql://o4o@127.0.0.1:$replica_port/postgres" -qAtc 'SELECT pg_is_in_recovery()')
[ "$in_recovery" = t ] || { echo "the replica is not in recovery" >&2; exit 1; }

export O4O_TEST_DB=postgres
export O4O_TEST_PG_URL="postgresql://o4o@127.0.0.1:$primary_port/postgres"
export O4O_TEST_PG_REPLICA_URL="postgresql://o4o@127.0.0.1:$replica_port/postgres"
export O4O_TEST_PG_REPLICA_DATA="$work/replica"
export O4O_TEST_PG_BIN="$bin"

status=0
if [ "$only_replica" = 0 ]; then
  echo "==> API tests with reads on the replica: ${api_files[*]}"
  timeout --kill-after=10 "${O4O_REPLICA_TEST_TIMEOUT:-900}" \
    node --test --test-concurrency=2 --test-timeout=300000 "${api_files[@]}" || status=1
fi
echo "==> replica tests"
timeout --kill-after=10 300 node --test --test-timeout=240000 tests/replica/replica.test.mjs || status=1
exit $status
