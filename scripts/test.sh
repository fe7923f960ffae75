#!/usr/bin/env bash
# Builds and runs the whole test suite: once as built, once under ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --build build
# CI also renders the HTML report in headless Chromium (the test skips without it).
if [ "${CI:-}" = true ] && ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null || echo "chromium not installed; the HTML rendering test will skip"
fi
ctest --test-dir build --output-on-failure -j "$(nproc)"
if [ "${TFMEND_SKIP_SANITIZERS:-0}" != 1 ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTFMEND_SANITIZE=ON >/dev/null
  cmake --build build-asan
  # The cdktf re-synthesis proof spends its time in node and tsc, not in
  # tfmend: it runs once, in the plain build above.
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j "$(nproc)" \
    -E '^Overrides\.FixesSurviveCdktfSynth$'
fi
