"""Benchmark of one-report analysis (``nlp.analyze``), in one run, on the example reports.

    python bench/bench_analyze.py [--repeat 5]
    python bench/bench_analyze.py --baseline /path/to/another/checkout [--repeat 8] [--steady] [--cpu]

Prints, for the shipped .txt examples: the median and p90 time per report (warm, in-process), the same for
underthesea's ``word_tokenize`` alone on the same texts (the floor every analysis pays), their ratio, the layout
stage alone (``nlp.layout.analyse_layout``: unwrap, marks, pieces, prompts) and the section model as shares of the
analysis, the same figures on the examples re-laid as one line and hard-wrapped at 70 characters, the cold
start (a fresh interpreter importing ``nlp`` and analysing one report), and the peak memory. Figures are recorded
in docs/BENCHMARKS.md with the machine described; compare ratios, not absolute times, across machines.

``--baseline`` instead times this checkout and another one in alternating fresh processes (each report's first
analysis in the process; ``--steady``: every report analysed once before the timing) and prints both ratios;
``--cpu`` times them with the process's CPU time instead of the wall clock (on a machine shared with other jobs,
the wall clock also counts the time spent waiting for a core).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


def _texts() -> list[str]:
    texts = []
    for path in EXAMPLES:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue  # legacy-font examples are bytes, measured through ingest elsewhere
    return texts


def _time_each(function, texts: list[str], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            function(text)
            timings.append(time.perf_counter() - start)
    return timings


def _cold_start(example: Path) -> tuple[float, float]:
    code = (
        "import time; t=time.perf_counter(); import nlp; t1=time.perf_counter(); "
        f"nlp.analyze(open({str(example)!r}, encoding='utf-8').read()); t2=time.perf_counter(); "
        "print(t1-t, t2-t1)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    import_s, first_s = (float(x) for x in out.split())
    return import_s, first_s


def _layout_share(texts: list[str], median_a: float, median_t: float, repeat: int) -> None:
    """What the layout stage and the section model cost, as ratios to word_tokenize and shares of the analysis;
    and the analysis of the same reports re-laid (one line; wrapped at 70 characters, as from a PDF)."""
    from underthesea import word_tokenize

    from nlp import analyze
    from nlp.layout import analyse_layout
    from nlp.model.sections import default_section_tagger
    from nlp.normalize import normalize
    from nlp.pipeline import prepare
    from nlp.relayout import one_line, wrap

    normalized = [normalize(t) for t in texts]
    layout = statistics.median(_time_each(analyse_layout, normalized, repeat))
    tagger = default_section_tagger()
    docs = [prepare(t) for t in texts]

    def tag(doc):  # the section model over every unit, as if no heading had decided any
        tagger.predict(
            [u.text for u in doc.units], [u.start / len(doc.text) for u in doc.units], [None] * len(doc.units)
        )

    sections = statistics.median(_time_each(tag, docs, repeat))
    print(
        f"layout stage alone:         median {layout * 1000:7.2f} ms   {layout / median_t:5.2f} × tokenize, "
        f"{100 * layout / median_a:4.1f}% of analyze"
    )
    print(
        f"section model, all units:   median {sections * 1000:7.2f} ms   {sections / median_t:5.2f} × tokenize, "
        f"{100 * sections / median_a:4.1f}% of analyze"
    )
    for name, relaid in (("one line", [one_line(t) for t in texts]), ("wrapped at 70", [wrap(t) for t in texts])):
        analysis = statistics.median(_time_each(analyze, relaid, repeat))
        tokenize = statistics.median(_time_each(lambda t: word_tokenize(normalize(t)), relaid, repeat))
        print(
            f"re-laid, {name + ':':<18} analyze {analysis * 1000:7.1f} ms   ratio to tokenize {analysis / tokenize:5.2f}"
        )


_ROUND = """
import json, statistics, sys, time
from underthesea import word_tokenize
from nlp import analyze
from nlp.normalize import normalize
texts, steady, cpu = json.load(sys.stdin)
clock = time.process_time if cpu else time.perf_counter
for text in texts if steady else texts[:1]:  # steady: every report seen once before the timing
    analyze(text); word_tokenize(text)
analysis, tokenize = [], []
for text in texts:  # each text analysed, then tokenised: both under the same load
    start = clock(); analyze(text); analysis.append(clock() - start)
    start = clock(); word_tokenize(normalize(text)); tokenize.append(clock() - start)
