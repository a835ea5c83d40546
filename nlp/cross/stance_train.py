"""Training the stance model (``models/cross-stance-v1``): ``python -m nlp.cross.stance_train``.

Data: the stance sentences written for it (``corpus/stance/*.jsonl``, one file a writer) and the verdict quotes of
the train and dev linked sets (owned / diffused / denied). The frozen test sets are never read here. Settings (C, the
weight of the sentence vector) are chosen by leaving one stance writer out at a time; the figures printed and kept
in ``metrics.json`` are those held-out writers' accuracies.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from nlp.cross.stance import LABELS, MODEL_DIR, StanceModel, ngrams
from nlp.normalize import normalize

ROOT = Path(__file__).resolve().parents[2]
STANCE_DIR = ROOT / "corpus" / "stance"
LINKED = ROOT / "corpus" / "linked"
GRID_C = (0.5, 1.0, 2.0, 4.0)
GRID_VECTOR = (0.0, 0.5, 1.0)
THRESHOLD_GRID = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)
PRECISION = 0.95


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    author: str
    hard: bool = False


def written_examples(folder: Path = STANCE_DIR) -> list[Example]:
    """The stance sentences of ``corpus/stance``."""
    found = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                found.append(Example(normalize(row["sentence"]), row["label"], row["author"], bool(row.get("hard"))))
    return found


def linked_examples(splits: tuple[str, ...] = ("train", "dev"), root: Path = LINKED) -> list[Example]:
    """The verdict quotes of the linked sets of ``splits`` (never the test split unless asked for by name)."""
    found = []
    for path in sorted(root.glob("L*/set.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("split") not in splits:
            continue
        for item in data.get("collective_shortcomings") or []:
            for verdict in (item.get("verdicts") or {}).values():
                if verdict.get("quote") and verdict["verdict"] in LABELS:
                    found.append(Example(normalize(verdict["quote"]), verdict["verdict"], data["author"]))
    return found


def fit(examples: list[Example], c: float, vector_weight: float) -> StanceModel:
    """A model fitted on ``examples`` (vocabulary: the n-grams seen twice or more)."""
    from sklearn.linear_model import LogisticRegression

    counts = Counter(g for e in examples for g in set(ngrams(e.text)))
    vocabulary = {g: i for i, g in enumerate(sorted(g for g, n in counts.items() if n >= 2))}
    empty = StanceModel(vocabulary, np.zeros((len(LABELS), 0)), np.zeros(len(LABELS)), vector_weight)
    features = empty.features([e.text for e in examples])
    target = np.array([LABELS.index(e.label) for e in examples])
    classifier = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    classifier.fit(features, target)
    weights = np.zeros((len(LABELS), features.shape[1]), dtype=np.float32)
    bias = np.full(len(LABELS), -1e4)  # a label with no example is never given
    classes = list(classifier.classes_)
    if len(classes) == 2:  # one row of coefficients: the second class against the first, the same softmax
        weights[classes[1]], bias[classes[1]], bias[classes[0]] = classifier.coef_[0], classifier.intercept_[0], 0.0
    else:
        for row, label in enumerate(classes):
            weights[label], bias[label] = classifier.coef_[row], classifier.intercept_[row]
    return StanceModel(vocabulary, weights, bias, vector_weight)


def accuracy(model: StanceModel, examples: list[Example]) -> dict:
    """Accuracy overall, on the hard ones, and per gold label; the confusion as gold → predicted counts."""
    if not examples:
        return {"n": 0}
    predicted = [LABELS[i] for i in model.probabilities([e.text for e in examples]).argmax(axis=1)]
    right = [p == e.label for p, e in zip(predicted, examples, strict=True)]
    hard = [r for r, e in zip(right, examples, strict=True) if e.hard]
    per_label = {
        label: round(float(np.mean([r for r, e in zip(right, examples, strict=True) if e.label == label])), 3)
        for label in LABELS
        if any(e.label == label for e in examples)
    }
    confusion = Counter(f"{e.label}→{p}" for p, e in zip(predicted, examples, strict=True) if p != e.label)
    return {
        "n": len(examples),
        "accuracy": round(float(np.mean(right)), 3),
        "hard_accuracy": round(float(np.mean(hard)), 3) if hard else None,
        "per_label": per_label,
        "errors": dict(confusion.most_common()),
    }


def cue_label(text: str) -> str:
    """What the cue lists of ``nlp/data/cross.yaml`` alone say of a sentence (the baseline the model is compared
    with): a denial or a claim of good results, an owning, a shared responsibility, else no stance."""
    from nlp.cross.config import cue
    from nlp.cross.passages import make_passage
    from nlp.cross.verdict import contrary, owns

    said = make_passage(text, "shortcomings")
    if cue("area_denial", said.folded) or contrary(said):
        return "denied"
    if owns(said):
        return "owned"
    if cue("diffuse", said.folded) or said.has("responsibility"):
        return "diffused"
    return "neutral"


def cue_accuracy(examples: list[Example]) -> dict:
    """The baseline's accuracy on ``examples``, as :func:`accuracy` gives the model's."""
    predicted = [cue_label(e.text) for e in examples]
    right = [p == e.label for p, e in zip(predicted, examples, strict=True)]
    return {"n": len(examples), "accuracy": round(float(np.mean(right)), 3) if examples else None}


def leave_one_writer_out(written: list[Example], linked: list[Example], c: float, vector_weight: float) -> dict:
    """Each stance writer held out in turn (the model trained on the other writers and the linked quotes)."""
    figures = {}
    for author in sorted({e.author for e in written}):
        held = [e for e in written if e.author == author]
        rest = [e for e in written if e.author != author] + linked
        figures[author] = accuracy(fit(rest, c, vector_weight), held)
    return figures


def thresholds(written: list[Example], linked: list[Example], c: float, vector_weight: float) -> dict[str, float]:
    """For each stance, the lowest probability (of a grid) at which the held-out writers' sentences read as it are
    right at least ``PRECISION`` of the time: the verdicts trust the model's reading only from there."""
    rows = []
    for author in sorted({e.author for e in written}):
        held = [e for e in written if e.author == author]
        model = fit([e for e in written if e.author != author] + linked, c, vector_weight)
        rows.extend(zip([e.label for e in held], model.probabilities([e.text for e in held]), strict=True))
    found = {}
    for index, label in enumerate(LABELS):
        for cut in THRESHOLD_GRID:
            read = [gold for gold, p in rows if p.argmax() == index and p[index] >= cut]
            if read and np.mean([gold == label for gold in read]) >= PRECISION:
                found[label] = cut
                break
        else:
            found[label] = 1.01  # never trusted
    return found


