"""A linear sentence classifier: logistic regression over words, character n-grams and the rules' evidence.

It implements :class:`nlp.classify.SentenceClassifier`, so ``analyze(text, classifier=...)`` and the default
pipeline use it unchanged. Two calibrated binary models (generic, evasive) share one feature space:

- word uni- and bigrams of the underthesea segmentation (TF-IDF),
- character 2–5-grams inside word boundaries of the accent-folded text (TF-IDF; robust to typos and to text
  typed without diacritics),
- the dense rule features of :mod:`nlp.model.features` (``use_rules=False`` drops them: the "text only" variant).

Probabilities are calibrated by cross-validation grouped by report (sigmoid), and the decision thresholds are
chosen on the dev split by the trainer, never on test.

Prediction with a shipped model reads the plain files of :mod:`nlp.model.linear_arrays` (:meth:`from_arrays`) and
needs numpy only; the scikit-learn objects of ``model.joblib`` (:meth:`load`) give the same probabilities and remain
for training and as the reference the tests compare with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nlp.classify import SentenceScores
from nlp.detect.sentence_rules import Candidate
from nlp.doc import Doc
from nlp.model.features import dense_names, featurize, featurize_context, split_context
from nlp.model.linear_arrays import LinearArrays, export, read_meta
from nlp.normalize import fold

if TYPE_CHECKING:  # scikit-learn and scipy are imported only to train, or to read a model.joblib
    from scipy import sparse
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import MaxAbsScaler

LABELS = ("generic", "evasive")
MIN_KIND_EXAMPLES = 12  # an evasion sub-kind is modelled when train holds at least this many units of it


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
    kind_thresholds: dict[str, float] = field(default_factory=dict)  # evasion sub-kinds modelled, chosen on dev
    _labels: list[str] = field(default_factory=list, repr=False)
    _weights: np.ndarray | None = field(default=None, repr=False)  # features × labels
    _intercepts: np.ndarray | None = field(default=None, repr=False)
    _calibration: np.ndarray | None = field(default=None, repr=False)  # 2 × labels: sigmoid a, b
    use_cache: bool = False  # only the embedding variant uses it (training-time cache)
    _arrays_folder: Path | None = field(default=None, repr=False)  # set by from_arrays: read on first use
    _arrays: LinearArrays | None = field(default=None, repr=False)

    # -- features -------------------------------------------------------------------------------------------
    def _matrix(self, texts: list[str], dense: np.ndarray, fit: bool = False) -> sparse.csr_matrix:
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import MaxAbsScaler

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
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GroupKFold

        matrix = self._matrix(texts, dense, fit=True)
        folds = min(5, len(set(groups.tolist())))
        kinds = [k for k in targets if k.startswith("kind:") and int(targets[k].sum()) >= MIN_KIND_EXAMPLES]
        for label in (*LABELS, *kinds):
            y = targets[label].astype(int)
            base = LogisticRegression(C=self.c, class_weight="balanced", max_iter=3000, random_state=self.seed)
            splits = list(GroupKFold(n_splits=folds).split(matrix, y, groups))
            if any(len(set(y[train].tolist())) < 2 for train, _ in splits):
                continue  # a sub-kind too rare to learn in every fold
            model = CalibratedClassifierCV(base, method="sigmoid", cv=splits, ensemble=False)
            model.fit(matrix, y)
            self._models[label] = model
        self._compile()
        return self

    def _compile(self) -> None:
        """Fold every label's logistic regression and its sigmoid calibration into one weight matrix, so that
        prediction is one sparse product for all labels (the fitted estimators are then dropped)."""
        self._labels = list(self._models)
        fitted = [self._models[label].calibrated_classifiers_[0] for label in self._labels]
        self._weights = np.column_stack([f.estimator.coef_.ravel() for f in fitted]).astype(np.float32)
        self._intercepts = np.array([f.estimator.intercept_[0] for f in fitted], dtype=np.float64)
        self._calibration = np.array(
            [[f.calibrators[0].a_ for f in fitted], [f.calibrators[0].b_ for f in fitted]], dtype=np.float64
        )
        self._models = {}

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
        """Calibrated probability of each label (and each modelled evasion sub-kind, ``kind:<name>``) per unit."""
        labels = getattr(self, "_labels", None) or list(self._models)  # models saved by earlier versions
        if not texts:
            return {label: np.zeros(0) for label in labels}
        arrays = self._loaded_arrays()
        if arrays is not None:
            table = arrays.probabilities(texts, self._aligned(dense) if self.use_rules else None)
            return {label: table[:, column] for column, label in enumerate(labels)}
        from scipy.special import expit

        matrix = self._matrix(texts, dense)
        if getattr(self, "_weights", None) is None:  # a model saved before compilation
            return {label: model.predict_proba(matrix)[:, 1] for label, model in self._models.items()}
        decision = np.asarray(matrix @ self._weights, dtype=np.float64) + self._intercepts
        probabilities = expit(-(self._calibration[0] * decision + self._calibration[1]))
        return {label: probabilities[:, column] for column, label in enumerate(labels)}

    # -- SentenceClassifier ---------------------------------------------------------------------------------
    def predict(self, doc: Doc, candidates: list[list[Candidate]]) -> list[SentenceScores]:
        return self._scores(doc, *featurize(doc, candidates))

    def _scores(self, doc: Doc, indexes: list[int], texts: list[str], dense: np.ndarray) -> list[SentenceScores]:
        """Scores of every unit from the features of its content units (``indexes``: their places in ``doc``)."""
        scores = [SentenceScores(0.0, 0.0)] * len(doc.units)
        if not indexes:
            return scores
        # float64 columns as Python floats (the same values and comparisons, without a numpy scalar per read)
        probabilities = {
            label: values.tolist() if values.dtype == np.float64 else values
            for label, values in self.probabilities(texts, dense).items()
        }
        kinds_read = [
            (kind, threshold, probabilities[f"kind:{kind}"])
            for kind, threshold in getattr(self, "kind_thresholds", {}).items()
        ]
        generic, evasive = probabilities["generic"], probabilities["evasive"]
        for row, index in enumerate(indexes):
            kinds = tuple(
                (kind, round(float(column[row]), 3))
                for kind, threshold, column in kinds_read
                if column[row] >= threshold
            )
            scores[index] = SentenceScores(round(float(generic[row]), 3), round(float(evasive[row]), 3), kinds)
        return scores

    def _loaded_arrays(self) -> LinearArrays | None:
        """The plain-file arrays of a model read by :meth:`from_arrays` (loaded on first use), else None."""
        arrays = getattr(self, "_arrays", None)
        if arrays is None and getattr(self, "_arrays_folder", None) is not None:
            arrays = self._arrays = LinearArrays.load(self._arrays_folder)
        return arrays

    # -- persistence ----------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the fitted model: one joblib file, and beside it the plain arrays that prediction reads
        (:mod:`nlp.model.linear_arrays`; not for subclasses, whose features are not TF-IDF)."""
        import joblib

        if getattr(self, "_arrays_folder", None) is not None:
            raise ValueError("a model read from its arrays cannot be saved: load its model.joblib")
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)
        if type(self) is LinearSentenceClassifier:
            export(self, path.parent, source=path)

    @classmethod
    def load(cls, path: Path) -> LinearSentenceClassifier:
        """Read a model written by :meth:`save` from its joblib (scikit-learn objects included)."""
        import joblib

        model = joblib.load(path)
        model.use_cache = False
        model._arrays_folder = model._arrays = None
        if not isinstance(model, cls):
            raise TypeError(f"{path} does not hold a {cls.__name__}")
        return model

    @classmethod
    def from_arrays(cls, folder: Path) -> LinearSentenceClassifier:
        """A model for prediction from the plain files of ``folder`` (``linear.json`` now, the arrays on first
        use); it cannot be refitted or saved."""
        meta = read_meta(folder)
        return cls(
            name=meta["name"],
            use_rules=meta["use_rules"],
            c=meta["c"],
            generic_threshold=meta["generic_threshold"],
            evasive_threshold=meta["evasive_threshold"],
            seed=meta["seed"],
            kind_thresholds=dict(meta["kind_thresholds"]),
            _labels=list(meta["labels"]),
            _dense_names=tuple(meta["dense_names"]),
            _arrays_folder=folder,
        )


