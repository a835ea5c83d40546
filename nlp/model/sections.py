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
features as the original. Training (:func:`train_sections`) uses whole reports with every heading removed or
headings removed at random, and contiguous fragments of one to three sections.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, pairwise
from pathlib import Path

import ahocorasick
import joblib
import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from nlp.lexicon import default_lexicons
from nlp.model import MODELS_DIR
from nlp.schema import SECTION_IDS

MODEL_NAME = "sections-v1"
MODEL_FILE = "sections.joblib"  # not model.joblib: that name marks a sentence classifier in models/
STRUCTURAL_BLOCKS = ("header", "signature")
CONTENT_SECTIONS = tuple(s for s in SECTION_IDS if s not in STRUCTURAL_BLOCKS)
ACHIEVEMENT_FAMILY = ("achievements", "ideology_ethics", "duties", "commitments")
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

    @classmethod
    def fit(cls, docs: Sequence[list[str]], min_df: int = 2) -> NgramSpace:
        df: dict[str, int] = {}
        for doc in docs:
            for token in set(doc):
                df[token] = df.get(token, 0) + 1
        kept = sorted(t for t, n in df.items() if n >= min_df)
        counts = np.array([df[t] for t in kept], dtype=np.float64)
        idf = np.log((1 + len(docs)) / (1 + counts)) + 1.0
        return cls({t: i for i, t in enumerate(kept)}, idf.astype(np.float32))

    def transform(self, docs: Sequence[list[str]]) -> sparse.csr_matrix:
        get = self.index.get
        rows, cols = [], []
        for row, doc in enumerate(docs):
            for token in doc:
                column = get(token)
                if column is not None:
                    rows.append(row)
                    cols.append(column)
        ones = np.ones(len(rows), dtype=np.float32)
        matrix = sparse.csr_matrix((ones, (rows, cols)), shape=(len(docs), len(self.index)))
        matrix.sum_duplicates()
        data = (1.0 + np.log(matrix.data)) * self.idf[matrix.indices]
        counts = np.diff(matrix.indptr)
        squares = np.zeros(len(docs), dtype=np.float32)
        filled = counts > 0
        squares[filled] = np.add.reduceat(data * data, matrix.indptr[:-1][filled])
        norms = np.sqrt(np.where(squares > 0, squares, 1.0))
        matrix.data = (data / np.repeat(norms, counts)).astype(np.float32)
        return matrix


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
    """Hybrid HMM over sentence units; see the module docstring."""

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
    def _blocks(self, sequences: Sequence[tuple[Sequence[str], Sequence[float]]], fit: bool = False) -> list:
        """Feature blocks of every unit of every (texts, positions) sequence: word n-grams, dense features,
        character n-grams (or None) and the sequence lengths (for the neighbour block)."""
        lengths = [len(texts) for texts, _ in sequences]
        flat = unit_keys([t for texts, _ in sequences for t in texts])
        word_docs = [word_features(k) for k in flat]
        char_docs = [char_features(k, self.char_sizes) for k in flat] if self.char_sizes else []
        if fit:
            self._words = NgramSpace.fit(word_docs, min_df=2)
            self._chars = NgramSpace.fit(char_docs, min_df=3) if self.char_sizes else None
        positions = [p for _, seq_positions in sequences for p in seq_positions]
        chars = self._chars.transform(char_docs) if self._chars is not None else None
        return [self._words.transform(word_docs), _dense(flat, positions), chars, lengths]

    def _matrix(self, sequences: Sequence[tuple[Sequence[str], Sequence[float]]], fit: bool = False):
        """The training matrix: [words | dense | chars | context × neighbours' words]."""
        words, dense, chars, lengths = self._blocks(sequences, fit)
        blocks = [words, sparse.csr_matrix(dense), *([chars] if chars is not None else [])]
        if self.context > 0:
            blocks.append(self.context * _neighbours(words, lengths))
        return sparse.hstack(blocks, format="csr")

    # -- training -------------------------------------------------------------------------------------------
    def fit(
        self, sequences: Sequence[tuple[list[str], list[float], list[str]]], transitions_from=None
    ) -> SectionTagger:
        """Fit on (texts, positions, gold sections) sequences; transitions from ``transitions_from`` (section
        sequences; default: the gold sequences given)."""
        gold = [s for seq in sequences for s in seq[2]]
        index = {state: i for i, state in enumerate(self.states)}
        y = np.array([index[s] for s in gold])
        matrix = self._matrix([(seq[0], seq[1]) for seq in sequences], fit=True)
        model = LogisticRegression(C=self.c, max_iter=3000, random_state=self.seed)
        model.fit(matrix, y)
        weights = np.zeros((matrix.shape[1], len(self.states)), dtype=np.float32)
        intercepts = np.full(len(self.states), -30.0)
        weights[:, model.classes_] = model.coef_.T
        intercepts[model.classes_] = model.intercept_
        self._weights, self._intercepts = weights, intercepts
        counts = np.bincount(y, minlength=len(self.states)).astype(float) + 1.0
        self._log_prior = np.log(counts / counts.sum())
        self.set_transitions(transitions_from or [seq[2] for seq in sequences])
        return self

    def set_transitions(self, section_sequences: Sequence[Sequence[str]]) -> None:
        """Estimate start and transition log-probabilities from gold section sequences."""
        n = len(self.states)
        index = {state: i for i, state in enumerate(self.states)}
        start = np.zeros(n)
        trans = np.zeros((n, n))
        for sequence in section_sequences:
            ids = [index[s] for s in sequence]
            if not ids:
                continue
            start[ids[0]] += 1
            for a, b in pairwise(ids):
                trans[a, b] += 1
        trans += self.smoothing
        trans /= trans.sum(axis=1, keepdims=True)
        if self.forward_mix > 0:  # leaving a section: part of the mass spread evenly over the later body parts
            stay = np.diag(trans).copy()
            leave = trans - np.diag(stay)
            leave /= np.maximum(leave.sum(axis=1, keepdims=True), 1e-12)
            forward = np.triu(np.ones((n, n)), k=1)
            forward[:, [index[s] for s in STRUCTURAL_BLOCKS if s in index]] = 0.0
            forward /= np.maximum(forward.sum(axis=1, keepdims=True), 1.0)
            mixed = (1 - self.forward_mix) * leave + self.forward_mix * forward
            mixed /= np.maximum(mixed.sum(axis=1, keepdims=True), 1e-12)
            trans = np.diag(stay) + (1 - stay)[:, None] * mixed
        start = start / max(start.sum(), 1.0)
        start = (1 - self.start_uniform) * start + self.start_uniform / n
        self._log_start = np.log(start)
        self._log_transitions = np.log(trans)

    # -- prediction -----------------------------------------------------------------------------------------
    def _log_posteriors(self, texts: Sequence[str], positions: Sequence[float]) -> np.ndarray:
        """log p(section | unit), block by block (the neighbour block is shifted scores, not a matrix)."""
        words, dense, chars, _ = self._blocks([(texts, positions)])
        w = self._weights
        n_words, n_dense = words.shape[1], dense.shape[1]
        decision = words @ w[:n_words] + dense @ w[n_words : n_words + n_dense] + self._intercepts
        end = n_words + n_dense
        if chars is not None:
            decision += chars @ w[end : end + chars.shape[1]]
            end += chars.shape[1]
        if self.context > 0:
            own = self.context * 0.5 * np.asarray(words @ w[end : end + n_words])
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
        """Write the fitted tagger (one compressed joblib file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)

    @classmethod
    def load(cls, path: Path) -> SectionTagger:
        """Read a tagger written by :meth:`save`."""
        model = joblib.load(path)
        if not isinstance(model, cls):
            raise TypeError(f"{path} does not hold a {cls.__name__}")
        return model


def _neighbours(words: sparse.csr_matrix, lengths: list[int]) -> sparse.csr_matrix:
    """Per row, the mean of the previous and the next unit's rows within the same sequence."""
    rows, cols, n = [], [], words.shape[0]
    offset = 0
    for length in lengths:
        for i in range(offset, offset + length):
            if i > offset:
                rows.append(i)
                cols.append(i - 1)
            if i < offset + length - 1:
                rows.append(i)
                cols.append(i + 1)
        offset += length
    shift = sparse.csr_matrix((np.full(len(rows), 0.5), (rows, cols)), shape=(n, n))
    return (shift @ words).tocsr()


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
    """The shipped tagger (``models/sections-v1/sections.joblib``), loaded once per process."""
    return SectionTagger.load(MODELS_DIR / MODEL_NAME / MODEL_FILE)


