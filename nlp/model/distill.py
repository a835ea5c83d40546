"""Distilling a slow teacher (the fine-tuned transformer or an ensemble with it) into the linear model.

``kiemdiem train --variant linear-distilled --teacher ensemble-v1`` (issue 11, item 4): the teacher's calibrated
per-unit probabilities over the train split — as written and re-laid (``--augment-layouts``; never dev or test) —
are mixed with the gold labels into soft targets ``α·gold + (1−α)·teacher`` for every label the teacher models
(generic, evasive, the evasion sub-kinds). A logistic regression learns a soft target the scikit-learn way: each
unit is given twice, as a positive with sample weight ``s`` and as a negative with weight ``1 − s``, the two
classes re-weighted to equal mass as ``class_weight="balanced"`` does. Its probabilities are then calibrated
against the **gold** labels on out-of-fold decisions (grouped by report, sigmoid), as the linear variant's are,
so the shipped model is an ordinary :class:`~nlp.model.linear.LinearSentenceClassifier` (plain arrays, numpy only
at prediction). α and the thresholds are chosen on dev by :mod:`nlp.model.train`.

The teacher is paid once: the outputs of a model that reads text pairs (the transformer) are cached outside the
repository (``$KIEMDIEM_CACHE/teacher`` or ``~/.cache/kiemdiem/teacher``), one file per model and calibration,
keyed by the hash of the unit's words and its context. A re-laid unit whose words and context are those of a unit
already scored — also with its diacritics dropped (the ``no_diacritics`` copy reads what the teacher read with
accents) — reuses its probabilities. Linear members of an ensemble teacher are cheap and computed each time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nlp.model.corpus import AlignedReport
from nlp.normalize import fold

CACHE_FORMAT = 1
UnitProbabilities = dict[int, dict[str, float]]  # unit index → label → calibrated probability


def teacher_fingerprint(teacher: object) -> str:
    """A short hash naming one trained teacher: its name, calibration and base (a retrained model differs)."""
    described = {
        "name": getattr(teacher, "name", type(teacher).__name__),
        "calibration": getattr(teacher, "calibration", {}),
        "base": getattr(teacher, "base", {}),
        "labels": list(getattr(teacher, "labels", [])),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _key(unit: str, context: str) -> str:
    return hashlib.sha256(f"{unit}\x1f{context}".encode()).hexdigest()[:32]


def _folded_key(unit: str, context: str) -> str:
    return _key(fold(unit).lower(), fold(context).lower())


@dataclass
class TeacherCache:
    """Per-unit probabilities of one pair-reading teacher, on disk (JSON lines, appended) and in memory."""

    path: Path
    rows: dict[str, dict[str, float]] = field(default_factory=dict)
    folded: dict[str, dict[str, float]] = field(default_factory=dict)  # the same rows by accent-folded words
    hits: int = 0
    computed: int = 0

    @classmethod
    def open(cls, folder: Path, teacher: object) -> TeacherCache:
        """The cache of ``teacher`` in ``folder`` (read if it exists)."""
        name = getattr(teacher, "name", type(teacher).__name__)
        cache = cls(folder / f"{name}-{teacher_fingerprint(teacher)}.jsonl")
        if cache.path.exists():
            with cache.path.open(encoding="utf-8") as handle:
                for line in handle:
                    if line.strip():
                        row = json.loads(line)
                        cache.rows[row["k"]] = row["p"]
                        cache.folded.setdefault(row["f"], row["p"])
        return cache

    def lookup(self, pair: tuple[str, str]) -> dict[str, float] | None:
        """The cached probabilities of a (unit, context) pair, else of a pair with the same accent-folded words."""
        found = self.rows.get(_key(*pair)) or self.folded.get(_folded_key(*pair))
        self.hits += found is not None
        return found

    def store(self, pairs: list[tuple[str, str]], table: dict[str, np.ndarray]) -> None:
        """Remember the teacher's probabilities of ``pairs`` (appended to the file at once)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            for row, pair in enumerate(pairs):
                probabilities = {label: round(float(values[row]), 6) for label, values in table.items()}
                key, folded = _key(*pair), _folded_key(*pair)
                self.rows[key] = probabilities
                self.folded.setdefault(folded, probabilities)
                handle.write(json.dumps({"k": key, "f": folded, "p": probabilities}) + "\n")
        self.computed += len(pairs)


