"""Split the corpus by report into train / dev / test, once.

    python corpus/scripts/make_splits.py            # writes corpus/splits.json (refuses to overwrite)

Near-copies stay with the report they were copied or derived from. Groups are shuffled with a fixed seed within
strata of (form, band) and dealt 65 / 15 / 20. The test split is then frozen: its report ids and a hash of their
texts are recorded, and tests/test_corpus.py fails if they change. Reports added later go to train or dev only
(``--extend``), never to test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent
REPORTS = CORPUS / "data" / "reports.jsonl"
SPLITS = CORPUS / "splits.json"
SEED = 20261123
SHARES = (("train", 0.65), ("dev", 0.15), ("test", 0.20))


def group_of(record: dict) -> str:
    """The report a near-copy or derived item belongs with."""
    return record.get("copied_from") or record["provenance"].get("derived_from") or record["id"]


def test_hash(records: list[dict], test_ids: list[str]) -> str:
    """Hash of the test split: its ids and the sha256 of each text, in id order."""
    by_id = {r["id"]: r for r in records}
    lines = [f"{i}\t{by_id[i]['text_sha256']}" for i in sorted(test_ids)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def make(records: list[dict]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for record in records:
        groups[group_of(record)].append(record["id"])
    by_id = {r["id"]: r for r in records}
    strata: dict[tuple[str, str], list[str]] = defaultdict(list)
    for root in sorted(groups):
        anchor = by_id.get(root, by_id[groups[root][0]])
        strata[(anchor["form"], anchor["band"])].append(root)
    rng = random.Random(SEED)
    splits: dict[str, list[str]] = {name: [] for name, _ in SHARES}
    for key in sorted(strata):
        roots = strata[key]
        rng.shuffle(roots)
        bounds, total = [], 0.0
        for _, share in SHARES:
            total += share
            bounds.append(round(total * len(roots)))
        start = 0
        for (name, _), end in zip(SHARES, bounds, strict=True):
            for root in roots[start:end]:
                splits[name].extend(groups[root])
            start = end
    return {name: sorted(ids) for name, ids in splits.items()}


def extend(records: list[dict], existing: dict) -> dict:
    """Add reports that are in no split yet to train or dev (with their group if it has one), never to test."""
    placed = {i: name for name in ("train", "dev", "test") for i in existing[name]}
    rng = random.Random(SEED + len(placed))
    for record in records:
        if record["id"] in placed:
            continue
        home = placed.get(group_of(record))
        if home == "test":
            raise SystemExit(f"{record['id']} derives from a test report: it cannot be added")
        name = home or ("dev" if rng.random() < 0.2 else "train")
        existing[name].append(record["id"])
        placed[record["id"]] = name
    for name in ("train", "dev"):
        existing[name] = sorted(existing[name])
    return existing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extend", action="store_true", help="place new reports in train/dev; test stays as is")
    args = parser.parse_args(argv)
    records = [json.loads(line) for line in REPORTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    if SPLITS.exists() and not args.extend:
        print(f"{SPLITS} exists: the split is fixed once (use --extend to place new reports)", file=sys.stderr)
        return 1
    if args.extend:
        data = extend(records, json.loads(SPLITS.read_text(encoding="utf-8")))
    else:
        data = {**make(records), "seed": SEED}
        data["test_sha256"] = test_hash(records, data["test"])
    SPLITS.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print({name: len(data[name]) for name in ("train", "dev", "test")})
    return 0


if __name__ == "__main__":
    sys.exit(main())
