"""Compare the sentence classifiers on the frozen test split, in one run: accuracy and per-report time.

    python corpus/scripts/compare_models.py [--split test] [--models rules linear-text-v1 linear-v1 e5-v1]
        [--kinds] [--save figures.json] [--corpus reports.jsonl --splits splits.json]

Prints a Markdown table (pasted into docs/EVALUATION.md) of sentence F1 (generic, evasive), evasion sub-kind
macro-F1, band and accountability accuracy, calibration error, and the median analysis time per report relative
to the rules-only pipeline measured in the same run; ``--kinds`` adds a table of F1 per evasion sub-kind, ``--save``
writes every classifier's full summary and timing as JSON; ``--corpus`` and ``--splits`` read another version of
the corpus (e.g. the dev split as labelled before a relabelling pass). Nothing is tuned here: thresholds were fixed on dev by
``kiemdiem train``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from nlp import analyze
from nlp.evaluate import evaluate
from nlp.model import available_models, load_classifier
from nlp.model.corpus import DEFAULT_CORPUS, DEFAULT_SPLITS, reports_in


def run(name: str, records: list[dict]) -> tuple[dict, float]:
    classifier = load_classifier(name)
    analyze(records[0]["text"], classifier=classifier)  # load and warm
    results, times = [], []
    for record in records:
        start = time.perf_counter()
        result = analyze(record["text"], classifier=classifier)
        times.append(time.perf_counter() - start)
        results.append(json.loads(result.model_dump_json()))
    return evaluate(records, results).summary(), statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test")
    parser.add_argument("--models", nargs="*", default=None)
    parser.add_argument("--kinds", action="store_true", help="also print F1 per evasion sub-kind")
    parser.add_argument("--save", type=Path, default=None, help="write the summaries and timings as JSON")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the corpus JSONL")
    parser.add_argument("--splits", type=Path, default=DEFAULT_SPLITS, help="its splits.json")
    args = parser.parse_args(argv)
    records = reports_in(args.split, args.corpus, args.splits)
    names = args.models or available_models()
    rows = {name: run(name, records) for name in names}
    baseline = rows["rules"][1] if "rules" in rows else None
    print(f"{args.split} split: {len(records)} reports, {rows[names[0]][0]['content_units']} content units\n")
    print(
        "| classifier | generic P / R / F1 | evasive P / R / F1 | sub-kind macro F1 | band acc. | accountability acc. "
        "| ECE generic / evasive | ms per report | × rules |"
    )
    print("|---|---|---|---:|---:|---:|---|---:|---:|")
    for name, (summary, median) in rows.items():
        g, e = summary["sentence"]["generic"], summary["sentence"]["evasive"]
        kinds = [k["f1"] for k in summary["evasion_kinds"].values() if k["support"]]
        macro = sum(kinds) / len(kinds) if kinds else 0.0
        ratio = f"{median / baseline:.2f}" if baseline else "–"
        print(
            f"| {name} | {g['precision']:.3f} / {g['recall']:.3f} / **{g['f1']:.3f}** "
            f"| {e['precision']:.3f} / {e['recall']:.3f} / **{e['f1']:.3f}** | {macro:.3f} "
            f"| {summary['band_accuracy']:.3f} | {summary['accountability_accuracy']:.3f} "
            f"| {summary['calibration_error']['generic']:.3f} / {summary['calibration_error']['evasive']:.3f} "
            f"| {median * 1000:.0f} | {ratio} |"
        )
    if args.kinds:
        print()
        print(kinds_table(rows))
    if args.save is not None:
        figures = {name: {"summary": summary, "median_seconds": median} for name, (summary, median) in rows.items()}
        args.save.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


def kinds_table(rows: dict[str, tuple[dict, float]]) -> str:
    """F1 per evasion sub-kind present in the split (support from gold), one column per classifier."""
    kinds = sorted({k for summary, _ in rows.values() for k, c in summary["evasion_kinds"].items() if c["support"]})
    lines = [f"| sub-kind (support) | {' | '.join(rows)} |", "|---|" + "---:|" * len(rows)]
    for kind in kinds:
        support = next(s["evasion_kinds"][kind]["support"] for s, _ in rows.values() if kind in s["evasion_kinds"])
        cells = [f"{s['evasion_kinds'].get(kind, {}).get('f1', 0.0):.3f}" for s, _ in rows.values()]
        lines.append(f"| {kind} ({support}) | {' | '.join(cells)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
