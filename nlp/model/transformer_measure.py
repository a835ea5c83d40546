"""One run that compares sentence classifiers on the same frozen test split (issue 11, part 5): F1 per label and
evasion sub-kind, band and accountability accuracy, calibration error, warm milliseconds per report and cold CLI
seconds, and the install size of the transformer's dependencies.

    python -m nlp.model.transformer_measure linear-v1 transformer-v1 [--out models/transformer-v1/measurements.json]

Timings on a shared machine vary from run to run: compare the models as ratios within one run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "02a-ngan-hang-yeu.txt"


def _folder_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def _package_mb(name: str) -> float | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return _folder_mb(Path(next(iter(spec.submodule_search_locations))))


def measure(names: list[str], split: str = "test", cold_runs: int = 2) -> dict:
    """Accuracy figures, warm and cold cost of each named classifier, in one run."""
    from nlp import analyze
    from nlp.evaluate import evaluate
    from nlp.model import load_classifier
    from nlp.model.corpus import reports_in

    records = reports_in(split)
    out: dict = {
        "split": split,
        "reports": len(records),
        "machine": f"{platform.machine()}, shared 2 cores",
        "models": {},
    }
    for name in names:
        started = time.perf_counter()
        classifier = load_classifier(name)
        load_seconds = time.perf_counter() - started
        analyze(records[0]["text"], classifier=classifier)  # warm-up
        results, times = [], []
        for record in records:
            started = time.perf_counter()
            result = analyze(record["text"], classifier=classifier)
            times.append((time.perf_counter() - started) * 1000)
            results.append(json.loads(result.model_dump_json()))
        cold = []
        for _ in range(cold_runs):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "nlp.cli", "analyze", str(SAMPLE), "--format", "json", "--model", name],
                check=True,
                capture_output=True,
                cwd=ROOT,
            )
            cold.append(time.perf_counter() - started)
        out["models"][name] = {
            "summary": evaluate(records, results).summary(),
            "warm_ms_per_report": {
                "mean": round(statistics.fmean(times), 1),
                "median": round(statistics.median(times), 1),
            },
            "load_seconds": round(load_seconds, 2),
            "cold_cli_seconds": round(min(cold), 2),
        }
    out["install_mb"] = {
        "torch": _package_mb("torch"),
        "transformers": _package_mb("transformers"),
        "tokenizers": _package_mb("tokenizers"),
        "base_model_cache": _base_mb(),
    }
    return out


def _base_mb() -> float | None:
    from nlp.model.e5_base import base_dir

    return _folder_mb(base_dir()) if base_dir().exists() else None


def comparison_markdown(measured: dict) -> str:
    """The comparison table of a :func:`measure` run."""
    names = list(measured["models"])
    rows = [
        ("generic F1", lambda s: s["sentence"]["generic"]["f1"]),
        ("evasive F1", lambda s: s["sentence"]["evasive"]["f1"]),
    ]
    kinds = sorted({k for n in names for k in measured["models"][n]["summary"].get("evasion_kinds", {})})
    for kind in kinds:
        rows.append((f"  sub-kind {kind} F1", lambda s, k=kind: s.get("evasion_kinds", {}).get(k, {}).get("f1", 0.0)))
    rows.append(("  sub-kinds macro F1", lambda s: _macro(s, kinds)))
    rows += [
        ("band accuracy", lambda s: s["band_accuracy"]),
        ("accountability accuracy", lambda s: s["accountability_accuracy"]),
        ("ECE generic", lambda s: s["calibration_error"]["generic"]),
        ("ECE evasive", lambda s: s["calibration_error"]["evasive"]),
    ]
    lines = [
        f"## Comparison ({measured['split']} split, {measured['reports']} reports, one run, {measured['machine']})",
        "",
        "| | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for title, get in rows:
        lines.append(f"| {title} | " + " | ".join(f"{get(measured['models'][n]['summary']):.3f}" for n in names) + " |")
    base = measured["models"][names[0]]
    for title, key, unit in (
        ("warm ms per report (median)", ("warm_ms_per_report", "median"), "ms"),
        ("warm ms per report (mean)", ("warm_ms_per_report", "mean"), "ms"),
    ):
        cells = []
        for n in names:
            value = measured["models"][n][key[0]][key[1]]
            ratio = value / base[key[0]][key[1]] if base[key[0]][key[1]] else 0.0
            cells.append(f"{value:.0f} {unit} (×{ratio:.1f})")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    lines.append(
        "| model load, s | " + " | ".join(f"{measured['models'][n]['load_seconds']:.2f}" for n in names) + " |"
    )
    lines.append(
        "| cold CLI, one report, s | "
        + " | ".join(f"{measured['models'][n]['cold_cli_seconds']:.2f}" for n in names)
        + " |"
    )
    sizes = measured.get("install_mb", {})
    lines += [
        "",
        "Install size of what the transformer adds: "
        + ", ".join(f"{k} {v} MB" for k, v in sizes.items() if v is not None)
        + ". Warm: the classifier loaded once, then `analyze` on every report of the split; cold: a new "
        "`kiemdiem analyze --format json --model NAME` process on examples/02a-ngan-hang-yeu.txt (best of runs). "
        "The machine is shared: compare within the run (ratios to the first column).",
    ]
    return "\n".join(lines)


def _macro(summary: dict, kinds: list[str]) -> float:
    values = [summary.get("evasion_kinds", {}).get(k, {}).get("f1", 0.0) for k in kinds]
    supported = [
        v for k, v in zip(kinds, values, strict=True) if summary.get("evasion_kinds", {}).get(k, {}).get("support", 0)
    ]
    return sum(supported) / len(supported) if supported else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="+")
    parser.add_argument("--split", default="test")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "transformer-v1" / "measurements.json")
    args = parser.parse_args()
    measured = measure(args.models, args.split)
    args.out.write_text(json.dumps(measured, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(comparison_markdown(measured))


if __name__ == "__main__":
    main()