def default_cache_folder() -> Path:
    """``$KIEMDIEM_CACHE/teacher`` (or ``~/.cache/kiemdiem/teacher``): outside the repository."""
    from nlp.model.e5_base import cache_root

    return cache_root() / "teacher"


@dataclass
class Teacher:
    """A trained classifier used as teacher, with the caches of its pair-reading parts."""

    classifier: object
    cache_folder: Path = field(default_factory=default_cache_folder)
    caches: dict[str, TeacherCache] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return getattr(self.classifier, "name", type(self.classifier).__name__)

    def unit_probabilities(self, report: AlignedReport) -> UnitProbabilities:
        """Every label's probability for the content units of ``report`` that the teacher scores."""
        return self._probabilities(self.classifier, report)

    def _probabilities(self, classifier: object, report: AlignedReport) -> UnitProbabilities:
        from nlp.model.ensemble import EnsembleSentenceClassifier, combine, member_probabilities

        if isinstance(classifier, EnsembleSentenceClassifier):
            members = [self._probabilities(member, report) for member in classifier.members]
            return combine(members, classifier.weights)
        if hasattr(classifier, "logits"):  # reads (unit, context) pairs: the paid part, cached
            return self._pair_probabilities(classifier, report)
        return member_probabilities(classifier, report.doc, report.candidates)

    def _pair_probabilities(self, classifier: object, report: AlignedReport) -> UnitProbabilities:
        from nlp.model.transformer import doc_pairs

        name = getattr(classifier, "name", type(classifier).__name__)
        cache = self.caches.get(name) or self.caches.setdefault(name, TeacherCache.open(self.cache_folder, classifier))
        indexes, pairs = doc_pairs(report.doc)
        found = [cache.lookup(pair) for pair in pairs]
        missing = [pair for pair, row in zip(pairs, found, strict=True) if row is None]
        if missing:
            cache.store(missing, classifier.probabilities(missing))
        return {index: row or cache.rows[_key(*pair)] for index, pair, row in zip(indexes, pairs, found, strict=True)}

    def targets(self, reports: list[AlignedReport], labels: list[str]) -> dict[str, np.ndarray]:
        """The teacher's probability of each label for every content unit of ``reports``, in the row order of
        :func:`nlp.model.corpus.content_targets`; NaN where the teacher gives none (a unit without words, a label
        it does not model)."""
        columns: dict[str, list[float]] = {label: [] for label in labels}
        for report in reports:
            table = self.unit_probabilities(report)
            for index, unit in enumerate(report.doc.units):
                if unit.structural:
                    continue
                row = table.get(index, {})
                for label in labels:
                    columns[label].append(row.get(label, np.nan))
        return {label: np.asarray(values, dtype=np.float64) for label, values in columns.items()}


def soft_targets(gold: np.ndarray, teacher: np.ndarray, alpha: float) -> np.ndarray:
    """``α·gold + (1−α)·teacher`` per unit; the gold label alone where the teacher has no probability."""
    gold = gold.astype(np.float64)
    return np.where(np.isnan(teacher), gold, alpha * gold + (1.0 - alpha) * np.nan_to_num(teacher))


