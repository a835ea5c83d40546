"""The second, independent annotation pass and its agreement with the first (Cohen's kappa).

    python corpus/scripts/second_pass.py export b1-004 b2-010 …   # task files, without the first pass's labels
    python corpus/scripts/second_pass.py kappa                     # agreement per label → corpus/second_pass/agreement.json
    python corpus/scripts/second_pass.py export-relabel corpus/second_pass/relabel-2026-12.jsonl   # blind re-judging
    python corpus/scripts/second_pass.py kappa-relabel corpus/second_pass/relabel-2026-12.jsonl

A task file lists the content units of one report, numbered, with the section each is in; the second annotator
writes ``labels/<id>.tsv`` with one line per unit: ``<number>\\t<tags>``, tags as in AUTHORING.md without the
brackets (``G``, ``E:hedge``, ``G E:agentless``, ``R``) or ``-`` for none. Units are the same as in the corpus
(the pipeline's segmentation), so the two passes are compared unit by unit.
"""

from __future__ import annotations

import argparse
import json
import random
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


RELABEL_SEED = 20261206
DISTRACTOR_SECTIONS = {"shortcomings", "causes", "collective_responsibility", "remedies", "duties", "ideology_ethics"}


def _relabel_dir(record_path: Path) -> Path:
    return PASS_DIR / record_path.stem


def export_relabel(record_path: Path, distractors: int) -> None:
    """A blind task for a relabel pass: the changed units mixed with as many unchanged units of the same sections
    (train/dev authored reports), shuffled, without any label; the key is written apart."""
    changes = [json.loads(x) for x in record_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    records = _records()
    changed = {(c["id"], c["unit"]) for c in changes}
    rng = random.Random(RELABEL_SEED)
    pool = [
        (r["id"], i)
        for r in records.values()
        if r["provenance"]["source"] == "authored" and r["id"] in {c["id"] for c in changes}
        for i, u in enumerate(r["units"])
        if not u["structural"] and u["section"] in DISTRACTOR_SECTIONS and (r["id"], i) not in changed
    ]
    items = [(c["id"], c["unit"], "changed") for c in changes]
    items += [(i, n, "unchanged") for i, n in rng.sample(pool, min(distractors, len(pool)))]
    rng.shuffle(items)
    folder = _relabel_dir(record_path)
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["# number, report (read its text in corpus/data/reports.jsonl), role, section, unit", ""]
    key = []
    for number, (report_id, index, kind) in enumerate(items, 1):
        record, unit = records[report_id], records[report_id]["units"][index]
        text = " ".join(record["text"][unit["start"] : unit["end"]].split())
        lines.append(f"{number}\t{report_id}\t{record['role']}\t[{unit['section']}]\t{text}")
        key.append({"number": number, "id": report_id, "unit": index, "kind": kind})
    (folder / "tasks.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "key.jsonl").write_text("".join(json.dumps(k) + "\n" for k in key), encoding="utf-8")
    print(
        f"{len(items)} units ({len(changes)} changed) in {folder / 'tasks.txt'}; labels go to {folder / 'labels.tsv'}"
    )


def _agreement(first: list[set[str]], second: list[set[str]], names: list[str]) -> dict:
    result = {}
    for name in names:
        a = [name in x for x in first]
        b = [name in x for x in second]
        if not any(a) and not any(b):
            continue
        same = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
        kappa_value = float(cohen_kappa_score(a, b)) if len(set(a) | set(b)) > 1 else 1.0
        result[name] = {"kappa": round(kappa_value, 3), "agreement": round(same, 3), "first": sum(a), "second": sum(b)}
    return result


def _label_set(tags: str) -> set[str]:
    parsed = parse_tags(tags)
    return {k for k in ("generic", "evasive", "responsibility") if parsed[k]} | parsed["kinds"]


def kappa_relabel(record_path: Path) -> dict:
    """Agreement of the blind re-judging with the new tags and with the old ones, on the changed units (and, as a
    check, with the gold of the unchanged units mixed in)."""
    folder = _relabel_dir(record_path)
    changes = {(c["id"], c["unit"]): c for c in map(json.loads, record_path.read_text(encoding="utf-8").splitlines())}
    key = {k["number"]: k for k in map(json.loads, (folder / "key.jsonl").read_text(encoding="utf-8").splitlines())}
    labels = read_labels(folder / "labels.tsv")
    if set(labels) != set(key):
        raise ValueError("labels.tsv does not cover every task line")
    records = _records()
    names = ["generic", "evasive", "responsibility", *KINDS]
    blind, new, old, blind_rest, gold_rest = [], [], [], [], []
    for number, item in sorted(key.items()):
        parsed = labels[number]
        judged = {k for k in ("generic", "evasive", "responsibility") if parsed[k]} | parsed["kinds"]
        if item["kind"] == "changed":
            change = changes[(item["id"], item["unit"])]
            blind.append(judged)
            new.append(_label_set(change["new"]))
            old.append(_label_set(change["old"]))
        else:
            unit = records[item["id"]]["units"][item["unit"]]
            blind_rest.append(judged)
            gold_rest.append(
                {k for k in ("generic", "evasive", "responsibility") if unit[k]} | set(unit["evasion_kinds"])
            )
    result = {
        "changed_units": len(blind),
        "unchanged_units": len(blind_rest),
        "exact_match_new": sum(a == b for a, b in zip(blind, new, strict=True)),
        "exact_match_old": sum(a == b for a, b in zip(blind, old, strict=True)),
        "changed_vs_new": _agreement(new, blind, names),
        "changed_vs_old": _agreement(old, blind, names),
        "unchanged_vs_gold": _agreement(gold_rest, blind_rest, names),
    }
    (folder / "agreement.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("export").add_argument("ids", nargs="+")
    sub.add_parser("kappa")
    relabel = sub.add_parser("export-relabel")
    relabel.add_argument("record", type=Path)
    relabel.add_argument("--distractors", type=int, default=80)
    sub.add_parser("kappa-relabel").add_argument("record", type=Path)
    args = parser.parse_args(argv)
    if args.command == "export":
        export(args.ids)
    elif args.command == "export-relabel":
        export_relabel(args.record, args.distractors)
    elif args.command == "kappa-relabel":
        print(json.dumps(kappa_relabel(args.record), indent=1))
    else:
        print(json.dumps(kappa(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
