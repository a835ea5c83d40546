"""Sections from content: a sequence tagger that gives every sentence unit its section id.

Used by the layout stage for units whose section no heading decided (headings lost, pasted paragraphs, single
sections). A hybrid HMM:

- **emissions**: multinomial logistic regression on the accent-folded, lower-cased unit (word 1–2-grams and
  character 2–5-grams, digits mapped to ``0``) plus a few layout-free features (relative position bins, length,
  first person, cue lexicons of ``nlp/data/lexicons.yaml``); scaled likelihoods ``p(s|x) / p(s)^prior_power``;
- **transitions** estimated from the train split's gold section sequences (headings removed), with add-k
  smoothing; the start distribution is mixed with a uniform one because fragments start anywhere;
- **Viterbi** decoding with the units whose section is already known (``fixed``) clamped.

Every feature is computed on the folded key, so text typed in lower case or without diacritics gets the same
features as the original. This module holds what inference needs (features, the fitted tagger, decoding, the
shipped model); training, its data augmentation and the model card are in :mod:`nlp.model.sections_train`, the
corpus sequences and the evaluation cases in :mod:`nlp.model.sections_eval`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import ahocorasick
import numpy as np

from nlp.lexicon import default_lexicons
from nlp.model import MODELS_DIR
from nlp.model.arrays import SparseRows, count_rows, read_vocabulary, write_vocabulary
from nlp.schema import SECTION_IDS

if TYPE_CHECKING:  # scipy is imported only to train
    from scipy import sparse

MODEL_NAME = "sections-v1"
MODEL_FILE = "sections.joblib"  # not model.joblib: that name marks a sentence classifier in models/
ARRAYS_FILE = "sections.npz"  # the fitted numbers as plain files, read at prediction (numpy only)
META_FILE = "sections.json"
WORDS_FILE = "sections-words.txt"
CHARS_FILE = "sections-chars.txt"
SETTINGS = ("c", "prior_power", "smoothing", "start_uniform", "transition_weight", "context", "forward_mix", "seed")
STRUCTURAL_BLOCKS = ("header", "signature")
CUE_LISTS = (
    "first_person",
    "shortcoming",
    "hedge",
    "stock_self_criticism",
    "objective_cause",
    "subjective_cause",
    "cause_marker",
    "intent",
    "vague_time",
    "deadline",
    "responsibility",
    "stock_responsibility",
    "head_role",
    "collective_subject",
    "prompt_acceptance",
    "denial",
    "form_leftover",
)
POSITION_BINS = 10
_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def unit_key(text: str) -> str:
    """The unit as the model sees it: whitespace collapsed, accent-folded (``đ`` → ``d``), lower-cased, digits as
    ``0``, other non-ASCII characters dropped."""
    return unit_keys([text])[0]


def unit_keys(texts: Sequence[str]) -> list[str]:
    """:func:`unit_key` of many units at once (one pass over their joined text)."""
    joined = _SPACE.sub(" ", "\x00".join(t.replace("\x00", " ") for t in texts)).lower()
    joined = joined.replace("đ", "d").replace("ð", "d")  # ð: the look-alike sometimes typed for đ
    folded = unicodedata.normalize("NFD", joined).encode("ascii", "ignore").decode("ascii")
    return [part.strip() for part in _DIGIT.sub("0", folded).split("\x00")]


def word_features(key: str) -> list[str]:
    """Word unigrams and bigrams of a unit key."""
    words = _WORD.findall(key)
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def char_features(key: str, sizes: Sequence[int]) -> list[str]:
    """Character n-grams inside word boundaries (each word padded with spaces)."""
    grams = []
    for word in _WORD.findall(key):
        padded = f" {word} "
        for n in sizes:
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


@dataclass
class NgramSpace:
    """A fixed vocabulary with sublinear, l2-normalised TF-IDF weights (what TfidfVectorizer computes, without
    its per-call overhead: prediction must stay in milliseconds)."""

    index: dict[str, int]
    idf: np.ndarray

    def transform(self, docs: Sequence[list[str]]) -> sparse.csr_matrix:
        """:meth:`rows` as a scipy matrix (training)."""
        return self.rows(docs).to_scipy()

    def rows(self, docs: Sequence[list[str]]) -> SparseRows:
        """The TF-IDF rows of n-gram lists (numpy only; what the scipy version computed, bit for bit)."""
        get = self.index.get
        matrix = count_rows((map(get, doc) for doc in docs), len(self.index), dtype=np.float32)
        data = (1.0 + np.log(matrix.data)) * self.idf[matrix.indices]
        counts = np.diff(matrix.indptr)
        squares = np.zeros(len(docs), dtype=np.float32)
        filled = counts > 0
        squares[filled] = np.add.reduceat(data * data, matrix.indptr[:-1][filled])
        norms = np.sqrt(np.where(squares > 0, squares, 1.0))
        return SparseRows(
            matrix.indptr, matrix.indices, (data / np.repeat(norms, counts)).astype(np.float32), matrix.n_columns
        )


@cache
def _cue_automaton() -> tuple[ahocorasick.Automaton, dict[str, int]]:
    """One Aho–Corasick automaton over the folded phrases of the cue lists (a hit gives its lists' columns)."""
    lexicons = default_lexicons()
    columns = {name: column for column, name in enumerate(CUE_LISTS)}  # fixed width: a list gone is all zeros
    entries: dict[str, set[int]] = {}
    for name, column in columns.items():
        for phrase in lexicons.lists.get(name, []):
            entries.setdefault(unit_key(phrase), set()).add(column)
    automaton = ahocorasick.Automaton()
    for key, found in entries.items():
        automaton.add_word(key, (len(key), tuple(sorted(found))))
    automaton.make_automaton()
    return automaton, columns


def _dense(keys: list[str], positions: Sequence[float]) -> np.ndarray:
    """Layout-free features: position bins, length bins, punctuation shape and cue-lexicon hits (whole
    syllables, accent-insensitive)."""
    automaton, columns = _cue_automaton()
    base = POSITION_BINS + 1 + 4 + 3
    n = len(keys)
    rows = np.zeros((n, base + len(columns)), dtype=np.float32)
    where = np.clip(np.asarray(positions, dtype=np.float32), 0.0, 1.0)
    every = np.arange(n)
    rows[every, np.minimum((where * POSITION_BINS).astype(int), POSITION_BINS - 1)] = 1.0
    rows[:, POSITION_BINS] = where
    words = np.array([k.count(" ") + 1 for k in keys])
    rows[every, POSITION_BINS + 1 + np.searchsorted([4, 12, 30], words, side="left")] = 1.0
    rows[:, base - 3] = [k.endswith(":") for k in keys]
    rows[:, base - 2] = ["0" in k for k in keys]
    rows[:, base - 1] = ["%" in k or "/" in k for k in keys]
    joined = "\n".join(keys)  # one automaton pass over all units
    starts = list(accumulate(len(k) + 1 for k in keys))  # where each next unit starts
    hit_rows, hit_columns = [], []
    for end, (length, found) in automaton.iter(joined):
        start = end - length + 1
        if (start > 0 and joined[start - 1].isalnum()) or (end + 1 < len(joined) and joined[end + 1].isalnum()):
            continue
        row = bisect_right(starts, start)
        for column in found:
            hit_rows.append(row)
            hit_columns.append(base + column)
    rows[hit_rows, hit_columns] = 1.0
    return rows


@dataclass
class SectionTagger:
    """Hybrid HMM over sentence units; see the module docstring. Fitted by
    :func:`nlp.model.sections_train.fit_section_tagger`."""

    c: float = 4.0
    prior_power: float = 0.25  # dev alone preferred 0.75; see the model card (robustness on new text)
    smoothing: float = 0.5
    start_uniform: float = 0.5
    transition_weight: float = 1.0
    context: float = 1.0
    forward_mix: float = 0.0
    char_sizes: tuple[int, ...] = ()  # character n-grams measured no better on dev, and slower
    seed: int = 13
    states: tuple[str, ...] = SECTION_IDS
    _words: NgramSpace | None = field(default=None, repr=False)
    _chars: NgramSpace | None = field(default=None, repr=False)
    _weights: np.ndarray | None = field(default=None, repr=False)  # features × states
    _intercepts: np.ndarray | None = field(default=None, repr=False)
    _log_prior: np.ndarray | None = field(default=None, repr=False)
    _log_start: np.ndarray | None = field(default=None, repr=False)
    _log_transitions: np.ndarray | None = field(default=None, repr=False)  # from × to

    # -- features -------------------------------------------------------------------------------------------
    def _documents(self, sequences: Sequence[tuple[Sequence[str], Sequence[float]]]) -> tuple:
        """The units of every (texts, positions) sequence as the features see them: keys, positions, word and
        character n-gram lists (character ones empty without ``char_sizes``) and the sequence lengths."""
        lengths = [len(texts) for texts, _ in sequences]
        flat = unit_keys([t for texts, _ in sequences for t in texts])
        word_docs = [word_features(k) for k in flat]
        char_docs = [char_features(k, self.char_sizes) for k in flat] if self.char_sizes else []
        positions = [p for _, seq_positions in sequences for p in seq_positions]
        return flat, positions, word_docs, char_docs, lengths

    def _blocks(self, documents: tuple, numpy_only: bool = False) -> list:
        """Feature blocks of the units of :meth:`_documents`: word n-grams, dense features, character n-grams
        (or None) and the sequence lengths (for the neighbour block). The n-gram blocks are scipy matrices for
        training, :class:`~nlp.model.arrays.SparseRows` with ``numpy_only`` (prediction)."""
        flat, positions, word_docs, char_docs, lengths = documents

        def sparse_rows(space: NgramSpace, docs: Sequence[list[str]]):
            return space.rows(docs) if numpy_only else space.transform(docs)

        chars = sparse_rows(self._chars, char_docs) if self._chars is not None else None
        return [sparse_rows(self._words, word_docs), _dense(flat, positions), chars, lengths]

    # -- prediction -----------------------------------------------------------------------------------------
    def _log_posteriors(self, texts: Sequence[str], positions: Sequence[float]) -> np.ndarray:
        """log p(section | unit), block by block (the neighbour block is shifted scores, not a matrix)."""
        words, dense, chars, _ = self._blocks(self._documents([(texts, positions)]), numpy_only=True)
        w = self._weights
        n_words, n_dense = words.shape[1], dense.shape[1]
        decision = words.dot(w[:n_words]) + dense @ w[n_words : n_words + n_dense] + self._intercepts
        end = n_words + n_dense
        if chars is not None:
            decision += chars.dot(w[end : end + chars.shape[1]])
            end += chars.shape[1]
        if self.context > 0:
            own = self.context * 0.5 * words.dot(w[end : end + n_words])
            decision[1:] += own[:-1]
            decision[:-1] += own[1:]
        decision = np.asarray(decision, dtype=np.float64)
        decision -= decision.max(axis=1, keepdims=True)
        return decision - np.log(np.exp(decision).sum(axis=1, keepdims=True))

    def _emissions(
        self, texts: Sequence[str], positions: Sequence[float], fixed: Sequence[str | None], allow_structural: bool
    ) -> np.ndarray:
        if not (len(texts) == len(positions) == len(fixed)):
            raise ValueError("texts, positions and fixed must have the same length")
        emissions = self._log_posteriors(texts, positions) - self.prior_power * self._log_prior
        if not allow_structural:
            for state in STRUCTURAL_BLOCKS:
                emissions[:, self.states.index(state)] = -np.inf
        for row, section in enumerate(fixed):
            if section is not None:
                if section not in self.states:
                    raise ValueError(f"unknown section id {section!r}")
                emissions[row] = -np.inf
                emissions[row, self.states.index(section)] = 0.0
        return emissions

    def predict(
        self,
        texts: Sequence[str],
        positions: Sequence[float],
        fixed: Sequence[str | None],
        *,
        allow_structural: bool = False,
    ) -> list[str]:
        """A section id per unit: ``fixed[i]`` where given, else the Viterbi path's state. Inferred units are
        never ``header``/``signature`` unless ``allow_structural`` (the layout stage decides those blocks)."""
        if not texts:
            return []
        emissions = self._emissions(texts, positions, fixed, allow_structural)
        path = _viterbi(emissions, self._log_start, self.transition_weight * self._log_transitions)
        return [fixed[i] if fixed[i] is not None else self.states[s] for i, s in enumerate(path)]

    def predict_proba(
        self,
        texts: Sequence[str],
        positions: Sequence[float],
        fixed: Sequence[str | None],
        *,
        allow_structural: bool = False,
    ) -> list[dict[str, float]]:
        """Per-unit posterior over section ids (forward–backward over the same model as :meth:`predict`)."""
        if not texts:
            return []
        emissions = self._emissions(texts, positions, fixed, allow_structural)
        marginals = _forward_backward(emissions, self._log_start, self.transition_weight * self._log_transitions)
        return [
            {state: round(float(p), 4) for state, p in zip(self.states, row, strict=True) if p >= 1e-4}
            for row in marginals
        ]

    def predict_spans(
        self, text: str, spans: Sequence[tuple[int, int]], fixed: Sequence[str | None] | None = None
    ) -> list[str]:
        """:meth:`predict` for units given as ``(start, end)`` offsets into ``text`` (positions = start / length)."""
        length = max(len(text), 1)
        texts = [text[start:end] for start, end in spans]
        positions = [start / length for start, _ in spans]
        return self.predict(texts, positions, list(fixed) if fixed is not None else [None] * len(texts))

    # -- persistence ----------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the fitted tagger: one compressed joblib file and, beside it, the plain files prediction reads
        (:meth:`export_arrays`)."""
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)
        self.export_arrays(path.parent)

    @classmethod
    def load(cls, path: Path) -> SectionTagger:
        """Read a tagger written by :meth:`save` from its joblib."""
        import joblib

        model = joblib.load(path)
        if not isinstance(model, cls):
            raise TypeError(f"{path} does not hold a {cls.__name__}")
        return model

    def export_arrays(self, folder: Path) -> None:
        """Write ``sections.json`` (settings, states), ``sections.npz`` (idf, weights, intercepts, prior, start,
        transitions) and the vocabularies, one n-gram a line in column order."""
        import json

        arrays = {
            "word_idf": self._words.idf,
            "weights": self._weights,
            "intercepts": self._intercepts,
            "log_prior": self._log_prior,
            "log_start": self._log_start,
            "log_transitions": self._log_transitions,
        }
        write_vocabulary(folder / WORDS_FILE, sorted(self._words.index, key=self._words.index.__getitem__))
        if self._chars is not None:
            arrays["char_idf"] = self._chars.idf
            write_vocabulary(folder / CHARS_FILE, sorted(self._chars.index, key=self._chars.index.__getitem__))
        np.savez(folder / ARRAYS_FILE, **arrays)
        meta = {
            "format": 1,
            **{name: getattr(self, name) for name in SETTINGS},
            "char_sizes": list(self.char_sizes),
            "states": list(self.states),
            "chars": self._chars is not None,
        }
        (folder / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load_arrays(cls, folder: Path) -> SectionTagger:
        """A tagger for prediction from the plain files written by :meth:`export_arrays` (numpy only)."""
        import json

        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != 1:
            raise ValueError(f"{folder / META_FILE}: unknown format {meta.get('format')!r}")
        with np.load(folder / ARRAYS_FILE) as stored:
            arrays = {name: stored[name] for name in stored.files}
        chars = NgramSpace(read_vocabulary(folder / CHARS_FILE), arrays["char_idf"]) if meta["chars"] else None
        return cls(
            **{name: meta[name] for name in SETTINGS},
            char_sizes=tuple(meta["char_sizes"]),
            states=tuple(meta["states"]),
            _words=NgramSpace(read_vocabulary(folder / WORDS_FILE), arrays["word_idf"]),
            _chars=chars,
            _weights=arrays["weights"],
            _intercepts=arrays["intercepts"],
            _log_prior=arrays["log_prior"],
            _log_start=arrays["log_start"],
            _log_transitions=arrays["log_transitions"],
        )


def _viterbi(emissions: np.ndarray, log_start: np.ndarray, log_trans: np.ndarray) -> list[int]:
    length, n = emissions.shape
    score = log_start + emissions[0]
    back = np.zeros((length, n), dtype=np.int64)
    for t in range(1, length):
        candidates = score[:, None] + log_trans
        back[t] = candidates.argmax(axis=0)
        score = candidates[back[t], np.arange(n)] + emissions[t]
    path = [int(score.argmax())]
    for t in range(length - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def _logsumexp(values: np.ndarray, axis: int) -> np.ndarray:
    peak = values.max(axis=axis, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    with np.errstate(divide="ignore"):
        return np.squeeze(peak, axis=axis) + np.log(np.exp(values - peak).sum(axis=axis))


def _forward_backward(emissions: np.ndarray, log_start: np.ndarray, log_trans: np.ndarray) -> np.ndarray:
    length, n = emissions.shape
    alpha = np.zeros((length, n))
    beta = np.zeros((length, n))
    alpha[0] = log_start + emissions[0]
    for t in range(1, length):
        alpha[t] = _logsumexp(alpha[t - 1][:, None] + log_trans, axis=0) + emissions[t]
    for t in range(length - 2, -1, -1):
        beta[t] = _logsumexp(log_trans + (emissions[t + 1] + beta[t + 1])[None, :], axis=1)
    joint = alpha + beta
    joint -= _logsumexp(joint, axis=1)[:, None]
    return np.exp(joint)


@cache
def default_section_tagger() -> SectionTagger:
    """The shipped tagger, loaded once per process: from its plain files (``models/sections-v1/sections.npz``…)
    when present, else from ``sections.joblib``."""
    folder = MODELS_DIR / MODEL_NAME
    if (folder / META_FILE).exists():
        return SectionTagger.load_arrays(folder)
    return SectionTagger.load(folder / MODEL_FILE)
