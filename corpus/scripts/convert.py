"""Convert the corpus to and from the formats annotation tools import, so researchers can relabel it there.

    python corpus/scripts/convert.py to-doccano      corpus/data/reports.jsonl out.jsonl
    python corpus/scripts/convert.py from-doccano    out.jsonl corpus/data/reports.jsonl relabelled.jsonl
    python corpus/scripts/convert.py to-labelstudio  corpus/data/reports.jsonl tasks.json   (+ tasks.config.xml)
    python corpus/scripts/convert.py from-labelstudio export.json corpus/data/reports.jsonl relabelled.jsonl

Spans carry character offsets into the NFC text. Labels: ``generic``, ``evasive:<kind>`` (one span per kind),
``responsibility``, and ``section:<id>`` over each gold section (for checking, not usually relabelled). Importing
back keeps the corpus record (units, metadata, provenance) and replaces each unit's labels by those of the spans
that cover it (a span covers a unit when it overlaps more than half of the unit).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nlp.annotation_formats import doccano_items as to_doccano
from nlp.annotation_formats import label_studio_config as label_config
from nlp.annotation_formats import label_studio_tasks as to_labelstudio
from nlp.annotation_formats import unit_spans

__all__ = [
    "apply_spans",
    "from_doccano",
    "from_labelstudio",
    "label_config",
    "to_doccano",
    "to_labelstudio",
    "unit_spans",
]


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def apply_spans(record: dict, spans: list[tuple[int, int, str]]) -> dict:
    """A copy of ``record`` whose unit labels come from ``spans``."""
    updated = json.loads(json.dumps(record))
    for unit in updated["units"]:
        length = max(unit["end"] - unit["start"], 1)
        covering = [
            label for start, end, label in spans if (min(end, unit["end"]) - max(start, unit["start"])) * 2 > length
        ]
        kinds = sorted({label.split(":", 1)[1] for label in covering if label.startswith("evasive:")})
        unit["generic"] = "generic" in covering
        unit["evasive"] = bool(kinds) or "evasive" in covering
        unit["evasion_kinds"] = kinds
        unit["responsibility"] = "responsibility" in covering
        if unit["generic"] or unit["evasive"]:
            unit["structural"] = False
    updated["evidence"] = [{"start": u["start"], "end": u["end"]} for u in updated["units"] if u["responsibility"]]
    return updated


def from_doccano(items: list[dict], records: list[dict]) -> list[dict]:
    by_id = {r["id"]: r for r in records}
    updated = []
    for item in items:
        record = by_id[item["id"]]
        if item["text"] != record["text"]:
            raise ValueError(f"{item['id']}: the text was edited in the tool; only labels may change")
        spans = [(int(s), int(e), str(label)) for s, e, label in item.get("label", item.get("labels", []))]
        updated.append(apply_spans(record, spans))
    return updated


def from_labelstudio(tasks: list[dict], records: list[dict]) -> list[dict]:
    """Read a Label Studio JSON export (annotations first, else predictions)."""
    by_id = {r["id"]: r for r in records}
    updated = []
    for task in tasks:
        record = by_id[task["data"]["report_id"]]
        if task["data"]["text"] != record["text"]:
            raise ValueError(f"{record['id']}: the text was edited in the tool; only labels may change")
        layers = task.get("annotations") or task.get("predictions") or [{"result": []}]
        spans = [
            (r["value"]["start"], r["value"]["end"], label)
            for r in layers[0]["result"]
            if r.get("type") == "labels"
            for label in r["value"]["labels"]
        ]
        updated.append(apply_spans(record, spans))
    return updated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["to-doccano", "from-doccano", "to-labelstudio", "from-labelstudio"])
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "to-doccano":
        write_jsonl(args.paths[1], to_doccano(read_jsonl(args.paths[0])))
    elif args.command == "from-doccano":
        write_jsonl(args.paths[2], from_doccano(read_jsonl(args.paths[0]), read_jsonl(args.paths[1])))
    elif args.command == "to-labelstudio":
        target = args.paths[1]
        target.write_text(json.dumps(to_labelstudio(read_jsonl(args.paths[0])), ensure_ascii=False), encoding="utf-8")
        target.with_suffix(".config.xml").write_text(label_config(), encoding="utf-8")
    else:
        tasks = json.loads(args.paths[0].read_text(encoding="utf-8"))
        write_jsonl(args.paths[2], from_labelstudio(tasks, read_jsonl(args.paths[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