def _mean(figures: dict) -> float:
    values = [f["accuracy"] for f in figures.values() if f.get("n")]
    return float(np.mean(values)) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.cross.stance_train", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument(
        "--report-on", nargs="*", default=[], metavar="L07",
        help="also print the accuracy on these linked sets' verdict quotes (read for a figure only)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    written, linked = written_examples(), linked_examples()
    print(f"examples: {len(written)} written ({dict(Counter(e.label for e in written))}), {len(linked)} linked quotes")
    grid = {}
    for c in GRID_C:
        for vector_weight in GRID_VECTOR:
            grid[(c, vector_weight)] = leave_one_writer_out(written, linked, c, vector_weight)
            print(
                f"  C {c:<4} vector {vector_weight:<4} held-out writers' accuracy {_mean(grid[(c, vector_weight)]):.3f}"
            )
    c, vector_weight = max(grid, key=lambda k: _mean(grid[k]))
    model = fit(written + linked, c, vector_weight)
    model.thresholds = thresholds(written, linked, c, vector_weight)
    model.save(args.out)
    metrics = {
        "settings": {"C": c, "vector_weight": vector_weight, "vocabulary": len(model.vocabulary)},
        "thresholds": model.thresholds,
        "examples": {"written": len(written), "linked_quotes": len(linked)},
        "held_out_writers": grid[(c, vector_weight)],
    }
    metrics["cue_baseline_on_each_writer"] = {
        author: cue_accuracy([e for e in written if e.author == author])
        for author in sorted({e.author for e in written})
    }
    if args.report_on:
        quotes = [e for e in linked_examples(("test",)) if e.author in _authors(args.report_on)]
        metrics["linked_sets_read_for_a_figure"] = {
            "sets": args.report_on,
            **accuracy(model, quotes),
            "cue_baseline": cue_accuracy(quotes),
        }
    (args.out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(metrics, ensure_ascii=False, indent=1))
    return 0


def _authors(sets: list[str]) -> set[str]:
    return {
        yaml.safe_load((LINKED / s / "set.yaml").read_text(encoding="utf-8"))["author"]
        for s in sets
        if (LINKED / s / "set.yaml").exists()
    }


if __name__ == "__main__":
    raise SystemExit(main())
