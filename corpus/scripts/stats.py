"""Composition of the corpus as Markdown tables (pasted into DATASHEET.md).

python corpus/scripts/stats.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent


def table(title: str, counts: Counter, header: str = "value") -> str:
    rows = [f"| {header} | reports |", "|---|---:|"]
    rows += [f"| {key} | {n} |" for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))]
    return f"**{title}**\n\n" + "\n".join(rows) + "\n"


def main() -> int:
    records = [
        json.loads(line)
        for line in (CORPUS / "data" / "reports.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    units = [u for r in records for u in r["units"]]
    content = [u for u in units if not u["structural"]]
    splits_path = CORPUS / "splits.json"
    print(
        f"- reports: {len(records)} ({sum(r['provenance']['source'] == 'authored' for r in records)} authored, "
        f"{sum(r['provenance']['source'] == 'derived' for r in records)} derived)"
    )
    print(f"- sentence units: {len(units)} ({len(content)} content units, {len(units) - len(content)} structural)")
    print(
        f"- generic: {sum(u['generic'] for u in content)}, evasive: {sum(u['evasive'] for u in content)}, "
        f"responsibility: {sum(u['responsibility'] for u in content)}"
    )
    print()
    print(table("Form and regime", Counter(f"{r['guidance']} {r['form']} ({r['role']})" for r in records), "form"))
    print(table("Band", Counter(r["band"] for r in records), "band"))
    print(table("Kind of unit", Counter(r["unit_kind"] for r in records), "unit"))
    print(table("Accountability", Counter(r["accountability"] for r in records), "status"))
    print(table("Noise", Counter(n for r in records for n in (r["noise"] or ["none"])), "noise"))
    kinds = Counter(k for u in content for k in u["evasion_kinds"])
    print("**Evasion sub-kinds (units)**\n\n| kind | units |\n|---|---:|")
    for kind, n in kinds.most_common():
        print(f"| {kind} | {n} |")
    if splits_path.exists():
        splits = json.loads(splits_path.read_text(encoding="utf-8"))
        by_id = {r["id"]: r for r in records}
        print("\n**Splits**\n\n| split | reports | content units |\n|---|---:|---:|")
        for name in ("train", "dev", "test"):
            ids = [i for i in splits[name] if i in by_id]
            n_units = sum(1 for i in ids for u in by_id[i]["units"] if not u["structural"])
            print(f"| {name} | {len(ids)} | {n_units} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
