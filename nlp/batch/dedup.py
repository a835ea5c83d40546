"""Copied and near-duplicate reports: MinHash/LSH candidates (datasketch), verified by exact Jaccard.

Each report is a set of word shingles over its *non-structural* sentences (headings, header lines, dates
and signatures are marked ``structural`` by the analysis and never count), hashed by the workers
(:func:`nlp.batch.worker.shingle_hashes`). Text that many reports legitimately share (the form's wording,
stock phrases) is removed before comparing: a shingle found in more than
``max(df_min, min(df_share × reports, df_max))`` reports is boilerplate. Document frequencies are counted in a fixed-size
hashed counter, so memory stays bounded whatever the number of reports.

The remaining "informative" shingles are sketched with MinHash and indexed with ``MinHashLSH``: each report
is queried against the reports inserted before it, so the cost is near-linear in the number of reports,
never all pairs. Every candidate pair is verified with the exact Jaccard similarity of the informative
shingle sets (read back from the store, not kept in memory); pairs at or above the threshold are joined
with union-find into groups. A candidate already in the same group is not verified again.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nlp.batch.config import rules
from nlp.batch.store import Store
from nlp.normalize import fold

_WORD = re.compile(r"\w+")


@dataclass
class CopyMember:
    """One report of a copy group: its best match in the group and the passages they share."""

    sha256: str
    similarity: float = 0.0
    match: str | None = None
    passages: list[str] = field(default_factory=list)


@dataclass
class CopyGroup:
    """Reports found to be copies of each other (by content hash)."""

    members: dict[str, CopyMember]
    id: str = ""

    @property
    def similarities(self) -> list[float]:
        """The verified similarities inside the group."""
        return [m.similarity for m in self.members.values() if m.match is not None]


@dataclass
class DedupStats:
    """What the duplicate detection did, for the summary and the benchmark."""

    reports: int = 0
    too_short: int = 0
    boilerplate_df: float = 0.0
    candidates: int = 0
    verified: int = 0
    pairs: int = 0
    groups: int = 0
    seconds: float = 0.0


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = key
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while key != root:
            self.parent[key], key = root, self.parent.get(key, key)
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class _Frequencies:
    """Document frequency of shingle hashes in a fixed-size hashed counter (collisions only over-count)."""

    def __init__(self, reports: int) -> None:
        size = 1 << min(25, max(20, (max(reports, 1) * 1024 - 1).bit_length()))
        self.mask = np.uint32(size - 1)
        self.counts = np.zeros(size, dtype=np.uint16 if reports < 65_535 else np.uint32)

    def add(self, hashes: np.ndarray) -> None:
        self.counts[np.unique(hashes & self.mask)] += 1

    def informative(self, hashes: np.ndarray, limit: float) -> np.ndarray:
        return hashes[self.counts[hashes & self.mask] <= limit]

    def frequent(self, hashes: np.ndarray, limit: float) -> np.ndarray:
        return self.counts[hashes & self.mask] > limit


def _load(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.uint32)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique hash arrays."""
    return overlap(a, b)[0]


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, int]:
    """(Jaccard similarity, number of shared hashes) of two sorted unique hash arrays."""
    if not len(a) and not len(b):
        return 0.0, 0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared), shared


