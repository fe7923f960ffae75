#!/usr/bin/env bash
# Fuzzes tfmend for SECONDS (default 60): builds the libFuzzer target
# (tests/fuzz/fuzz_stack.cc) with clang 16 (14 lacks C++20 lambda captures of
# structured bindings), ASan and UBSan into build-fuzz/,
# replays the inputs that once crashed it (tests/fuzz/regressions/), then
# mutates the golden stacks. A crash fails the script and leaves its input in
# build-fuzz/crashes/. TFMEND_FUZZ_SEED fixes the mutations (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=""
for p in clang-16 libclang-rt-16-dev; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=-gline-tables-only -DCMAKE_CXX_COMPILER=clang++-16 \
  -DTFMEND_FUZZ=ON -DTFMEND_TESTS=OFF >/dev/null
cmake --build build-fuzz --target tfmend_fuzz
mkdir -p build-fuzz/corpus build-fuzz/seeds build-fuzz/crashes
for f in golden/payment-migration/stacks/*/cdk.tf.json; do
  cp "$f" "build-fuzz/seeds/$(basename "$(dirname "$f")").tf.json"
done
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if compgen -G "tests/fuzz/regressions/*" >/dev/null; then
  ./build-fuzz/tfmend_fuzz -runs=1 tests/fuzz/regressions/*
fi
./build-fuzz/tfmend_fuzz -seed="${TFMEND_FUZZ_SEED:-0}" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -max_len=200000 \
  -dict=tests/fuzz/terraform.dict -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 \
  build-fuzz/corpus build-fuzz/seeds
