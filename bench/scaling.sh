#!/usr/bin/env bash
# How tfmend scales with the size of one stack: COPIES copies of the model
# output side by side in one file (bench/big_stack.py), checked and fixed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TFMEND:-$root/build/tfmend}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%10s %8s %10s %9s %10s %9s\n' resources MB check-s check-MB fix-s fix-MB
for copies in ${@:-25 50 100 200}; do
  python3 "$root/bench/big_stack.py" "$copies" "$work/big.tf.json" > "$work/made"
  resources=$(grep -o '[0-9]* resources' "$work/made" | cut -d' ' -f1)
  mb=$(du -m "$work/big.tf.json" | cut -f1)
  /usr/bin/time -f '%e %M' -o "$work/c" "$bin" check --isolated --no-cache -q "$work/big.tf.json" >/dev/null || true
  /usr/bin/time -f '%e %M' -o "$work/f" "$bin" fix --isolated -q --unsafe-fixes "$work/big.tf.json" >/dev/null || true
  read -r cs cm < <(tail -1 "$work/c")
  read -r fs fm < <(tail -1 "$work/f")
  printf '%10s %8s %10s %9d %10s %9d\n' "$resources" "$mb" "$cs" $((cm / 1024)) "$fs" $((fm / 1024))
done