# -- corpus sequences, augmentation and evaluation ------------------------------------------------------------
Unit = tuple[str, str, bool]  # text, gold section, structural
Sequence_ = tuple[list[str], list[float], list[str]]  # texts, positions, sections


def record_units(record: dict) -> list[Unit]:
    """The record's units as (text, section, structural)."""
    text = record["text"]
    return [(text[u["start"] : u["end"]], u["section"], bool(u["structural"])) for u in record["units"]]


def is_heading(unit: Unit) -> bool:
    """A structural unit inside the body (a heading or a form label), not the header or signature block."""
    return unit[2] and unit[1] not in STRUCTURAL_BLOCKS


def as_sequence(units: Sequence[Unit]) -> Sequence_:
    """Texts, relative positions (units joined by line breaks, as a pasted text) and gold sections."""
    positions, offset = [], 0
    total = sum(len(u[0]) + 1 for u in units) or 1
    for unit in units:
        positions.append(offset / total)
        offset += len(unit[0]) + 1
    return [u[0] for u in units], positions, [u[1] for u in units]


def section_runs(units: Sequence[Unit]) -> list[list[Unit]]:
    """The body's units (no header or signature) grouped into maximal runs of one section."""
    runs: list[list[Unit]] = []
    for unit in units:
        if unit[1] in STRUCTURAL_BLOCKS:
            continue
        if runs and runs[-1][0][1] == unit[1]:
            runs[-1].append(unit)
        else:
            runs.append([unit])
    return runs


