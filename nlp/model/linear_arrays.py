"""The fitted numbers of a linear sentence classifier as plain files, and its prediction with numpy alone.

:class:`nlp.model.linear.LinearSentenceClassifier` is trained with scikit-learn and saved as ``model.joblib``;
beside it the trainer writes (and ``python -m nlp.model.linear_arrays models/<name>`` converts a shipped model to):

- ``linear.json``: name, thresholds, labels, dense feature names, n-gram settings, the joblib's sha256;
- ``linear.npz``: idf of both vocabularies, the MaxAbsScaler's scale, weights, intercepts, sigmoid calibration;
- ``linear-words.txt``, ``linear-chars.txt``: the vocabularies, one feature a line in column order.

:class:`LinearArrays` computes what ``TfidfVectorizer`` (words: ``\\S+`` tokens, uni- and bigrams; characters:
``char_wb`` n-grams of the accent-folded text), ``MaxAbsScaler`` and the compiled decision function compute, in
the same order of operations, so probabilities are bit-identical (``tests/test_linear_arrays.py``) and neither
scikit-learn nor scipy is imported to analyse a report.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from nlp.model.arrays import SparseRows, count_flat, read_vocabulary, sublinear_l2, write_vocabulary
from nlp.normalize import fold

META_FILE = "linear.json"
ARRAYS_FILE = "linear.npz"
WORDS_FILE = "linear-words.txt"
CHARS_FILE = "linear-chars.txt"
FORMAT = 1
_TOKEN = re.compile(r"\S+")  # the words vectorizer's token_pattern
_CACHE_LIMIT = 200_000  # folded words whose character n-gram columns are remembered


def read_meta(folder: Path) -> dict[str, Any]:
    """The metadata of an exported model (``linear.json``)."""
    return json.loads((folder / META_FILE).read_text(encoding="utf-8"))


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    """scikit-learn's word n-grams: the tokens (when ``low`` is 1), then each longer size in order."""
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high + 1, len(tokens) + 1)):
        if n == 2:  # the usual case, without a slice and a join per pair
            grams.extend(f"{first} {second}" for first, second in pairwise(tokens))
        else:
            grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_wb_ngrams(word: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams of one word (padded with a space each side)."""
    padded = f" {word} "
    size = len(padded)
    grams = []
    for n in range(low, high + 1):
        offset = 0
        grams.append(padded[offset : offset + n])
        while offset + n < size:
            offset += 1
            grams.append(padded[offset : offset + n])
        if offset == 0:  # a short word is counted once
            break
    return grams


@dataclass
class LinearArrays:
    """Vocabularies, idf, scale and the compiled weights of one linear classifier (see the module docstring)."""

    words: dict[str, int]
    word_idf: np.ndarray
    word_range: tuple[int, int]
    chars: dict[str, int]
    char_idf: np.ndarray
    char_range: tuple[int, int]
    scale: np.ndarray | None  # MaxAbsScaler.scale_ (None: a text-only model)
    weights: np.ndarray  # features × labels
    intercepts: np.ndarray
    calibration: np.ndarray  # 2 × labels: sigmoid a, b
    _char_columns: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    # -- prediction -----------------------------------------------------------------------------------------
    def _word_counts(self, texts: list[str]) -> SparseRows:
        """Counts of the word n-grams of each unit (``str.split`` gives the tokens of ``\\S+``: the same
        whitespace), the columns gathered in one list."""
        get = self.words.get
        low, high = self.word_range
        ids: list[int] = []
        lengths = []
        for text in texts:
            found = [column for column in map(get, word_ngrams(text.split(), low, high)) if column is not None]
            ids += found
            lengths.append(len(found))
        return count_flat(np.asarray(ids, dtype=np.int64), np.asarray(lengths, dtype=np.int64), len(self.word_idf))

    def _char_counts(self, texts: list[str]) -> SparseRows:
        """Counts of the character n-grams of each unit: what char_wb sees is the folded text split on
        whitespace, so the columns of each distinct word are found once and remembered."""
        cache = self._char_columns
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        pieces: list[np.ndarray] = []
        lengths = []
        for text in texts:
            size = 0
            for word in fold(text).split():
                found = cache.get(word)
                if found is None:
                    get = self.chars.get
                    columns = [c for c in map(get, char_wb_ngrams(word, *self.char_range)) if c is not None]
                    found = cache[word] = np.asarray(columns, dtype=np.int64)
                pieces.append(found)
                size += len(found)
            lengths.append(size)
        ids = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
        return count_flat(ids, np.asarray(lengths, dtype=np.int64), len(self.char_idf))

    def matrix(self, texts: list[str], dense: np.ndarray | None) -> SparseRows:
        """The feature rows of the units: word TF-IDF, character TF-IDF, scaled dense features (if any)."""
        blocks = [
            sublinear_l2(self._word_counts(texts), self.word_idf),
            sublinear_l2(self._char_counts(texts), self.char_idf),
        ]
        if self.scale is not None and dense is not None:
            scaled = np.array(dense, copy=True)
            scaled /= self.scale  # in the dense dtype, as MaxAbsScaler.transform does
            blocks.append(SparseRows.from_dense(scaled))
        return SparseRows.hstack(blocks)

    def probabilities(self, texts: list[str], dense: np.ndarray | None) -> np.ndarray:
        """Calibrated probabilities, units × labels."""
        decision = self.matrix(texts, dense).dot(self.weights) + self.intercepts
        logits = -(self.calibration[0] * decision + self.calibration[1])
        flat = [1.0 / (1.0 + math.exp(-x)) for x in logits.ravel().tolist()]  # scipy's expit, libm's exp
        return np.asarray(flat, dtype=np.float64).reshape(logits.shape)

    # -- files ----------------------------------------------------------------------------------------------
    @classmethod
    def load(cls, folder: Path) -> LinearArrays:
        """Read the arrays of an exported model (``linear.npz`` and the two vocabularies)."""
        meta = read_meta(folder)
        if meta.get("format") != FORMAT:
            raise ValueError(f"{folder / META_FILE}: unknown format {meta.get('format')!r}")
        with np.load(folder / ARRAYS_FILE) as arrays:
            loaded = {name: arrays[name] for name in arrays.files}
        return cls(
            words=read_vocabulary(folder / WORDS_FILE),
            word_idf=loaded["word_idf"],
            word_range=tuple(meta["word_ngrams"]),
            chars=read_vocabulary(folder / CHARS_FILE),
            char_idf=loaded["char_idf"],
            char_range=tuple(meta["char_ngrams"]),
            scale=loaded.get("scale"),
            weights=loaded["weights"],
            intercepts=loaded["intercepts"],
            calibration=loaded["calibration"],
        )


def export(model, folder: Path, source: Path | None = None) -> None:
    """Write the plain files of a fitted :class:`~nlp.model.linear.LinearSentenceClassifier` into ``folder``
    (``source``: the joblib they come from, whose sha256 is recorded)."""
    words, chars = model._words, model._chars
    _check_vectorizers(words, chars)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {
        "word_idf": np.asarray(words.idf_, dtype=np.float64),
        "char_idf": np.asarray(chars.idf_, dtype=np.float64),
        "weights": model._weights,
        "intercepts": model._intercepts,
        "calibration": model._calibration,
    }
    if model.use_rules:
        arrays["scale"] = model._scaler.scale_
    np.savez(folder / ARRAYS_FILE, **arrays)
    write_vocabulary(folder / WORDS_FILE, _in_column_order(words.vocabulary_))
    write_vocabulary(folder / CHARS_FILE, _in_column_order(chars.vocabulary_))
    meta = {
        "format": FORMAT,
        "name": model.name,
        "use_rules": model.use_rules,
        "c": model.c,
        "seed": model.seed,
        "generic_threshold": model.generic_threshold,
        "evasive_threshold": model.evasive_threshold,
        "kind_thresholds": model.kind_thresholds,
        "labels": list(model._labels),
        "dense_names": list(model._dense_names),
        "word_ngrams": list(words.ngram_range),
        "char_ngrams": list(chars.ngram_range),
        "source_sha256": file_sha256(source) if source is not None else None,
    }
    (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _in_column_order(vocabulary: dict[str, int]) -> list[str]:
    features = sorted(vocabulary, key=vocabulary.__getitem__)
    if [vocabulary[f] for f in features] != list(range(len(features))):
        raise ValueError("vocabulary columns are not 0..n-1")
    return features


def _check_vectorizers(words, chars) -> None:
    """Refuse vectorizer settings the numpy path does not reproduce."""
    from nlp.model.linear import _folded

    expected_words = {"analyzer": "word", "token_pattern": r"\S+", "lowercase": False, "preprocessor": None}
    expected_chars = {"analyzer": "char_wb", "preprocessor": _folded}
    common = {"sublinear_tf": True, "norm": "l2", "use_idf": True, "binary": False, "stop_words": None}
    for vectorizer, expected in ((words, expected_words), (chars, expected_chars)):
        for key, value in {**expected, **common}.items():
            if getattr(vectorizer, key) != value:
                raise ValueError(f"{key}={getattr(vectorizer, key)!r} is not supported by the array export")
        if vectorizer.tokenizer is not None or vectorizer.strip_accents is not None:
            raise ValueError("a custom tokenizer or accent stripping is not supported by the array export")


def main(argv: list[str] | None = None) -> int:
    """Convert shipped models: ``python -m nlp.model.linear_arrays models/linear-v1 [more folders]``."""
    import sys

    from nlp.model.linear import LinearSentenceClassifier

    for name in argv if argv is not None else sys.argv[1:]:
        folder = Path(name)
        source = folder / "model.joblib"
        model = LinearSentenceClassifier.load(source)
        export(model, folder, source)
        print(f"{folder}: {ARRAYS_FILE}, {META_FILE}, {WORDS_FILE}, {CHARS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
