#!/usr/bin/env bash
# Every ratio of docs/performance.md in one run, on one core (taskset -c 0):
# tfmend against the floor program (bench/floor.cc: read and parse, plus dump
# for fix) on a fleet and on one big stack, -j 2 against -j 1, growth with the
# stack's size, and peak memory. Each time is the least of REPEAT runs
# (default 3). Prints a table; asserts nothing (the numbers are written down
# in docs/performance.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TFMEND:-$root/build/tfmend}
floor=${FLOOR:-$root/build/tfmend_floor}
[ -x "$floor" ] || cmake --build "$root/build" --target tfmend_floor >/dev/null
n=${FLEET:-1100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
one=(taskset -c 0)
command -v taskset >/dev/null || one=()
# seconds (user+sys) and peak KB of a command: the least time of REPEAT runs
# (default 3; a shared machine only ever adds time), and the largest peak.
measure() {
  local best='' peak=0 u s m t
  for _ in $(seq "${REPEAT:-3}"); do
    /usr/bin/time -f '%U %S %M' -o "$work/t" "$@" >/dev/null 2>&1 || true
    read -r u s m < <(tail -1 "$work/t")
    t=$(echo "$u + $s" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    [ "$m" -gt "$peak" ] && peak=$m
  done
  echo "$best $peak"
}
# wall seconds of a command: the least of REPEAT runs
wall() {
  local best='' s t
  for _ in $(seq "${REPEAT:-3}"); do
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t=$(echo "$(date +%s.%N) - $s" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}
# the least of the number on stdin and $1 (when given)
least() {
  local t
  read -r t
  if [ -n "${1:-}" ] && [ "$(echo "$1 < $t" | bc -l)" = 1 ]; then t=$1; fi
  echo "$t"
}
bash "$root/bench/make_fleet.sh" "$work/fleet" "$n" >/dev/null
mapfile -t files < <(find "$work/fleet" -name '*.tf.json' | sort)
mb=$(du -sm "$work/fleet" | cut -f1)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); tfmend $("$bin" --version | cut -d' ' -f2)"
printf '%-46s %9s %9s %8s %9s\n' work tfmend-s floor-s ratio peak-MB
row() { printf '%-46s %9.2f %9.2f %8.1f %9.1f\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)" "$(echo "$4 / 1024" | bc -l)"; }
read -r ft fm < <(measure "${one[@]}" "$floor" "${files[@]}")
read -r ct cm < <(measure "${one[@]}" "$bin" check --isolated --no-cache -q -j 1 --no-progress "$work/fleet")
row "check -j1, $n stacks ($mb MB)" "$ct" "$ft" "$cm"
read -r fdt fdm < <(measure "${one[@]}" "$floor" --dump "${files[@]}")
read -r xt xm < <(measure "${one[@]}" "$bin" fix --isolated -q -j 1 --no-progress --diff --unsafe-fixes "$work/fleet")
row "fix --diff --unsafe-fixes -j1, same fleet" "$xt" "$fdt" "$xm"
# wall clock for -j1 against -j2, the two in turn (a change of the machine's
# load during the runs then falls on both), the least of REPEAT rounds each
w1='' w2=''
for _ in $(seq "${REPEAT:-3}"); do
  w1=$(REPEAT=1 wall "$bin" check --isolated --no-cache -q -j 1 --no-progress "$work/fleet" | least "$w1")
  w2=$(REPEAT=1 wall "$bin" check --isolated --no-cache -q -j 2 --no-progress "$work/fleet" | least "$w2")
done
printf '%-46s %9.2f %9.2f %8.2f\n' "check wall clock -j1 / -j2 (speed-up)" "$w1" "$w2" "$(echo "$w1 / $w2" | bc -l)"
printf '\n%10s %7s %8s %8s %6s %8s %6s %7s %8s %6s %6s %7s %7s %7s %7s\n' resources MB check-s floor-s ratio fix-s dump-s ratio passes goal t-grow check-MB /input fix-MB /input
prev=''
sizes=()
for copies in ${COPIES:-25 50 100 200}; do
  python3 "$root/bench/big_stack.py" "$copies" "$work/big.tf.json" > "$work/made"
  cp "$work/big.tf.json" "$work/big-$copies.tf.json"
  sizes+=("$copies")
  resources=$(grep -o '[0-9]* resources' "$work/made" | cut -d' ' -f1)
  bmb=$(echo "$(stat -c %s "$work/big.tf.json") / 1048576" | bc -l)
  read -r bf bfm < <(measure "${one[@]}" "$floor" "$work/big.tf.json")
  read -r bd bdm < <(measure "${one[@]}" "$floor" --dump "$work/big.tf.json")
  read -r bc bcm < <(measure "${one[@]}" "$bin" check --isolated --no-cache -q "$work/big.tf.json")
  read -r bx bxm < <(measure "${one[@]}" "$bin" fix --isolated -q --unsafe-fixes --diff "$work/big.tf.json")
  # the engine's passes on this stack (the goal for fix is 4x the floor per pass)
  passes=$({ "$bin" fix --isolated -v --unsafe-fixes --diff "$work/big.tf.json" 2>&1 >/dev/null || true; } | grep -o 'settled after [0-9]*' | grep -o '[0-9]*$' || true)
  passes=${passes:-1}
  grow='-'
  [ -n "$prev" ] && grow=$(printf '%.2f' "$(echo "$bx / $prev" | bc -l)")
  prev=$bx
  printf '%10s %7.1f %8.2f %8.2f %6.1f %8.2f %6.2f %7.1f %8s %6s %6s %7.1f %7.1f %7.1f %7.1f\n' "$resources" "$bmb" "$bc" "$bf" "$(echo "$bc / $bf" | bc -l)" \
    "$bx" "$bd" "$(echo "$bx / $bd" | bc -l)" "$passes" "$((4 * passes))x" "$grow" \
    "$(echo "$bcm / 1024" | bc -l)" "$(echo "$bcm / 1024 / $bmb" | bc -l)" "$(echo "$bxm / 1024" | bc -l)" "$(echo "$bxm / 1024 / $bmb" | bc -l)"
done
# Time growth again, with the sizes measured in turn (REPEAT rounds of every
# size, the least of each): a change of the machine's load during the runs
# then falls on every size, where the column above measures each size minutes
# after the one before.
declare -A least_fix
for _ in $(seq "${REPEAT:-3}"); do
  for copies in "${sizes[@]}"; do
    read -r t _ < <(REPEAT=1 measure "${one[@]}" "$bin" fix --isolated -q --unsafe-fixes --diff "$work/big-$copies.tf.json")
    least_fix[$copies]=$(echo "$t" | least "${least_fix[$copies]:-}")
  done
done
line='' prev=''
for copies in "${sizes[@]}"; do
  [ -n "$prev" ] && line+=" $(printf '%.2f' "$(echo "${least_fix[$copies]} / ${least_fix[$prev]}" | bc -l)")"
  prev=$copies
done
echo "fix time growth per doubling, the sizes in turn:$line (seconds:$(for c in "${sizes[@]}"; do printf ' %.2f' "${least_fix[$c]}"; done))"
echo "floor peak memory on the largest stack: $(echo "$bfm / 1024" | bc -l | xargs printf '%.1f') MB (parse), $(echo "$bdm / 1024" | bc -l | xargs printf '%.1f') MB (parse and dump)"
