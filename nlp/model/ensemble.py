"""An ensemble of shipped sentence classifiers: per label, the weighted mean of their calibrated probabilities.

It implements :class:`nlp.classify.SentenceClassifier`. ``models/<name>/ensemble.json`` names its members (other
models of ``models/``, loaded by name: the ensemble ships no weights of its own), each label's member weights and
the thresholds, all chosen on the dev split by :func:`fit_ensemble` (``python -m nlp.model.ensemble``), never on
test. A unit that a member does not score (the transformer skips units without words) takes the other members'
mean; a sub-kind that a member does not model is the mean of the members that do.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nlp.classify import SentenceClassifier, SentenceScores
from nlp.detect.sentence_rules import Candidate
from nlp.doc import Doc

FORMAT = 1
CONFIG_FILE = "ensemble.json"
WEIGHT_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)  # the first member's weight tried on dev for generic and evasive
UnitProbabilities = dict[int, dict[str, float]]  # unit index → label → calibrated probability


def member_probabilities(member: SentenceClassifier, doc: Doc, candidates: list[list[Candidate]]) -> UnitProbabilities:
    """Every label's calibrated probability (``generic``, ``evasive``, ``kind:<name>``) for each content unit a
    member scores, read from the member's own features."""
    from nlp.model.linear import ContextLinearSentenceClassifier, LinearSentenceClassifier

    if isinstance(member, LinearSentenceClassifier):
        from nlp.model.features import featurize, featurize_context

        build = featurize_context if isinstance(member, ContextLinearSentenceClassifier) else featurize
        indexes, texts, dense = build(doc, candidates)
        table = member.probabilities(texts, dense)
    elif hasattr(member, "logits"):  # the fine-tuned transformer reads (unit, context) text pairs
        from nlp.model.transformer import doc_pairs

        indexes, pairs = doc_pairs(doc)
        table = member.probabilities(pairs) if pairs else {}
    else:
        raise TypeError(f"{member.name} cannot be an ensemble member (no calibrated probabilities per label)")
    return {index: {label: float(values[row]) for label, values in table.items()} for row, index in enumerate(indexes)}


def combine(members: list[UnitProbabilities], weights: dict[str, list[float]]) -> UnitProbabilities:
    """Per unit and label, the weighted mean over the members that score it (equal weights where a label has
    none); members without the unit or the label are left out and the weights renormalised."""
    combined: UnitProbabilities = {}
    for index in sorted(set().union(*members)):
        labels = sorted({label for member in members for label in member.get(index, {})})
        row = {}
        for label in labels:
            pairs = [
                (weights.get(label, [1.0] * len(members))[number], member[index][label])
                for number, member in enumerate(members)
                if label in member.get(index, {})
            ]
            total = sum(weight for weight, _ in pairs)
            if total > 0:
                row[label] = sum(weight * value for weight, value in pairs) / total
            else:  # a weight of 0 on the only member that has it
                row[label] = sum(value for _, value in pairs) / len(pairs)
        combined[index] = row
    return combined


