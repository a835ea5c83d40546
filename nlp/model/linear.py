"""A linear sentence classifier: logistic regression over words, character n-grams and the rules' evidence.

It implements :class:`nlp.classify.SentenceClassifier`, so ``analyze(text, classifier=...)`` and the default
pipeline use it unchanged. Two calibrated binary models (generic, evasive) share one feature space:

- word uni- and bigrams of the underthesea segmentation (TF-IDF),
- character 2–5-grams inside word boundaries of the accent-folded text (TF-IDF; robust to typos and to text
  typed without diacritics),
- the dense rule features of :mod:`nlp.model.features` (``use_rules=False`` drops them: the "text only" variant).

Probabilities are calibrated by cross-validation grouped by report (sigmoid), and the decision thresholds are
chosen on the dev split by the trainer, never on test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import MaxAbsScaler

from nlp.classify import SentenceScores
from nlp.detect.sentence_rules import Candidate
from nlp.doc import Doc
from nlp.model.features import dense_names, featurize
from nlp.normalize import fold

LABELS = ("generic", "evasive")


def _folded(text: str) -> str:
    return fold(text)


@dataclass
class LinearSentenceClassifier:
    """Calibrated logistic regression per label; see the module docstring."""

    name: str = "linear-v1"
    use_rules: bool = True
    c: float = 2.0
    generic_threshold: float = 0.5
    evasive_threshold: float = 0.5
    seed: int = 13
    _words: TfidfVectorizer | None = field(default=None, repr=False)
    _chars: TfidfVectorizer | None = field(default=None, repr=False)
    _scaler: MaxAbsScaler | None = field(default=None, repr=False)
    _models: dict[str, CalibratedClassifierCV] = field(default_factory=dict, repr=False)
    _dense_names: tuple[str, ...] = field(default=(), repr=False)
    use_cache: bool = False  # only the embedding variant uses it (training-time cache)

    # -- features -------------------------------------------------------------------------------------------
    def _matrix(self, texts: list[str], dense: np.ndarray, fit: bool = False) -> sparse.csr_matrix:
        if fit:
            self._words = TfidfVectorizer(
                token_pattern=r"\S+", ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=False
            )
            self._chars = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, preprocessor=_folded
            )
            self._scaler = MaxAbsScaler()
            self._dense_names = dense_names()
            blocks = [self._words.fit_transform(texts), self._chars.fit_transform(texts)]
            if self.use_rules:
                blocks.append(sparse.csr_matrix(self._scaler.fit_transform(dense)))
        else:
            blocks = [self._words.transform(texts), self._chars.transform(texts)]
            if self.use_rules:
                blocks.append(sparse.csr_matrix(self._scaler.transform(self._aligned(dense))))
        return sparse.hstack(blocks, format="csr")

    # -- training -------------------------------------------------------------------------------------------
    def fit(
        self, texts: list[str], dense: np.ndarray, targets: dict[str, np.ndarray], groups: np.ndarray
    ) -> LinearSentenceClassifier:
        """Fit both labels on the training units (``groups``: the report of each unit, for grouped CV)."""
        matrix = self._matrix(texts, dense, fit=True)
        folds = min(5, len(set(groups.tolist())))
        for label in LABELS:
            y = targets[label].astype(int)
            base = LogisticRegression(C=self.c, class_weight="balanced", max_iter=3000, random_state=self.seed)
            splits = list(GroupKFold(n_splits=folds).split(matrix, y, groups))
            model = CalibratedClassifierCV(base, method="sigmoid", cv=splits)
            model.fit(matrix, y)
            self._models[label] = model
        return self

    def _aligned(self, dense: np.ndarray) -> np.ndarray:
        """Columns in the order the model was trained with: rules or lexicons added since are left out, ones
        removed since count as absent (zero), so editing the data files never breaks a shipped model."""
        current = dense_names()
        if current == self._dense_names:
            return dense
        index = {name: i for i, name in enumerate(current)}
        aligned = np.zeros((dense.shape[0], len(self._dense_names)), dtype=dense.dtype)
        for column, name in enumerate(self._dense_names):
            if name in index:
                aligned[:, column] = dense[:, index[name]]
        return aligned

    def probabilities(self, texts: list[str], dense: np.ndarray) -> dict[str, np.ndarray]:
        """Calibrated probability of each label for each unit."""
        if not texts:
            return {label: np.zeros(0) for label in LABELS}
        matrix = self._matrix(texts, dense)
        return {label: self._models[label].predict_proba(matrix)[:, 1] for label in LABELS}

    # -- SentenceClassifier ---------------------------------------------------------------------------------
    def predict(self, doc: Doc, candidates: list[list[Candidate]]) -> list[SentenceScores]:
        indexes, texts, dense = featurize(doc, candidates)
        probabilities = self.probabilities(texts, dense)
        scores = [SentenceScores(0.0, 0.0)] * len(doc.units)
        for row, index in enumerate(indexes):
            scores[index] = SentenceScores(
                round(float(probabilities["generic"][row]), 3), round(float(probabilities["evasive"][row]), 3)
            )
        return scores

    # -- persistence ----------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the fitted model (one joblib file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)

    @classmethod
    def load(cls, path: Path) -> LinearSentenceClassifier:
        """Read a model written by :meth:`save`."""
        model = joblib.load(path)
        model.use_cache = False
        if not isinstance(model, cls):
            raise TypeError(f"{path} does not hold a {cls.__name__}")
        return model
