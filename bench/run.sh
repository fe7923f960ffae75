#!/usr/bin/env bash
# The bulk repair benchmark: fixes a fleet of stacks (bench/make_fleet.sh) with
# -j 1 and -j 2, writing fixed copies to a scratch folder, and prints files per
# second, MB per second and peak memory (GNU time's maximum resident set size).
# Numbers are written down in docs/performance.md, not asserted by any test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TFMEND:-$root/build/tfmend}
n=${1:-1200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash "$root/bench/make_fleet.sh" "$work/fleet" "$n" >/dev/null
bytes=$(du -sb "$work/fleet" | cut -f1)
files=$(find "$work/fleet" -name '*.tf.json' | wc -l)
printf '%s files, %.1f MB, tfmend %s, %s cores\n' "$files" "$(echo "$bytes / 1048576" | bc -l)" "$("$bin" --version | cut -d' ' -f2)" "$(nproc)"
printf '%-34s %8s %9s %7s %9s\n' mode seconds files/s MB/s peak-MB
for mode in "check" "fix --unsafe-fixes"; do
  for jobs in 1 2; do
    rm -rf "$work/out"
    extra=(--no-cache)
    [ "$mode" = check ] || extra=(--output-dir "$work/out")
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$work/mem" "$bin" $mode --isolated --no-progress -q -j "$jobs" "${extra[@]}" "$work/fleet" >/dev/null || true
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc -l)
    kb=$(tail -1 "$work/mem")
    printf '%-34s %8.2f %9.1f %7.2f %9.1f\n' "$mode -j $jobs" "$secs" "$(echo "$files / $secs" | bc -l)" \
      "$(echo "$bytes / 1048576 / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
  done
done
