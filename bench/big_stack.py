#!/usr/bin/env python3
"""Writes one large stack: COPIES copies of a synthesized golden stack side by
side (each resource renamed, references with it), to measure how tfmend scales
with the size of one stack. Usage: big_stack.py COPIES OUT [STACK]"""
import json
import re
import sys
from pathlib import Path

copies, out = int(sys.argv[1]), Path(sys.argv[2])
root = Path(__file__).resolve().parent.parent
stack = sys.argv[3] if len(sys.argv) > 3 else "model-output"
src = json.loads((root / "golden/payment-migration/stacks" / stack / "cdk.tf.json").read_text())
names = sorted({n for section in ("resource", "data") for t in src.get(section, {}).values() for n in t}, key=len, reverse=True)
pattern = re.compile(r"(?<![A-Za-z0-9_-])(" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z0-9_-])")
text = json.dumps({s: src[s] for s in ("resource", "data") if s in src})
merged = {k: v for k, v in src.items() if k not in ("resource", "data")}
for i in range(copies):
    part = json.loads(pattern.sub(lambda m: f"{m.group(1)}_c{i}", text.replace("-dev\"", f"-dev{i}\"")))
    for section, types in part.items():
        for t, bodies in types.items():
            for body in bodies.values():
                meta = body.get("//", {}).get("metadata")
                if meta:  # construct paths are unique in a real stack
                    meta["path"] += f"-c{i}"
            merged.setdefault(section, {}).setdefault(t, {}).update(bodies)
for section in ("data", "resource"):
    if section in merged:
        merged[section] = {t: dict(sorted(b.items())) for t, b in sorted(merged[section].items())}
merged = dict(sorted(merged.items()))
out.write_text(json.dumps(merged, indent=2))
count = sum(len(b) for t in merged.get("resource", {}).values() for b in [t])
print(f"{out}: {count} resources, {out.stat().st_size / 1048576:.1f} MB")
