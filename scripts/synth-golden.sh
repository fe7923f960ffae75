#!/usr/bin/env bash
# Regenerates golden/payment-migration/stacks/*/cdk.tf.json from the cdktf app
# in golden/payment-migration/app (npm cdktf 0.21, @cdktf/provider-aws 21).
# Needs node and npm; the tests themselves do not.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
app="$root/golden/payment-migration/app"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$app"
[ -d node_modules ] || npm ci --no-audit --no-fund
npx tsc -p .
node dist/main.js "$out"
dest="$root/golden/payment-migration/stacks"
rm -rf "$dest"
for dir in "$out"/stacks/*/; do
  name=$(basename "$dir")
  mkdir -p "$dest/$name"
  cp "$dir/cdk.tf.json" "$dest/$name/cdk.tf.json"
done
echo "synthesized $(ls "$dest" | wc -l) stacks into ${dest#$root/}"
