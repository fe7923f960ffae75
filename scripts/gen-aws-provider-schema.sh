#!/usr/bin/env bash
# Regenerates tests/data/aws-provider-schema.json: every argument and nested
# block of every resource and data source of the AWS provider, read from the
# npm package @cdktf/provider-aws that the golden app pins (its version is
# stamped in the file's "bindings" key). Needs node and npm; the tests do not.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
app="$root/golden/payment-migration/app"
cd "$app"
[ -d node_modules/@cdktf/provider-aws ] || npm ci --no-audit --no-fund
node "$root/scripts/gen-aws-provider-schema.mjs" --full node_modules/@cdktf/provider-aws "$root/tests/data/aws-provider-schema.json"
echo "wrote tests/data/aws-provider-schema.json ($(grep -o '"bindings":"[^"]*"' "$root/tests/data/aws-provider-schema.json"))"
