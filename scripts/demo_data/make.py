"""Rebuild socialcrm/data/demo_mentions.jsonl from the hand-written posts beside this file.

    python3 scripts/demo_data/make.py

The output is deterministic (ids and author ids are derived from hashes), so a
rebuild without edits reproduces the committed file byte for byte.
"""

import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True

import build  # noqa: E402
import p_kavra  # noqa: E402, F401
import p_nimbus  # noqa: E402, F401
import p_voltride  # noqa: E402, F401

out, lines = build.build()
target = HERE.parents[1] / "socialcrm" / "data" / "demo_mentions.jsonl"
target.write_text("\n".join(lines) + "\n", encoding="utf-8")
print(f"{len(lines)} mentions -> {target}")
for field in ("platform", "brand"):
    print(field, dict(Counter(r[field] for r in out)))
for field in ("language", "intent", "sentiment"):
    print(field, dict(Counter(r["gold"][field] for r in out)))
print("risk", dict(Counter(x for r in out for x in r["gold"]["risk"])))
