#!/usr/bin/env bash
# Installs what tfmend needs on Debian 12 (as root, or with sudo) and builds the
# binary into build/tfmend. Safe to run again. The tests are built by
# scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
pkgs="g++ cmake ninja-build git patch nlohmann-json3-dev libcli11-dev libdtl-dev libspdlog-dev libtomlplusplus-dev libgtest-dev libgmock-dev"
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target tfmend
