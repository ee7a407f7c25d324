#!/usr/bin/env bash
# Every test: installs what is missing, builds, starts PostgreSQL and Redis if they are not
# running, then builds each service alone and runs the unit tests, the unit tests again under
# ASan+UBSan and those of the concurrent parts under TSan, the API and MCP tests on SQLite (served
# by the ASan+UBSan build) and on PostgreSQL, the read-replica tests on a primary + replica pair of
# their own, the fuzz targets for a bounded time, and the browser tests. Ends with one line
# "tests: N passed, N failed".
#   O4O_SANITIZERS=0   skips the sanitizer builds (on by default; the SQLite API run then uses
#                      build/o4o)
#   O4O_FUZZ_SECONDS=N seconds per fuzz target (default 10; 0 skips fuzzing)
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
  local log=$1 p f h
  p=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
  f=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  # A suite whose before/after hook failed ran none of its tests: node counts it in no "# fail"
  # line, yet the run fails. It counts as one failure here, so the summary says so.
  h=$(grep -c "failureType: 'hookFailed'" "$log" || true)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${h:-0}))
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

# Sanitizer builds, each in its own folder: ASan+UBSan runs the unit tests and then serves the
# SQLite API run below (instead of build/o4o, so the run costs nothing extra); TSan builds only
# o4o_concurrent_tests, the unit tests of the concurrent parts with the libraries they need (the
# worker pool, the event streams and the signage hub, idempotency and the database worker paths:
# TempDb, group commit, read-at-once; pub/sub, rate limiting and dispatch). -O1 -g1: ASan's
# recommended level with line numbers in its reports, and about a third less compile time than
# -O2 -g. Unity builds of 12 files: the shared headers are parsed and their inline code
# instrumented once per batch instead of once per file (the plain build/ stays one object per
# file, as users build it).
count_gtest() {  # "[  PASSED  ] N tests." / "[  FAILED  ] N tests," from a gtest log
  local log=$1 p f
  p=$(grep -Eo '^\[  PASSED  \] [0-9]+' "$log" | tail -1 | awk '{print $4}')
  f=$(grep -Eo '^\[  FAILED  \] [0-9]+ tests?,' "$log" | tail -1 | awk '{print $4}')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  if [ -z "$p" ] && [ -z "$f" ]; then failed=$((failed + 1)); fi  # it did not run to the end
}
api_sqlite_binary=build/o4o
if [ "${O4O_SANITIZERS:-1}" != "0" ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  for san in asan tsan; do
    flags=address,undefined
    tests=o4o_unit_tests
    targets=(o4o "$tests")
    [ "$san" = tsan ] && flags=thread && tests=o4o_concurrent_tests && targets=("$tests")
    echo "==> $san build"
    start=$(date +%s)
    if cmake -S . -B "build-$san" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DO4O_WERROR="$O4O_WERROR" \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_UNITY_BUILD=ON \
        -DCMAKE_UNITY_BUILD_BATCH_SIZE=12 -DO4O_SANITIZE="$flags" >"$logdir/$san-build.log" 2>&1 &&
      cmake --build "build-$san" -j"${O4O_JOBS:-2}" --target "${targets[@]}" >>"$logdir/$san-build.log" 2>&1; then
      echo "==> $tests under $san (built in $(( $(date +%s) - start )) s)"
      "build-$san/$tests" >"$logdir/$san-unit.log" 2>&1 || status=1
      grep -E '^\[  (PASSED|FAILED)  \]|ERROR: (Address|Thread|Leak)Sanitizer|runtime error' "$logdir/$san-unit.log" | head -20
      count_gtest "$logdir/$san-unit.log"
      [ "$san" = asan ] && api_sqlite_binary="build-asan/o4o"
    else
      echo "FAIL $san build (log: $logdir/$san-build.log)"
      grep -E 'error' "$logdir/$san-build.log" | head -10
      failed=$((failed + 1))
      status=1
    fi
  done
fi

for db in sqlite postgres; do
  echo "==> API and MCP tests on $db"
  binary=build/o4o
  [ "$db" = sqlite ] && binary=$api_sqlite_binary && echo "    (server: $binary)"
  if O4O_BINARY="$(pwd)/$binary" O4O_TEST_DB=$db node --test --test-concurrency=2 --test-timeout=300000 tests/api/ tests/mcp/ >"$logdir/api-$db.log" 2>&1; then :; else status=1; fi
  grep -E '^not ok|^# (tests|pass|fail|duration)' "$logdir/api-$db.log" | head -40
  grep -q '^not ok' "$logdir/api-$db.log" && sed -n '/^not ok/,/^ok/p' "$logdir/api-$db.log" | head -150
  count_node "$logdir/api-$db.log"
done

# Read replicas on a real primary + streaming replica pair made for the run (about 30 s). The
# whole API suite against the pair takes several minutes: tests/replica/run.sh without
# --replica-only (README "Read replicas").
echo "==> read replicas (tests/replica/run.sh --replica-only)"
if bash tests/replica/run.sh --replica-only >"$logdir/replica.log" 2>&1; then :; else status=1; fi
grep -E '^not ok|^# (tests|pass|fail|duration)' "$logdir/replica.log" | head -20
grep -q '^not ok' "$logdir/replica.log" && sed -n '/^not ok/,/^ok/p' "$logdir/replica.log" | head -100
count_node "$logdir/replica.log"
grep -q '^# pass' "$logdir/replica.log" || { failed=$((failed + 1)); tail -5 "$logdir/replica.log"; }

echo "==> delivery checks (compose, workflows, dashboards, alerts, /metrics)"
if node --test --test-concurrency=2 --test-timeout=300000 tests/deploy/ >"$logdir/deploy.log" 2>&1; then :; else status=1; fi
grep -E '^not ok|^# (tests|pass|fail|duration)' "$logdir/deploy.log" | head -20
grep -q '^not ok' "$logdir/deploy.log" && sed -n '/^not ok/,/^ok/p' "$logdir/deploy.log" | head -100
count_node "$logdir/deploy.log"

# libFuzzer targets (fuzz/): each runs for O4O_FUZZ_SECONDS on a copy of its committed seed corpus;
# a crash fails it. fuzz/README.md says how to run one longer.
if [ "${O4O_FUZZ_SECONDS:-10}" != "0" ]; then
  echo "==> fuzz targets (${O4O_FUZZ_SECONDS:-10} s each)"
  if cmake -S fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 >"$logdir/fuzz-build.log" 2>&1 &&
    cmake --build build-fuzz -j"${O4O_JOBS:-2}" >>"$logdir/fuzz-build.log" 2>&1; then
    for dir in fuzz/corpus/*/; do
      name=$(basename "$dir")
      work=$(mktemp -d)
      cp -r "$dir". "$work"/
      seeds=$(ls "$dir" | wc -l)
      start=$(date +%s)
      if "build-fuzz/fuzz_$name" -max_total_time="${O4O_FUZZ_SECONDS:-10}" -max_len=4096 \
          -artifact_prefix="$logdir/fuzz-$name-" "$work" >"$logdir/fuzz-$name.log" 2>&1; then
        echo "ok   fuzz_$name: $(grep -Eo 'Done [0-9]+ runs' "$logdir/fuzz-$name.log" | tail -1), corpus $seeds -> $(ls "$work" | wc -l), $(( $(date +%s) - start )) s"
        passed=$((passed + 1))
      else
        echo "FAIL fuzz_$name (log: $logdir/fuzz-$name.log)"
        grep -E 'ERROR|SUMMARY|runtime error' "$logdir/fuzz-$name.log" | head -5
        failed=$((failed + 1))
        status=1
      fi
      rm -rf "$work"
    done
  else
    echo "FAIL fuzz build (log: $logdir/fuzz-build.log)"
    grep -E 'error' "$logdir/fuzz-build.log" | head -10
    failed=$((failed + 1))
    status=1
  fi
fi

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
