"""Stance of a sentence towards a fault it speaks of: does the writer own it, only diffuse it, deny it, or take no
stance? A small linear model (``models/cross-stance-v1``) over the sentence's folded word n-grams and its static
sentence vector, trained by :mod:`nlp.cross.stance_train`; inference needs numpy only.

The verdicts (:mod:`nlp.cross.verdict`) use it beside the cue lists of ``nlp/data/cross.yaml``: the cues stay for
what they say outright, the model reads the many other ways people write the same stance.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from nlp.cross.static_encoder import default_encoder
from nlp.normalize import fold

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "cross-stance-v1"
LABELS = ("owned", "diffused", "denied", "neutral")
NGRAMS = 3
_WORD = re.compile(r"[a-z0-9đ]+")


def ngrams(text: str) -> list[str]:
    """The folded word n-grams (1 to ``NGRAMS``) of a sentence, with a number written as ``0``: the features the
    model reads besides the sentence vector (the same function trains and applies it)."""
    words = ["0" if w[0].isdigit() else w for w in _WORD.findall(fold(text))]
    return [" ".join(words[i : i + n]) for n in range(1, NGRAMS + 1) for i in range(len(words) - n + 1)]


@dataclass
class StanceModel:
    """Multinomial logistic regression: ``weights`` (labels × features), ``bias`` (labels); the features are the
    binary n-grams of ``vocabulary`` (L2-normalised), then the static sentence vector times ``vector_weight``."""

    vocabulary: dict[str, int]
    weights: np.ndarray
    bias: np.ndarray
    vector_weight: float
    labels: tuple[str, ...] = LABELS
    thresholds: dict[str, float] = field(default_factory=dict)  # trusted from this probability (stance_train)
    _cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def features(self, texts: list[str]) -> np.ndarray:
        """Dense features of ``texts`` (n-gram part, then vector part)."""
        rows = np.zeros((len(texts), len(self.vocabulary) + default_encoder().dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            found = {self.vocabulary[g] for g in ngrams(text) if g in self.vocabulary}
            if found:
                rows[row, list(found)] = 1.0 / np.sqrt(len(found))
        if texts:
            rows[:, len(self.vocabulary) :] = self.vector_weight * default_encoder().encode(texts)
        return rows

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row of label probabilities per text (in ``labels`` order); each text computed once. The n-gram part is
        summed from the weights of the n-grams present (the same as the dense :meth:`features` product, without
        building a row of the whole vocabulary)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            size = len(self.vocabulary)
            vectors = default_encoder().encode(missing) * self.vector_weight
            logits = vectors @ self.weights[:, size:].T + self.bias
            for row, text in enumerate(missing):
                found = list({self.vocabulary[g] for g in ngrams(text) if g in self.vocabulary})
                if found:
                    logits[row] += self.weights[:, found].sum(axis=1) / np.sqrt(len(found))
            logits -= logits.max(axis=1, keepdims=True)
            exp = np.exp(logits)
            for text, row in zip(missing, exp / exp.sum(axis=1, keepdims=True), strict=True):
                self._cache[text] = row
        return np.array([self._cache[t] for t in texts]).reshape(len(texts), len(self.labels))

    def of(self, text: str) -> dict[str, float]:
        """The label probabilities of one sentence."""
        return dict(zip(self.labels, map(float, self.probabilities([text])[0]), strict=True))

    def reads_as(self, text: str, label: str) -> bool:
        """``label`` is the sentence's most probable stance, at or above its trusted threshold."""
        probabilities = self.of(text)
        best = max(probabilities, key=probabilities.__getitem__)
        return best == label and probabilities[label] >= self.thresholds.get(label, 0.5)

    def save(self, folder: Path = MODEL_DIR) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        meta = {
            "labels": list(self.labels),
            "vector_weight": self.vector_weight,
            "ngrams": NGRAMS,
            "thresholds": self.thresholds,
        }
        (folder / "stance.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        ordered = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        (folder / "vocab.txt").write_text("\n".join(ordered) + "\n", encoding="utf-8")
        np.savez_compressed(folder / "weights.npz", weights=self.weights.astype(np.float32), bias=self.bias)


def load(folder: Path = MODEL_DIR) -> StanceModel:
    """The model saved in ``folder``."""
    meta = json.loads((folder / "stance.json").read_text(encoding="utf-8"))
    words = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
    arrays = np.load(folder / "weights.npz")
    return StanceModel(
        vocabulary={w: i for i, w in enumerate(words)},
        weights=arrays["weights"],
        bias=arrays["bias"],
        vector_weight=float(meta["vector_weight"]),
        labels=tuple(meta["labels"]),
        thresholds=dict(meta.get("thresholds") or {}),
    )


@cache
def default_model() -> StanceModel | None:
    """The shipped model, or None where it was not built (the verdicts then use the cues alone)."""
    return load() if (MODEL_DIR / "weights.npz").exists() else None


def reads_as(text: str, label: str) -> bool:
    """The shipped model reads the sentence as ``label`` with a probability it is trusted at (False without one)."""
    model = default_model()
    return model.reads_as(text, label) if model else False