def training_sequences(records: Sequence[dict], seed: int = 13, fragments: int = 4) -> list[Sequence_]:
    """Augmented sequences: each report with every heading removed, with headings removed at random, without
    headings and with some sections left out (probability 0.3 each), and ``fragments`` contiguous windows of one to three sections (heading kept with probability 0.3)."""
    rng = random.Random(seed)
    sequences = []
    for record in records:
        units = record_units(record)
        sequences.append(as_sequence([u for u in units if not is_heading(u)]))
        drop = rng.uniform(0.3, 1.0)
        sequences.append(as_sequence([u for u in units if not (is_heading(u) and rng.random() < drop)]))
        body = sorted({u[1] for u in units} - set(STRUCTURAL_BLOCKS))
        skipped = {section for section in body if rng.random() < 0.3}  # reports leave parts out
        sequences.append(as_sequence([u for u in units if not is_heading(u) and u[1] not in skipped]))
        runs = section_runs(units)
        for _ in range(fragments if runs else 0):
            width = rng.randint(1, min(3, len(runs)))
            first = rng.randrange(len(runs) - width + 1)
            keep_headings = rng.random() < 0.3
            window = [u for run in runs[first : first + width] for u in run if keep_headings or not is_heading(u)]
            if window:
                sequences.append(as_sequence(window))
    return sequences


def evaluation_cases(records: Sequence[dict], case: str) -> list[tuple[Sequence_, list[str | None], list[bool]]]:
    """(sequence, fixed, scored) per test case. ``case``: ``no_headings`` (whole report, headings removed,
    header and signature fixed), ``body_only`` (headings, header and signature removed, nothing fixed),
    ``fragment1`` / ``fragment2`` (every single section / every two adjacent sections, headings removed).
    Scored units are the content (non-structural) ones."""
    cases = []
    for record in records:
        units = [u for u in record_units(record) if not is_heading(u)]
        if case == "no_headings":
            groups = [units]
        elif case == "body_only":
            groups = [[u for u in units if u[1] not in STRUCTURAL_BLOCKS]]
        elif case in ("fragment1", "fragment2"):
            runs = section_runs(units)
            width = 1 if case == "fragment1" else 2
            groups = [[u for run in runs[i : i + width] for u in run] for i in range(len(runs) - width + 1)]
        else:
            raise ValueError(f"unknown case {case!r}")
        for group in groups:
            if not group:
                continue
            fixed = [u[1] if u[1] in STRUCTURAL_BLOCKS else None for u in group]
            cases.append((as_sequence(group), fixed, [not u[2] for u in group]))
    return cases