@dataclass
class EnsembleSentenceClassifier:
    """Weighted mean of member classifiers' calibrated probabilities; see the module docstring."""

    name: str
    members: tuple[SentenceClassifier, ...]
    weights: dict[str, list[float]] = field(default_factory=dict)  # label → one weight per member
    generic_threshold: float = 0.5
    evasive_threshold: float = 0.5
    kind_thresholds: dict[str, float] = field(default_factory=dict)

    def probabilities(self, doc: Doc, candidates: list[list[Candidate]]) -> UnitProbabilities:
        """The combined probabilities of every content unit of ``doc``."""
        return combine([member_probabilities(m, doc, candidates) for m in self.members], self.weights)

    def predict(self, doc: Doc, candidates: list[list[Candidate]]) -> list[SentenceScores]:
        scores = [SentenceScores(0.0, 0.0)] * len(doc.units)
        for index, row in self.probabilities(doc, candidates).items():
            kinds = tuple(
                (kind, round(row[f"kind:{kind}"], 3))
                for kind, threshold in self.kind_thresholds.items()
                if row.get(f"kind:{kind}", 0.0) >= threshold
            )
            scores[index] = SentenceScores(round(row.get("generic", 0.0), 3), round(row.get("evasive", 0.0), 3), kinds)
        return scores

    # -- persistence ------------------------------------------------------------------------------------------
    def save(self, folder: Path, dev: dict | None = None) -> None:
        """Write ``ensemble.json`` (members by name, weights, thresholds; ``dev``: the choice's dev figures)."""
        folder.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": FORMAT,
            "kind": "ensemble",
            "name": self.name,
            "members": [member.name for member in self.members],
            "weights": self.weights,
            "thresholds": {"generic": self.generic_threshold, "evasive": self.evasive_threshold},
            "kind_thresholds": self.kind_thresholds,
            **({"dev": dev} if dev is not None else {}),
        }
        (folder / CONFIG_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> EnsembleSentenceClassifier:
        """Read ``ensemble.json`` and load its members by name (:func:`nlp.model.load_classifier`)."""
        from nlp.model import load_classifier

        meta = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{folder} holds ensemble format {meta.get('format')}, expected {FORMAT}")
        if meta["name"] in meta["members"]:
            raise ValueError(f"ensemble {meta['name']!r} lists itself as a member")
        return cls(
            name=meta["name"],
            members=tuple(load_classifier(member) for member in meta["members"]),
            weights={label: list(values) for label, values in meta["weights"].items()},
            generic_threshold=meta["thresholds"]["generic"],
            evasive_threshold=meta["thresholds"]["evasive"],
            kind_thresholds=dict(meta["kind_thresholds"]),
        )


# -- choosing weights and thresholds on dev ---------------------------------------------------------------------


def _dev_rows(members: tuple[SentenceClassifier, ...], reports: list) -> tuple[list[UnitProbabilities], list, list]:
    """Each member's probabilities on the dev reports' content units (keys: (report, unit)), and the gold units."""
    per_member: list[UnitProbabilities] = [{} for _ in members]
    keys, gold = [], []
    for number, report in enumerate(reports):
        for slot, member in enumerate(members):
            for index, row in member_probabilities(member, report.doc, report.candidates).items():
                per_member[slot][number * 100_000 + index] = row
        for index, unit in enumerate(report.doc.units):
            if not unit.structural:
                keys.append(number * 100_000 + index)
                gold.append(report.gold[index])
    return per_member, keys, gold


def _gold_array(gold: list, label: str) -> np.ndarray:
    if label.startswith("kind:"):
        return np.array([label[5:] in unit.evasion_kinds for unit in gold], dtype=bool)
    return np.array([bool(getattr(unit, label)) for unit in gold], dtype=bool)


def _best(probabilities: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """(threshold chosen as the trainer does, its F1) on dev."""
    from nlp.model.train import best_threshold

    threshold = best_threshold(probabilities, gold)
    predicted = probabilities >= threshold
    tp = int(np.sum(predicted & gold))
    denominator = 2 * tp + int(np.sum(predicted & ~gold)) + int(np.sum(~predicted & gold))
    return threshold, (2 * tp / denominator if tp else 0.0)


def fit_ensemble(name: str, members: tuple[SentenceClassifier, ...], dev_reports: list, weighted: bool = True) -> tuple:
    """The ensemble of ``members`` with weights (generic and evasive: the first member's weight from
    :data:`WEIGHT_GRID`, when ``weighted`` — equal unless another is better on dev by more than the trainer's F1
    tolerance; else equal) and thresholds chosen on ``dev_reports``
    (:class:`nlp.model.corpus.AlignedReport`), and a dict of the dev choices made."""
    from nlp.model.train import F1_TOLERANCE  # the trainer's modules are imported to fit, never to predict

    per_member, keys, gold = _dev_rows(members, dev_reports)
    weights: dict[str, list[float]] = {}
    thresholds: dict[str, float] = {}
    choices: dict[str, dict] = {}
    kinds = sorted({kind for member in members for kind in getattr(member, "kind_thresholds", {})})
    for label in ("generic", "evasive", *(f"kind:{kind}" for kind in kinds)):
        target = _gold_array(gold, label)
        grid = WEIGHT_GRID if weighted and label in {"generic", "evasive"} and len(members) == 2 else (None,)
        tried = []
        for first in grid:
            candidate = {label: [first, 1.0 - first]} if first is not None else {}
            combined = combine(per_member, candidate)
            values = np.array([combined.get(key, {}).get(label, 0.0) for key in keys])
            tried.append((candidate.get(label), *_best(values, target)))
        top = max(f1 for _, _, f1 in tried)  # within the trainer's tolerance of it, the weights nearest equal
        best = min((t for t in tried if t[2] >= top - F1_TOLERANCE), key=lambda t: abs((t[0] or [0.5])[0] - 0.5))
        if best[0] is not None:
            weights[label] = best[0]
        thresholds[label] = best[1]
        choices[label] = {"weights": best[0], "threshold": best[1], "dev_f1": round(best[2], 4)}
    model = EnsembleSentenceClassifier(
        name=name,
        members=members,
        weights=weights,
        generic_threshold=thresholds["generic"],
        evasive_threshold=thresholds["evasive"],
        kind_thresholds={
            label[5:]: value
            for label, value in thresholds.items()
            if label.startswith("kind:") and _gold_array(gold, label).any()
        },
    )
    return model, choices


def main(argv: list[str] | None = None) -> int:
    """``python -m nlp.model.ensemble --members linear-v1 transformer-v1 --name ensemble-v1 --out-dir DIR``."""
    from nlp.model import load_classifier
    from nlp.model.corpus import iter_aligned, reports_in

    parser = argparse.ArgumentParser(description="Choose an ensemble's weights and thresholds on dev and save it.")
    parser.add_argument("--members", nargs="+", required=True)
    parser.add_argument("--name", default="ensemble-v1")
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument("--equal", action="store_true", help="equal weights (the plain mean), thresholds on dev")
    args = parser.parse_args(argv)
    members = tuple(load_classifier(member) for member in args.members)
    dev = list(iter_aligned(reports_in("dev")))
    model, choices = fit_ensemble(args.name, members, dev, weighted=not args.equal)
    model.save(args.out_dir, dev=choices)
    print(json.dumps(choices, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
