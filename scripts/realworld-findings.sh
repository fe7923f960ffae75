#!/usr/bin/env bash
# Prints every finding tfmend makes on the real-world corpus (tests/realworld),
# in both configurations the corpus test checks (defaults, --require-cmk), as
# one JSON object a line with the key tests/realworld/labels.json uses:
# stack, rule, address, pointer; plus message, fix or no_fix_reason. For
# labelling: every finding needs a label (right, wrong, preference) and a why.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TFMEND:-$root/build/tfmend}
cd "$root/tests/realworld"
for config in default require-cmk; do
  flags=(--isolated --format jsonl --no-progress -j 1)
  [ "$config" = require-cmk ] && flags+=(--require-cmk)
  "$bin" check "${flags[@]}" . | python3 -c '
import json, sys
config = sys.argv[1]
for line in sys.stdin:
    f = json.loads(line)
    stack = f["path"].split("/")[1] if f["path"].startswith("./") else f["path"].split("/")[0]
    for g in f["findings"]:
        print(json.dumps({"config": config, "stack": stack, "rule": g["rule"], "address": g["address"], "pointer": g["pointer"],
                          "message": g["message"], "fix": (g["fix"] or {}).get("title"), "no_fix_reason": g.get("no_fix_reason"),
                          "file": "tests/realworld/" + f["path"].lstrip("./")}))
' "$config" || true
done