def _family(section: str) -> str:
    return "achievements" if section in ACHIEVEMENT_FAMILY else section


def score(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """Accuracy, macro-F1 over the gold sections, per-section F1, and the same with the achievements family
    (achievements, ideology_ethics, duties, commitments) merged."""
    from sklearn.metrics import f1_score

    def block(g: list[str], p: list[str]) -> dict:
        labels = sorted(set(g))
        per = f1_score(g, p, labels=labels, average=None, zero_division=0)
        rest = [v for label, v in zip(labels, per, strict=True) if label != "achievements"]
        return {
            "accuracy": round(float(np.mean([a == b for a, b in zip(g, p, strict=True)])), 4),
            "macro_f1": round(float(np.mean(per)), 4),
            "macro_f1_without_achievements": round(float(np.mean(rest)), 4) if rest else 0.0,
            "f1": {label: round(float(v), 4) for label, v in zip(labels, per, strict=True)},
        }

    result = block(list(gold), list(predicted))
    result["merged"] = block([_family(s) for s in gold], [_family(s) for s in predicted])
    result["units"] = len(gold)
    return result


def evaluate_tagger(tagger: SectionTagger, records: Sequence[dict], case: str) -> dict:
    """Content-unit scores of ``tagger`` on one evaluation case (see :func:`evaluation_cases`)."""
    gold, predicted = [], []
    for (texts, positions, sections), fixed, scored in evaluation_cases(records, case):
        output = tagger.predict(texts, positions, fixed)
        gold.extend(s for s, keep in zip(sections, scored, strict=True) if keep)
        predicted.extend(s for s, keep in zip(output, scored, strict=True) if keep)
    return score(gold, predicted)


# -- training -------------------------------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = ROOT / "corpus" / "data" / "reports.jsonl"
DEFAULT_SPLITS = ROOT / "corpus" / "splits.json"
CASES = ("no_headings", "body_only", "fragment1", "fragment2")


def read_split(split: str, corpus: Path = DEFAULT_CORPUS, splits: Path = DEFAULT_SPLITS) -> list[dict]:
    """The corpus records of one frozen split (read directly: no pipeline import)."""
    wanted = set(json.loads(splits.read_text(encoding="utf-8"))[split])
    with corpus.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [r for r in records if r["id"] in wanted]


def transition_sequences(records: Sequence[dict], seed: int = 13, copies: int = 3, drop: float = 0.3) -> list:
    """Gold section sequences (headings removed), plus ``copies`` of each with every body section dropped with
    probability ``drop``: reports leave parts out, so the form's order must allow skips."""
    rng = random.Random(seed)
    gold = [[u[1] for u in record_units(r) if not is_heading(u)] for r in records]
    sequences = list(gold)
    for sequence in gold:
        body = sorted(set(sequence) - set(STRUCTURAL_BLOCKS))
        for _ in range(copies):
            dropped = {s for s in body if rng.random() < drop}
            sequences.append([s for s in sequence if s not in dropped])
    return sequences


def fit_tagger(records: Sequence[dict], seed: int = 13, fragments: int = 4, **settings) -> SectionTagger:
    """Fit a tagger on the augmented sequences of ``records``; transitions from their headingless sequences."""
    sequences = training_sequences(records, seed=seed, fragments=fragments)
    transitions = transition_sequences(records, seed=seed)
    return SectionTagger(seed=seed, **settings).fit(sequences, transitions_from=transitions)


def _fold_texts(records: Sequence[dict]) -> list[dict]:
    """The records typed in lower case without diacritics (same offsets: folding keeps the length)."""
    from nlp.normalize import fold

    return [{**r, "text": fold(r["text"])} for r in records]


def _speed_ms(tagger: SectionTagger, records: Sequence[dict]) -> dict:
    """Warm time of one ``predict`` over 100 content units: best and median of 7 rounds of 10 calls (the build
    machine is shared, so the load average is recorded with it)."""
    units = [u for r in records for u in record_units(r) if not u[2]][:100]
    texts, positions, _ = as_sequence(units)
    fixed = [None] * len(texts)
    tagger.predict(texts, positions, fixed)
    rounds = []
    for _ in range(7):
        started = time.perf_counter()
        for _ in range(10):
            tagger.predict(texts, positions, fixed)
        rounds.append((time.perf_counter() - started) / 10 * 1000)
    return {
        "best_ms": round(min(rounds), 2),
        "median_ms": round(float(np.median(rounds)), 2),
        "load_average": round(os.getloadavg()[0], 2),
    }


def train_sections(
    out_dir: Path | None = None,
    corpus: Path = DEFAULT_CORPUS,
    splits: Path = DEFAULT_SPLITS,
    seed: int = 13,
) -> dict:
    """Fit on train (settings chosen on dev beforehand: the class defaults), evaluate on dev and, once, on the
    frozen test split; write ``sections.joblib``, ``metrics.json`` and ``MODEL_CARD.md``; return the metrics."""
    out_dir = out_dir or MODELS_DIR / MODEL_NAME
    train, dev, test = (read_split(s, corpus, splits) for s in ("train", "dev", "test"))
    started = time.perf_counter()
    tagger = fit_tagger(train, seed=seed)
    fit_seconds = round(time.perf_counter() - started, 1)
    path = out_dir / MODEL_FILE
    tagger.save(path)
    tagger = SectionTagger.load(path)
    dev_scores = {case: evaluate_tagger(tagger, dev, case) for case in CASES}
    dev_scores["no_headings_folded"] = evaluate_tagger(tagger, _fold_texts(dev), "no_headings")
    metrics = {
        "name": MODEL_NAME,
        "seed": seed,
        "settings": {
            k: getattr(tagger, k)
            for k in ("c", "prior_power", "smoothing", "start_uniform", "transition_weight", "context", "forward_mix")
        },
        "train_reports": len(train),
        "train_rows": sum(len(s[0]) for s in training_sequences(train, seed=seed)),
        "features": int(tagger._weights.shape[0]),
        "fit_seconds": fit_seconds,
        "size_bytes": path.stat().st_size,
        "predict_100_units": _speed_ms(tagger, dev),
        "dev": dev_scores,
        "test": {case: evaluate_tagger(tagger, test, case) for case in CASES},
    }
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "MODEL_CARD.md").write_text(model_card(metrics), encoding="utf-8")
    return metrics