def _balanced_weights(soft: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, labels and sample weights of a soft target as two weighted copies (positive ``s``, negative
    ``1 − s``), each class scaled to half the total mass (``class_weight="balanced"`` for soft labels)."""
    n = len(soft)
    positive, negative = float(soft.sum()), float(n - soft.sum())
    rows = np.concatenate([np.arange(n), np.arange(n)])
    labels = np.concatenate([np.ones(n, dtype=int), np.zeros(n, dtype=int)])
    weights = np.concatenate([soft * n / (2 * positive), (1.0 - soft) * n / (2 * negative)])
    keep = weights > 0
    return rows[keep], labels[keep], weights[keep]


def _logistic(matrix, soft: np.ndarray, c: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    rows, labels, weights = _balanced_weights(soft)
    model = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    return model.fit(matrix[rows], labels, sample_weight=weights)


def _platt(decisions: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """(a, b) of the sigmoid ``1 / (1 + exp(a·d + b))`` fitted to the gold labels (scikit-learn's convention)."""
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=np.inf, max_iter=1000).fit(decisions.reshape(-1, 1), gold.astype(int))
    return -float(fitted.coef_[0, 0]), -float(fitted.intercept_[0])


def fit_distilled(
    model,
    matrix,
    gold: dict[str, np.ndarray],
    soft: dict[str, np.ndarray],
    groups: np.ndarray,
    min_kind_examples: int,
) -> None:
    """Fit ``model`` (a :class:`~nlp.model.linear.LinearSentenceClassifier` whose features gave ``matrix``, the
    train units' rows) to the soft targets of every label in ``soft`` — sub-kinds with at least ``min_kind_examples`` gold units — calibrated against ``gold`` on
    out-of-fold decisions (folds grouped by report), and store the result as the model's compiled weights."""
    from sklearn.model_selection import GroupKFold

    folds = min(5, len(set(groups.tolist())))
    labels, weights, intercepts, calibration = [], [], [], []
    for label, target in soft.items():
        y = gold[label].astype(bool)
        if label.startswith("kind:") and int(y.sum()) < min_kind_examples:
            continue
        splits = list(GroupKFold(n_splits=folds).split(matrix, y, groups))
        if any(len(set(y[train].tolist())) < 2 for train, _ in splits):
            continue  # a sub-kind too rare to learn in every fold
        decisions = np.zeros(len(y))
        for train, held in splits:
            decisions[held] = _logistic(matrix[train], target[train], model.c, model.seed).decision_function(
                matrix[held]
            )
        fitted = _logistic(matrix, target, model.c, model.seed)
        labels.append(label)
        weights.append(fitted.coef_.ravel())
        intercepts.append(fitted.intercept_[0])
        calibration.append(_platt(decisions, y))
    model._labels = labels
    model._weights = np.column_stack(weights).astype(np.float32)
    model._intercepts = np.array(intercepts, dtype=np.float64)
    model._calibration = np.array(calibration, dtype=np.float64).T
    model._models = {}


def load_teacher(name: str, cache_folder: Path | None = None) -> Teacher:
    """The shipped model ``name`` as a teacher."""
    from nlp.model import load_classifier

    return Teacher(load_classifier(name), cache_folder or default_cache_folder())


def main(argv: list[str] | None = None) -> int:
    """``python -m nlp.model.distill --teacher transformer-v1 [--augment-layouts one_line,blocks]``: fill the
    teacher's cache for the train split (as written and re-laid) ahead of ``kiemdiem train``."""
    from nlp.model.corpus import DEFAULT_CORPUS, DEFAULT_SPLITS, align, reports_in
    from nlp.relayout import parse_layouts, relaid_record

    parser = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    parser.add_argument("--teacher", default="transformer-v1")
    parser.add_argument("--augment-layouts", default="")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--splits", type=Path, default=DEFAULT_SPLITS)
    args = parser.parse_args(argv)
    layouts = parse_layouts(args.augment_layouts) if args.augment_layouts else ()
    teacher = load_teacher(args.teacher)
    records = reports_in("train", args.corpus, args.splits)
    for layout in ("as_written", *(layout for layout in layouts if layout != "as_written")):
        for record in records:
            copy = record if layout == "as_written" else relaid_record(record, layout).record
            teacher.unit_probabilities(align(copy))
        for name, cache in teacher.caches.items():
            print(f"{layout}: {name} computed {cache.computed}, reused {cache.hits}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