def find_copies(
    store: Store,
    config: str,
    hashes: list[str],
    load_report: Callable[[str], dict | None] | None = None,
) -> tuple[list[CopyGroup], DedupStats]:
    """Group the reports ``hashes`` (content hashes of this run's analysed files) into copy groups.

    ``load_report(sha256)`` returns a report's result JSON (for the shared passages) or None.
    """
    from datasketch import MinHash, MinHashLSH

    settings = rules()["copies"]
    started = time.perf_counter()
    hashes = sorted(set(hashes))
    store.commit()
    stats = DedupStats(reports=len(hashes))
    frequencies = _Frequencies(len(hashes))
    for _, blob in store.shingles(config, hashes):
        frequencies.add(_load(blob))
    limit = max(float(settings["df_min"]), min(settings["df_share"] * len(hashes), float(settings["df_max"])))
    stats.boilerplate_df = limit

    num_perm = int(settings["num_perm"])
    template = MinHash(num_perm=num_perm, seed=int(settings["seed"]), hashfunc=int)
    lsh = MinHashLSH(threshold=float(settings["lsh_threshold"]), num_perm=num_perm)
    groups = _UnionFind()
    best: dict[str, tuple[float, str]] = {}
    threshold = float(settings["threshold"])
    min_shared = int(settings["min_shared"])

    def informative(sha256: str) -> np.ndarray:
        blob = next(iter(store.shingles(config, [sha256])), (None, b""))[1]
        return frequencies.informative(_load(blob or b""), limit)

    for sha256, blob in store.shingles(config, hashes):
        shingles = frequencies.informative(_load(blob), limit)
        if len(shingles) < settings["min_shingles"]:
            stats.too_short += 1
            continue
        sketch = MinHash(
            num_perm=num_perm,
            seed=template.seed,
            hashfunc=int,
            permutations=template.permutations,
            scheme=template.scheme,
        )
        sketch.update_batch(shingles.tolist())
        candidates = lsh.query(sketch)
        stats.candidates += len(candidates)
        for other in sorted(candidates):
            if groups.find(other) == groups.find(sha256):
                continue
            similarity, shared = overlap(shingles, informative(other))
            stats.verified += 1
            if similarity >= threshold and shared >= min_shared:
                stats.pairs += 1
                groups.union(sha256, other)
                for a, b in ((sha256, other), (other, sha256)):
                    if similarity > best.get(a, (0.0, ""))[0]:
                        best[a] = (similarity, b)
        lsh.insert(sha256, sketch)

    components: dict[str, dict[str, CopyMember]] = {}
    for sha256, (similarity, match) in best.items():
        components.setdefault(groups.find(sha256), {})[sha256] = CopyMember(sha256, similarity, match)
    result = [CopyGroup(members) for members in components.values() if len(members) > 1]
    if load_report is not None:
        for group in result:
            _add_passages(group, load_report, frequencies, limit, settings)
    stats.groups = len(result)
    stats.seconds = time.perf_counter() - started
    return result, stats


def _sentences(report: dict) -> list[str]:
    text = report.get("text", "")
    return [text[s["start"] : s["end"]] for s in report.get("sentences", []) if not s.get("structural")]


def _sentence_shingles(sentence: str, size: int) -> np.ndarray:
    from nlp.batch.worker import hash_grams

    words = _WORD.findall(fold(sentence))
    if len(words) >= size:
        grams = {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}
    elif len(words) >= 3:
        grams = {" ".join(words)}
    else:
        grams = set()
    return hash_grams(grams)


def _add_passages(
    group: CopyGroup, load_report: Callable[[str], dict | None], frequencies: _Frequencies, limit: float, settings
) -> None:
    """For each member, the longest sentences it shares with its match, boilerplate sentences left out."""
    size = int(settings["shingle_words"])
    cache: dict[str, dict | None] = {}

    def report(sha256: str) -> dict | None:
        if sha256 not in cache:
            cache[sha256] = load_report(sha256)
        return cache[sha256]

    for member in group.members.values():
        mine, theirs = report(member.sha256), report(member.match or "")
        if not mine or not theirs:
            continue
        pieces = [_sentence_shingles(s, size) for s in _sentences(theirs)]
        other = np.unique(np.concatenate(pieces)) if pieces else np.array([], dtype=np.uint32)
        shared: list[tuple[int, str]] = []
        for sentence in _sentences(mine):
            grams = _sentence_shingles(sentence, size)
            if len(_WORD.findall(sentence)) < settings["passage_min_words"] or not len(grams):
                continue
            informative = int((~frequencies.frequent(grams, limit)).sum())
            contained = len(np.intersect1d(grams, other, assume_unique=True)) / len(grams)
            if informative and contained >= settings["passage_containment"]:
                shared.append((informative, " ".join(sentence.split())))
        shared.sort(key=lambda pair: -pair[0])
        member.passages = [text for _, text in shared[: settings["max_passages"]]]


def number_groups(groups: list[CopyGroup], order: Callable[[CopyGroup], tuple]) -> list[CopyGroup]:
    """Sort the groups by ``order`` and give them stable ids N01, N02, …"""
    ordered = sorted(groups, key=order)
    width = max(2, len(str(len(ordered))))
    for index, group in enumerate(ordered, 1):
        group.id = f"N{index:0{width}d}"
    return ordered


def report_loader(out_dir: Path, files: Callable[[str], str]) -> Callable[[str], dict | None]:
    """A ``load_report`` reading the per-report JSON written in ``out_dir`` (``files(sha) -> relative path``)."""

    def load(sha256: str) -> dict | None:
        try:
            return json.loads((out_dir / files(sha256)).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    return load
