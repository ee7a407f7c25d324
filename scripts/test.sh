#!/usr/bin/env bash
# Every test: installs what is missing, builds, starts PostgreSQL and Redis if they are not
# running, then builds each service alone and runs the unit tests, the API tests on SQLite and on
# PostgreSQL, and the browser tests. Ends with one line "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export O4O_WERROR="${O4O_WERROR:-ON}"
bash scripts/setup.sh || { echo "setup failed"; exit 1; }
bash scripts/start-test-services.sh || { echo "could not start PostgreSQL/Redis"; exit 1; }

passed=0
failed=0
status=0
logdir=$(mktemp -d)

# node --test prints "# pass N" and "# fail N" at the end.
count_node() {
  local log=$1 p f
  p=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
  f=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}

# Each service must build and link on its own (-DO4O_BUILD_SERVICES=<name>), as the README
# offers. One build folder per service, beside build/ so that ccache (base_dir) reuses build/'s
# objects: only the generated files and the link are new. Each build counts as one test.
echo "==> single-service builds"
for reg in src/services/*/register.cpp; do
  svc=$(basename "$(dirname "$reg")")
  dir="build-only-$svc"
  if cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DO4O_WERROR="$O4O_WERROR" \
      -DO4O_TESTS=OFF -DO4O_BUILD_SERVICES="$svc" >"$logdir/only-$svc.log" 2>&1 &&
    cmake --build "$dir" -j"${O4O_JOBS:-2}" --target o4o >>"$logdir/only-$svc.log" 2>&1; then
    echo "ok   o4o with only $svc"
    passed=$((passed + 1))
  else
    echo "FAIL o4o with only $svc (log: $logdir/only-$svc.log)"
    grep -E 'error|undefined reference' "$logdir/only-$svc.log" | head -10
    failed=$((failed + 1))
    status=1
  fi
done

echo "==> unit tests (ctest)"
if (cd build && ctest --output-on-failure -j2 --timeout 300) >"$logdir/unit.log" 2>&1; then :; else status=1; fi
tail -n 15 "$logdir/unit.log"
up=$(grep -Eo '[0-9]+ tests passed|[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$logdir/unit.log" | tail -1)
total=$(grep -Eo 'out of [0-9]+' "$logdir/unit.log" | tail -1 | awk '{print $3}')
ufail=$(grep -Eo '[0-9]+ tests failed' "$logdir/unit.log" | tail -1 | awk '{print $1}')
passed=$((passed + ${total:-0} - ${ufail:-0}))
failed=$((failed + ${ufail:-0}))

for db in sqlite postgres; do
  echo "==> API and MCP tests on $db"
  if O4O_TEST_DB=$db node --test --test-concurrency=2 --test-timeout=300000 tests/api/ tests/mcp/ >"$logdir/api-$db.log" 2>&1; then :; else status=1; fi
  grep -E '^not ok|^# (tests|pass|fail|duration)' "$logdir/api-$db.log" | head -40
  grep -q '^not ok' "$logdir/api-$db.log" && sed -n '/^not ok/,/^ok/p' "$logdir/api-$db.log" | head -150
  count_node "$logdir/api-$db.log"
done

echo "==> delivery checks (compose, workflows, dashboards, alerts, /metrics)"
if node --test --test-concurrency=2 --test-timeout=300000 tests/deploy/ >"$logdir/deploy.log" 2>&1; then :; else status=1; fi
grep -E '^not ok|^# (tests|pass|fail|duration)' "$logdir/deploy.log" | head -20
grep -q '^not ok' "$logdir/deploy.log" && sed -n '/^not ok/,/^ok/p' "$logdir/deploy.log" | head -100
count_node "$logdir/deploy.log"

if [ -d tests/browser ] && [ "${O4O_SKIP_BROWSER:-0}" != "1" ]; then
  echo "==> browser tests"
  if bash tests/browser/run.sh >"$logdir/browser.log" 2>&1; then :; else status=1; fi
  grep -E '^not ok|^# (tests|pass|fail|duration)' "$logdir/browser.log" | head -20
  grep -q '^not ok' "$logdir/browser.log" && sed -n '/^not ok/,/^ok/p' "$logdir/browser.log" | head -100
  count_node "$logdir/browser.log"
fi

echo "logs: $logdir"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