@dataclass
class ContextLinearSentenceClassifier(LinearSentenceClassifier):
    """The linear model plus each unit's context (:func:`nlp.model.features.featurize_context`): the previous
    content unit of its section as ``prev:`` words (uni- and bigrams, TF-IDF) and as rule evidence, and the unit's
    position in its section. Texts are the unit's words and its context's joined by the context separator; dense
    rows hold the unit's, the previous unit's and the position columns. Saved as ``model.joblib`` only (no plain
    arrays: prediction needs scikit-learn)."""

    name: str = "linear-context-v1"
    _context_words: TfidfVectorizer | None = field(default=None, repr=False)
    _context_scaler: MaxAbsScaler | None = field(default=None, repr=False)

    def _matrix(self, texts: list[str], dense: np.ndarray, fit: bool = False) -> sparse.csr_matrix:
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import MaxAbsScaler

        own, context = split_context(texts)
        width = len(dense_names())  # the current columns of each of the unit's and the previous unit's blocks
        matrix = super()._matrix(own, dense[:, :width], fit)
        previous, position = dense[:, width : 2 * width], dense[:, 2 * width :]
        if fit:
            self._context_words = TfidfVectorizer(
                token_pattern=r"\S+", ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=False
            )
            self._context_scaler = MaxAbsScaler()
            words = self._context_words.fit_transform(context)
            numbers = self._context_scaler.fit_transform(np.hstack([previous, position]))
        else:
            words = self._context_words.transform(context)
            numbers = self._context_scaler.transform(np.hstack([self._aligned(previous), position]))
        return sparse.hstack([matrix, words, sparse.csr_matrix(numbers)], format="csr")

    def predict(self, doc: Doc, candidates: list[list[Candidate]]) -> list[SentenceScores]:
        return self._scores(doc, *featurize_context(doc, candidates))
