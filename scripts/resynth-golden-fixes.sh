#!/usr/bin/env bash
# Proves that tfmend's fixes survive `cdktf synth`: for every golden stack with
# failures, `tfmend fix --unsafe-fixes --emit-overrides typescript` writes the
# fixes as cdktf overrides into the golden app; the app re-synthesizes with
# them, and each new stack must equal tfmend's own fixed output (but for the
# list of overrides cdktf records in its "//" metadata) and re-check clean.
# The Python overrides must compile and encode the same overrides.
# Needs node and npm (the app's packages), and python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TFMEND:-$root/build/tfmend}
app="$root/golden/payment-migration/app"
stacks="$root/golden/payment-migration/stacks"
work=$(mktemp -d)
trap 'rm -rf "$work" "$app/src/generated-fixes"' EXIT
cd "$app"
[ -d node_modules/cdktf ] || npm ci --no-audit --no-fund >/dev/null
rm -rf src/generated-fixes dist
mkdir -p src/generated-fixes "$work/fixed" "$work/python"
names=()
for dir in "$stacks"/*/; do
  name=$(basename "$dir")
  [ "$name" = ideal ] && continue
  names+=("$name")
  "$bin" fix --isolated --unsafe-fixes --emit-overrides typescript "src/generated-fixes/$name.ts" "$dir/cdk.tf.json" 2>/dev/null
  "$bin" fix --isolated --unsafe-fixes --emit-overrides python "$work/python/fixes_${name//-/_}.py" "$dir/cdk.tf.json" 2>/dev/null
  mkdir -p "$work/fixed/$name"
  cp "$dir/cdk.tf.json" "$work/fixed/$name/cdk.tf.json"
  "$bin" fix --isolated --unsafe-fixes "$work/fixed/$name/cdk.tf.json" >/dev/null || true
done
npx tsc -p . >/dev/null
node dist/resynth.js "$work/out" >/dev/null
python3 - "$work" "$stacks" "${names[@]}" <<'PY'
import json, os, sys, importlib.util, types, py_compile
work, stacks, names = sys.argv[1], sys.argv[2], sys.argv[3:]

def strip_overrides(doc):
    meta = doc.get("//", {}).get("metadata", {})
    meta.pop("overrides", None)
    return doc

failures = []
for name in names:
    resynth = strip_overrides(json.load(open(f"{work}/out/stacks/{name}/cdk.tf.json")))
    fixed = strip_overrides(json.load(open(f"{work}/fixed/{name}/cdk.tf.json")))
    if resynth != fixed:
        failures.append(f"{name}: the re-synthesized stack differs from tfmend's fixed output")

# The Python overrides: they compile, and they encode what the TypeScript ones did.
ts_log = json.load(open(f"{work}/out/overrides.json"))
py_log = []
fake = types.ModuleType("cdktf")
class TerraformElement:
    def __init__(self, path): self.node = types.SimpleNamespace(path=path)
    @staticmethod
    def is_terraform_element(c): return isinstance(c, TerraformElement)
    def add_override(self, path, value): py_log.append([self.node.path, path, "<remove>" if value is None else value])
class TerraformStack:
    def __init__(self, name, paths):
        elements = [TerraformElement(p) for p in paths]
        self.node = types.SimpleNamespace(id=name, find_all=lambda: elements)
    def add_override(self, path, value): py_log.append(["stack:" + self.node.id, path, "<remove>" if value is None else value])
fake.TerraformElement, fake.TerraformStack = TerraformElement, TerraformStack
sys.modules["cdktf"] = fake
for name in names:
    file = f"{work}/python/fixes_{name.replace('-', '_')}.py"
    py_compile.compile(file, doraise=True)
    doc = json.load(open(f"{stacks}/{name}/cdk.tf.json"))
    paths = [b["//"]["metadata"]["path"] for section in ("resource", "data") for t in doc.get(section, {}).values() for b in t.values()]
    spec = importlib.util.spec_from_file_location(f"fixes_{name}", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.apply_tfmend_fixes(TerraformStack(name, paths))
def by_stack(log):  # the app and the files run the stacks in different orders
    return sorted(log, key=lambda e: e[0].split(":")[-1].split("/")[0])
if by_stack(py_log) != by_stack(ts_log):
    failures.append(f"the Python overrides ({len(py_log)}) differ from the TypeScript ones ({len(ts_log)})")
for f in failures: print("FAIL:", f)
print(f"{len(names)} stacks re-synthesized with {len(ts_log)} overrides; {len(failures)} failures")
sys.exit(1 if failures else 0)
PY
# The re-synthesized stacks re-check clean.
for name in "${names[@]}"; do
  "$bin" check --isolated --quiet "$work/out/stacks/$name/cdk.tf.json" || { echo "FAIL: $name does not re-check clean"; exit 1; }
done
echo "every re-synthesized stack re-checks clean"