def summary_line(scores: dict) -> str:
    """``accuracy / macro-F1 / macro-F1 with the achievements family merged``."""
    return f"{scores['accuracy']:.3f} / {scores['macro_f1']:.3f} / {scores['merged']['macro_f1']:.3f}"


CASE_NAMES = {
    "no_headings": "whole reports, every heading removed (header and signature fixed, as the layout stage gives them)",
    "body_only": "whole report bodies pasted without headings, header or signature (nothing fixed)",
    "fragment1": "every single section alone, headings removed (nothing fixed)",
    "fragment2": "every two adjacent sections, headings removed (nothing fixed)",
    "no_headings_folded": "as no_headings, typed in lower case without diacritics",
}


def model_card(metrics: dict) -> str:
    """The model card, written from the training metrics."""
    dev, test, settings = metrics["dev"], metrics["test"], metrics["settings"]

    def table(scores: dict) -> str:
        lines = [
            "| case | units | accuracy | macro-F1 | macro-F1 without `achievements` | macro-F1, family merged |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for case, s in scores.items():
            lines.append(
                f"| {case}: {CASE_NAMES[case]} | {s['units']} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} "
                f"| {s['macro_f1_without_achievements']:.3f} | {s['merged']['macro_f1']:.3f} |"
            )
        return "\n".join(lines)

    def per_section(scores: dict) -> str:
        labels = [s for s in CONTENT_SECTIONS if s in scores["no_headings"]["f1"]]
        lines = ["| section | " + " | ".join(CASES) + " |", "|---|" + "---:|" * len(CASES)]
        for label in labels:
            lines.append(f"| {label} | " + " | ".join(f"{scores[c]['f1'].get(label, 0):.3f}" for c in CASES) + " |")
        lines.append(
            "| *family merged* | "
            + " | ".join(f"{scores[c]['merged']['f1'].get('achievements', 0):.3f}" for c in CASES)
            + " |"
        )
        return "\n".join(lines)

    return MODEL_CARD.format(
        train_reports=metrics["train_reports"],
        train_rows=metrics["train_rows"],
        features=metrics["features"],
        fit_seconds=metrics["fit_seconds"],
        size_mb=metrics["size_bytes"] / 1e6,
        speed=metrics["predict_100_units"]["best_ms"],
        speed_median=metrics["predict_100_units"]["median_ms"],
        load=metrics["predict_100_units"]["load_average"],
        seed=metrics["seed"],
        settings_c=settings["c"],
        settings=", ".join(f"{k}={v}" for k, v in settings.items()),
        dev_table=table(dev),
        dev_sections=per_section(dev),
        test_table=table(test),
    )


MODEL_CARD = """# sections-v1 — sections from content

Gives every sentence unit of a report its section id (`nlp.schema.SECTION_IDS`) from what it says and where it
stands, for units whose section no heading decided: reports whose headings were lost, pasted paragraphs, single
sections. Code: `nlp/model/sections.py`; written by `kiemdiem train --variant sections` (this card included).

## Use

```python
from nlp.model.sections import default_section_tagger

tagger = default_section_tagger()                      # cached; models/sections-v1/sections.joblib
sections = tagger.predict(texts, positions, fixed)     # one id per unit
posteriors = tagger.predict_proba(texts, positions, fixed)  # one {{section: p}} per unit
sections = tagger.predict_spans(text, [(start, end), ...], fixed)  # units as offsets into text
```

`texts`: the units in reading order; `positions`: each unit's start offset / text length (0..1); `fixed[i]`: a
section already decided (heading, `header`, `signature`) or `None`. Fixed units keep their id and are clamped in
decoding; the others are inferred and are never `header`/`signature` (pass `allow_structural=True` to allow it).

## Data

The project's corpus (`corpus/data/reports.jsonl`, fictional reports, every unit labelled): {train_reports}
**train** reports for fitting; **dev** for every choice; the frozen **test** split evaluated once, below. No real
sample text was used.

Training sequences ({train_rows} unit rows): each train report (1) with every heading removed, (2) with headings
removed at random (each kept heading stays as a unit to tag), (3) with every heading removed and each body section
left out with probability 0.3 (reports skip parts), and (4) 4 contiguous windows of one to three sections (heading
kept with probability 0.3); positions are recomputed on the shortened text each time. Lower-case and
no-diacritics variants are not needed: every feature is computed on the folded key (below).

## Model

A hybrid HMM. Emissions: multinomial logistic regression (C={settings_c}) on {features} features of the accent-folded,
lower-cased unit (digits as `0`): word uni- and bigrams (sublinear TF-IDF, l2), the same n-grams of the previous
and next unit (context), relative position (10 bins and the value), length bins, a final colon, digits, `%` or
`/`, and cue-lexicon hits from `nlp/data/lexicons.yaml` (first person, shortcoming, hedge, causes, intent,
deadline, responsibility, head role, collective subject…); scaled likelihood `p(s|x) / p(s)^prior_power`.
Transitions: gold section sequences of the train reports with headings removed, plus 3 copies of each with every
body section dropped with probability 0.3 (so that skipping parts is possible), add-k smoothed; the start
distribution is mixed half and half with a uniform one (fragments start anywhere). Viterbi decoding with the
fixed units clamped; `predict_proba` is forward–backward over the same model.

Settings ({settings}; seed {seed}) were chosen on dev (mean of the four cases below), except prior_power (see
Limits): C in {{4, 8}}, context
weight in {{0, 0.5, 1}}, prior_power in {{0, 0.4, 0.5, 0.75, 1}}, transition weight in {{0.5, 0.75, 1, 1.5, 2}},
forward_mix (spreading the leaving mass over later parts) in {{0, 0.5}}, start mixing and smoothing (insensitive),
character 2–5-grams (no better on dev, 3× slower: left out), a year-relative feature (worse on dev: left out).

Every feature is computed on the folded key, so text typed in lower case or without diacritics gets exactly the
same prediction (dev row `no_headings_folded`).

Fit: {fit_seconds} s on the shared 2-core build machine. Size: {size_mb:.1f} MB. Prediction of 100 units, warm,
feature extraction included: {speed} ms best / {speed_median} ms median of 7 rounds, on that machine with a load
average of {load} (other jobs running); an idle core is faster.

## Dev figures (content units only: headings and structural blocks are not scored)

{dev_table}

Per-section F1 on dev:

{dev_sections}

The achievements family (`achievements`, `ideology_ethics`, `duties`, `commitments`) is where most confusions
are; merged, it scores as shown in the last row. `achievements` itself (content directly under part I) has few
units and they are not separable from `duties` without headings: in the corpus, collective reports of the first
batch label the Party-building paragraphs of part I `achievements` while the others label the same kind of text
`duties`. Macro-F1 counts that label as one of eleven.

## Test (frozen split, evaluated once after every choice was made)

{test_table}

## Limits

- **Remedies written right after the causes or part III can be read as `previous_remediation`** (the corpus
  always puts III between causes and remedies, and the two read alike: "từ tháng 1, tôi lập kế hoạch…" is a
  remedy or last year's fix depending on the year). On 8 hand-written headingless reports (4 remedy openings ×
  with / without a part III sentence, 3 remedies each) 14 of 24 remedies come out right with the shipped
  `prior_power=0.25`; 8/24 with 0.75, which dev alone preferred (by 0.004–0.013 accuracy), and 17/24 with 0 (no
  division by the prior; −0.015 on dev fragments). 0.25 was chosen as the compromise, knowingly departing from
  dev's optimum for text that does not look like the corpus. The opening remedy sentence is the one most often
  missed; a remedies fragment alone comes out right.
- `achievements` (content directly under part I) is not separable from `duties` without headings (see above).
- Trained on the corpus's own unit granularity (mostly one sentence or bullet per unit); units much longer (whole
  paragraphs) or shorter (half sentences from hard-wrapped lines) than that are out of its training distribution.
- Positions are relative to the text given; a fragment's positions say little and the model relies on content.
- `suggested_issues`, `collective_responsibility` and `causes` are the weakest single sections in fragments:
  a lone paragraph about a collective fault or a cause reads like a shortcoming.
- The corpus is fictional and small ({train_reports} train reports, written to the forms' order); figures on real
  reports will be lower. The real sample texts in `../shared/real-samples/` were not used for training or choices;
  tried on them (split naively into sentences, nothing fixed), whole reports come out in the form's order
  (achievements, shortcomings, remedies, self-rating where the text has them) and the part VI fragment as remedies,
  but the three part V fragments (collective responsibility alone) come out as shortcomings and remedies, and the
  part I.3 fragment (commitments) as ideology / duties / remedies.
"""


def train_report(
    name: str | None = None,
    out_dir: Path | None = None,
    corpus: Path | None = None,
    splits: Path | None = None,
    seed: int = 13,
) -> str:
    """Train (``kiemdiem train --variant sections``) and say what came out, one line per evaluation case."""
    out_dir = out_dir or MODELS_DIR / (name or MODEL_NAME)
    metrics = train_sections(out_dir, corpus or DEFAULT_CORPUS, splits or DEFAULT_SPLITS, seed=seed)
    lines = [
        f"{out_dir}: fit {metrics['fit_seconds']} s, {metrics['size_bytes'] / 1e6:.1f} MB, "
        f"{metrics['predict_100_units']['best_ms']} ms / 100 units",
        "content units: accuracy / macro-F1 / macro-F1 with the achievements family merged",
    ]
    for split in ("dev", "test"):
        lines += [f"  {split} {case:<19} {summary_line(scores)}" for case, scores in metrics[split].items()]
    return "\n".join(lines)
