"""Compare the sentence classifiers on the frozen test split, in one run: accuracy and per-report time.

    python corpus/scripts/compare_models.py [--split test] [--models rules linear-text-v1 linear-v1 e5-v1]

Prints a Markdown table (pasted into docs/EVALUATION.md) of sentence F1 (generic, evasive), evasion sub-kind
macro-F1, band and accountability accuracy, calibration error, and the median analysis time per report relative
to the rules-only pipeline measured in the same run. Nothing is tuned here: thresholds were fixed on dev by
``kiemdiem train``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from nlp import analyze
from nlp.evaluate import evaluate
from nlp.model import available_models, load_classifier
from nlp.model.corpus import reports_in


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
    args = parser.parse_args(argv)
    records = reports_in(args.split)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