print(json.dumps([analysis, tokenize]))
"""


def _against_baseline(texts: list[str], baseline: Path, rounds: int, steady: bool = False, cpu: bool = False) -> None:
    """The same texts analysed by another checkout (``--baseline``, e.g. the commit before a change) and by this
    one, in alternating fresh processes, so both see the same machine load: medians and ratios to word_tokenize.
    Each process times every report's first analysis (per-word caches still filling, as for a new report in a
    running service); with ``steady`` (``--steady``) every report is analysed once before the timing."""
    import json

    timings: dict[str, tuple[list[float], list[float]]] = {"baseline": ([], []), "this checkout": ([], [])}
    for _ in range(rounds):
        for name, path in (("baseline", baseline), ("this checkout", ROOT)):
            env = {**os.environ, "PYTHONPATH": str(path)}
            out = subprocess.run(
                [sys.executable, "-c", _ROUND],
                input=json.dumps([texts, steady, cpu]),
                capture_output=True,
                text=True,
                env=env,
                check=True,
                cwd=path,
            ).stdout
            analysis, tokenize = json.loads(out)
            timings[name][0].extend(analysis)
            timings[name][1].extend(tokenize)
    medians = {name: (statistics.median(a), statistics.median(t)) for name, (a, t) in timings.items()}
    for name, (analysis, tokenize) in medians.items():
        print(
            f"{name + ':':<15} analyze {analysis * 1000:6.1f} ms, tokenize {tokenize * 1000:6.1f} ms, "
            f"ratio {analysis / tokenize:5.2f}"
        )
    (base_a, base_t), (now_a, now_t) = medians["baseline"], medians["this checkout"]
    print(f"change of the ratio analyze / tokenize: {100 * ((now_a / now_t) / (base_a / base_t) - 1):+.1f}%")


def _compare_models(texts: list[str], args: argparse.Namespace) -> None:
    """Per-report time of each sentence classifier, as a ratio to the rules-only pipeline, in this run."""
    from nlp import analyze
    from nlp.model import available_models, default_model_name, load_classifier

    names = args.models if args.models is not None else available_models()
    rules = load_classifier("rules")
    baseline = statistics.median(_time_each(lambda t: analyze(t, classifier=rules), texts, args.repeat))
    print(f"default classifier: {default_model_name()}")
    print(f"{'classifier':<14}{'median ms':>11}{'vs rules':>10}")
    print(f"{'rules':<14}{baseline * 1000:>11.1f}{1.0:>10.2f}")
    for name in names:
        if name == "rules":
            continue
        classifier = load_classifier(name)
        analyze(texts[0], classifier=classifier)  # load and warm
        repeat = 1 if name.startswith("e5") else args.repeat  # the encoder takes seconds per report
        median = statistics.median(_time_each(lambda t, c=classifier: analyze(t, classifier=c), texts, repeat))
        print(f"{name:<14}{median * 1000:>11.1f}{median / baseline:>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--models", nargs="*", help="classifiers to compare with the rules (default: all shipped)")
    parser.add_argument("--baseline", type=Path, help="another checkout (e.g. `git worktree` of the commit before)")
    parser.add_argument("--steady", action="store_true", help="with --baseline: time reports already seen once")
    parser.add_argument("--cpu", action="store_true", help="with --baseline: the process's CPU time, not wall time")
    args = parser.parse_args()
    if args.baseline:
        _against_baseline(_texts(), args.baseline.resolve(), args.repeat, args.steady, args.cpu)
        return

    import_s, first_s = _cold_start(EXAMPLES[0])
    from underthesea import word_tokenize

    from nlp import analyze
    from nlp.normalize import normalize

    texts = _texts()
    analyze(texts[0])  # warm caches (lexicons, models)
    word_tokenize(texts[0])
    chars = statistics.mean(len(t) for t in texts)
    analysis = _time_each(analyze, texts, args.repeat)
    tokenize = _time_each(lambda t: word_tokenize(normalize(t)), texts, args.repeat)
    median_a, median_t = statistics.median(analysis), statistics.median(tokenize)
    p90_a = statistics.quantiles(analysis, n=10)[-1]

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"reports: {len(texts)} examples (mean {chars:.0f} characters), {args.repeat} rounds")
    print(f"analyze, per report:        median {median_a * 1000:7.1f} ms   p90 {p90_a * 1000:7.1f} ms")
    print(f"word_tokenize alone:        median {median_t * 1000:7.1f} ms")
    print(f"ratio analyze / tokenize:   {median_a / median_t:5.2f}")
    print(f"throughput (one process):   {1 / median_a:6.1f} reports/s")
    print(f"cold start: import nlp {import_s * 1000:.0f} ms, first analysis {first_s * 1000:.0f} ms")
    _layout_share(texts, median_a, median_t, args.repeat)
    _compare_models(texts, args)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process, all classifiers loaded): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
