#!/usr/bin/env bash
# Makes a fleet of N stacks (default 1200) under DIR from the synthesized golden
# stacks: each a real cdktf output, given its own environment suffix so that no
# two files are the same.
set -euo pipefail
dir=${1:?usage: make_fleet.sh DIR [N]}
n=${2:-1200}
root=$(cd "$(dirname "$0")/.." && pwd)
mapfile -t stacks < <(ls "$root"/golden/payment-migration/stacks/*/cdk.tf.json)
rm -rf "$dir"
for ((i = 0; i < n; i++)); do
  src=${stacks[$((i % ${#stacks[@]}))]}
  team=$(printf 'team%03d' $((i / 100)))
  name=$(printf 'stack%04d' "$i")
  mkdir -p "$dir/$team/$name"
  sed "s/-dev\"/-e$i\"/g; s/-dev\\./-e$i./g" "$src" > "$dir/$team/$name/cdk.tf.json"
done
echo "made $n stacks under $dir ($(du -sh "$dir" | cut -f1))"
