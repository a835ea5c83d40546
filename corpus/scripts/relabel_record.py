"""Write a relabel record (``corpus/second_pass/relabel-*.jsonl``) from decided changes, with the unit's text and
current tags taken from the corpus, so that ``relabel.py`` can apply it and ``second_pass.py`` can re-judge it.

    python corpus/scripts/relabel_record.py decisions.py corpus/second_pass/relabel-2026-12.jsonl \\
        [--candidates candidates.jsonl]

``decisions.py`` defines ``CHANGES``: (report id, the opening of the unit's text, new tags, GUIDELINES rule).
With ``--candidates`` (the output of ``relabel_candidates.py``), each change also records what flagged the unit.
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent
REPORTS = CORPUS / "data" / "reports.jsonl"


def tags_of(unit: dict) -> str:
    """A corpus unit's labels as authored tags (``-`` for none)."""
    parts = ["G"] * unit["generic"]
    if unit["evasion_kinds"]:
        parts.append(f"E:{','.join(sorted(unit['evasion_kinds']))}")
    parts += ["R"] * unit["responsibility"]
    return " ".join(parts) or "-"


def find_unit(record: dict, opening: str) -> tuple[int, dict]:
    """The one content unit of ``record`` whose text starts with (or, failing that, contains) ``opening``."""
    units = [(i, u) for i, u in enumerate(record["units"]) if not u["structural"]]
    for test in (str.startswith, str.__contains__):
        hits = [(i, u) for i, u in units if test(" ".join(record["text"][u["start"] : u["end"]].split()), opening)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise ValueError(f"{record['id']}: {opening!r} matches {len(hits)} units")
    raise ValueError(f"{record['id']}: no unit starts with {opening!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("decisions", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--candidates", type=Path)
    args = parser.parse_args(argv)
    records = {r["id"]: r for r in map(json.loads, REPORTS.read_text(encoding="utf-8").splitlines())}
    flagged = {}
    if args.candidates:
        for row in map(json.loads, args.candidates.read_text(encoding="utf-8").splitlines()):
            flagged[(row["id"], row["unit"])] = row["models"] + [f"pattern: {p}" for p in row["patterns"]]
    rows = []
    for report_id, opening, new, rule in runpy.run_path(str(args.decisions))["CHANGES"]:
        index, unit = find_unit(records[report_id], opening)
        rows.append(
            {
                "id": report_id,
                "unit": index,
                "section": unit["section"],
                "sentence": " ".join(records[report_id]["text"][unit["start"] : unit["end"]].split()),
                "old": tags_of(unit),
                "new": new,
                "rule": rule,
                "flagged_by": flagged.get((report_id, index), []),
            }
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    same = [r for r in rows if r["old"] == r["new"]]
    print(f"{len(rows)} changes → {args.output}; {len(same)} already as decided")
    return 0


if __name__ == "__main__":
    sys.exit(main())
