"""Candidates for relabelling: train/dev units whose gold evasion sub-kinds disagree with a model, or that match a
hard-case pattern of GUIDELINES.md (``hard_cases.yaml``).

    KIEMDIEM_TORCH_THREADS=1 python corpus/scripts/relabel_candidates.py --models linear-v1 transformer-v1 \\
        --output /tmp/candidates.jsonl

Only authored reports are listed (derived items follow their source). A candidate is a unit to re-read against
the guidelines, not a label: the relabel itself (``relabel.py``) is applied only where a rule says so.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

from nlp import analyze
from nlp.evaluate import _kinds_in, _match
from nlp.model import load_classifier
from nlp.model.corpus import reports_in

HERE = Path(__file__).resolve().parent
PATTERNS = HERE / "hard_cases.yaml"
CONFUSED = {"deflection", "unnamed_agent", "objective_cause", "agentless", "hedge", "vague_remedy"}


def hard_patterns() -> dict[str, list[re.Pattern[str]]]:
    """The hard-case patterns by name, compiled."""
    data = yaml.safe_load(PATTERNS.read_text(encoding="utf-8"))
    return {name: [re.compile(p) for p in patterns] for name, patterns in data.items()}


def predicted_units(name: str, record: dict) -> list[tuple[set[str], set[str]]]:
    """(labels, evasion kinds) a model predicts for each gold unit of ``record``."""
    result = json.loads(analyze(record["text"], classifier=load_classifier(name)).model_dump_json())
    rows = []
    for unit in record["units"]:
        sentence = _match(result, unit["start"], unit["end"])
        labels = set(sentence["labels"]) if sentence else set()
        kinds = _kinds_in(result, unit["start"], unit["end"]) if "evasive" in labels else set()
        rows.append((labels, kinds))
    return rows


def candidates(records: list[dict], models: list[str]) -> list[dict]:
    patterns = hard_patterns()
    found = []
    for record in records:
        if record["provenance"]["source"] != "authored":
            continue
        predictions = {name: predicted_units(name, record) for name in models}
        for index, unit in enumerate(record["units"]):
            if unit["structural"]:
                continue
            text = " ".join(record["text"][unit["start"] : unit["end"]].split())
            gold = set(unit["evasion_kinds"])
            reasons = []
            for name, rows in predictions.items():
                labels, kinds = rows[index]
                if (gold ^ kinds) & CONFUSED:
                    reasons.append(f"{name}: {sorted(kinds)}")
                elif unit["generic"] != ("generic" in labels) or unit["evasive"] != ("evasive" in labels):
                    reasons.append(f"{name}: {sorted(labels)}")
            hits = [key for key, group in patterns.items() if any(p.search(text.lower()) for p in group)]
            if reasons or hits:
                tags = ["G"] * unit["generic"] + ([f"E:{','.join(unit['evasion_kinds'])}"] if gold else [])
                tags += ["R"] * unit["responsibility"]
                found.append(
                    {
                        "id": record["id"],
                        "unit": index,
                        "section": unit["section"],
                        "text": text,
                        "gold": " ".join(tags) or "-",
                        "models": reasons,
                        "patterns": hits,
                    }
                )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["linear-v1"])
    parser.add_argument("--splits", nargs="+", default=["train", "dev"])
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    records = [r for split in args.splits for r in reports_in(split)]
    rows = candidates(records, args.models)
    with args.output.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} candidate units from {len(records)} reports → {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
