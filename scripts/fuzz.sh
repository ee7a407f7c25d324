#!/usr/bin/env bash
# Runs the libFuzzer targets under fuzz/ with AddressSanitizer and UBSan (clang-14, libfuzzer-14-dev).
#   scripts/fuzz.sh [seconds per target, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
out=build-fuzz
mkdir -p "$out"
for t in multipart; do
  clang++-14 -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -Isrc "fuzz/${t}_fuzz.cpp" src/core/multipart.cpp -o "$out/${t}_fuzz"
  mkdir -p "$out/corpus-$t"
  "$out/${t}_fuzz" -max_total_time="$secs" -max_len=4096 "$out/corpus-$t" "fuzz/corpus/$t"
done
