"""The second, independent annotation pass and its agreement with the first (Cohen's kappa).

    python corpus/scripts/second_pass.py export b1-004 b2-010 …   # task files, without the first pass's labels
    python corpus/scripts/second_pass.py kappa                     # agreement per label → corpus/second_pass/agreement.json

A task file lists the content units of one report, numbered, with the section each is in; the second annotator
writes ``labels/<id>.tsv`` with one line per unit: ``<number>\\t<tags>``, tags as in AUTHORING.md without the
brackets (``G``, ``E:hedge``, ``G E:agentless``, ``R``) or ``-`` for none. Units are the same as in the corpus
(the pipeline's segmentation), so the two passes are compared unit by unit.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from nlp.catalog import evasion_kinds

CORPUS = Path(__file__).resolve().parent.parent
REPORTS = CORPUS / "data" / "reports.jsonl"
PASS_DIR = CORPUS / "second_pass"
KINDS = evasion_kinds()


def _records() -> dict[str, dict]:
    with REPORTS.open(encoding="utf-8") as handle:
        return {r["id"]: r for r in (json.loads(line) for line in handle if line.strip())}


def content_units(record: dict) -> list[dict]:
    return [u for u in record["units"] if not u["structural"]]


def export(ids: list[str]) -> None:
    records = _records()
    (PASS_DIR / "tasks").mkdir(parents=True, exist_ok=True)
    (PASS_DIR / "labels").mkdir(parents=True, exist_ok=True)
    for report_id in ids:
        record = records[report_id]
        lines = [f"# {report_id}: form {record['form']}, role {record['role']}, {record['guidance']}", ""]
        for number, unit in enumerate(content_units(record), 1):
            text = record["text"][unit["start"] : unit["end"]].replace("\n", " ")
            lines.append(f"{number}\t[{unit['section']}]\t{text}")
        (PASS_DIR / "tasks" / f"{report_id}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(ids)} task files in {PASS_DIR / 'tasks'}")


def parse_tags(tags: str) -> dict:
    parsed = {"generic": False, "evasive": False, "responsibility": False, "kinds": set()}
    for part in tags.split():
        if part == "G":
            parsed["generic"] = True
        elif part == "R":
            parsed["responsibility"] = True
        elif part.startswith("E:"):
            parsed["evasive"] = True
            parsed["kinds"].update(k for k in part[2:].split(",") if k)
        elif part != "-":
            raise ValueError(f"unknown tag {part!r}")
    return parsed


def read_labels(path: Path) -> dict[int, dict]:
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        number, _, tags = line.partition("\t")
        labels[int(number)] = parse_tags(tags.strip() or "-")
    return labels


def _units_of_task(record: dict, task: Path) -> tuple[dict[int, dict], list[int]]:
    """The corpus unit behind each numbered line of a task file, matched by text (robust to re-segmentation and
    to a writer's later edits); lines whose text no longer exists in the corpus are returned apart."""
    units = content_units(record)
    texts = [record["text"][u["start"] : u["end"]].replace("\n", " ") for u in units]
    by_text = dict(zip(texts, units, strict=True))
    matched, dropped = {}, []
    for line in task.read_text(encoding="utf-8").splitlines():
        number, _, rest = line.partition("\t")
        if not number.isdigit():
            continue
        text = rest.partition("\t")[2]
        unit = by_text.get(text) or next(
            (u for t, u in zip(texts, units, strict=True) if text in t or (len(t) > 20 and t in text)), None
        )
        if unit is None:
            dropped.append(int(number))
        else:
            matched[int(number)] = unit
    return matched, dropped


def kappa() -> dict:
    records = _records()
    first: dict[str, list] = {k: [] for k in ("generic", "evasive", "responsibility", *KINDS)}
    second: dict[str, list] = {k: [] for k in first}
    reports = dropped = 0
    for path in sorted((PASS_DIR / "labels").glob("*.tsv")):
        record = records[path.stem]
        labels = read_labels(path)
        units, lost = _units_of_task(record, PASS_DIR / "tasks" / f"{path.stem}.txt")
        if set(labels) != set(units) | set(lost):
            raise ValueError(f"{path.name}: the labels do not cover the task's units")
        reports += 1
        dropped += len(lost)
        for number, unit in units.items():
            other = labels[number]
            for key in ("generic", "evasive", "responsibility"):
                first[key].append(bool(unit[key]))
                second[key].append(other[key])
            for kind in KINDS:
                first[kind].append(kind in unit["evasion_kinds"])
                second[kind].append(kind in other["kinds"])
    result = {"reports": reports, "units": len(first["generic"]), "units_no_longer_in_corpus": dropped, "labels": {}}
    for key in first:
        a, b = first[key], second[key]
        if not any(a) and not any(b):
            continue
        agreement = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
        result["labels"][key] = {
            "kappa": round(float(cohen_kappa_score(a, b)), 3),
            "agreement": round(agreement, 3),
            "first_positive": int(sum(a)),
            "second_positive": int(sum(b)),
        }
    (PASS_DIR / "agreement.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("export").add_argument("ids", nargs="+")
    sub.add_parser("kappa")
    args = parser.parse_args(argv)
    if args.command == "export":
        export(args.ids)
    else:
        print(json.dumps(kappa(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
