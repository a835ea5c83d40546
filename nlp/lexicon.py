"""Cue lexicons from ``nlp/data/lexicons.yaml``, matched with Aho–Corasick on whole syllables.

Matching runs on the accent-folded key (same length as the text, so offsets carry over). When the
text has diacritics, a folded hit must also agree with the phrase's own diacritics, so that folding
collisions (*nể*/*nệ*/*ne*) do not fire; text typed without diacritics matches accent-insensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import ahocorasick

from nlp.data import load_data
from nlp.normalize import fold

DATA_PACKAGE = "nlp.data"


@dataclass(frozen=True, slots=True)
class Hit:
    """One lexicon phrase found at ``[start, end)`` of the text."""

    start: int
    end: int
    lexicon: str
    phrase: str


def load_yaml(name: str) -> dict:
    """Load a YAML data file shipped in ``nlp/data`` (parsed once per content: :func:`nlp.data.load_data`)."""
    return load_data(name, DATA_PACKAGE)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


_SPACE_RUN = re.compile(r"\s{2,}")


class Lexicons:
    """All cue lists, compiled into one automaton; ``find`` returns every hit in a text."""

    def __init__(self, lists: dict[str, list[str]]) -> None:
        self.lists = {name: [p.strip().lower() for p in phrases if p and p.strip()] for name, phrases in lists.items()}
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, str]]] = {}
        for name, phrases in self.lists.items():
            for phrase in phrases:
                entries.setdefault(fold(phrase), []).append((name, phrase))
        for key, values in entries.items():
            self._automaton.add_word(key, (len(key), tuple(values)))
        self._automaton.make_automaton()

    def find(self, text: str, folded: str | None = None, *, accent_insensitive: bool = False) -> list[Hit]:
        """Every whole-syllable hit of any list in ``text`` (``folded`` = ``fold(text)`` if precomputed). A run of
        spaces (a line break or a page number blanked out of a wrapped sentence) counts as one space."""
        folded = fold(text) if folded is None else folded
        if _SPACE_RUN.search(folded):
            return self._find_squeezed(text, folded, accent_insensitive)
        lowered = text.lower()
        hits: list[Hit] = []
        for end_index, (length, values) in self._automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            if start > 0 and _is_word_char(folded[start - 1]):
                continue
            if end < len(folded) and _is_word_char(folded[end]):
                continue
            surface = lowered[start:end]
            for name, phrase in values:
                if accent_insensitive or surface == phrase:
                    hits.append(Hit(start, end, name, phrase))
        hits.sort(key=lambda h: (h.start, -h.end))
        if accent_insensitive:
            hits = _drop_nested(hits)
        return hits

    def _find_squeezed(self, text: str, folded: str, accent_insensitive: bool) -> list[Hit]:
        keep = [i for i in range(len(folded)) if not (folded[i].isspace() and i and folded[i - 1].isspace())]
        squeezed_text = "".join(" " if text[i].isspace() else text[i] for i in keep)
        squeezed_folded = "".join(" " if folded[i].isspace() else folded[i] for i in keep)
        hits = self.find(squeezed_text, squeezed_folded, accent_insensitive=accent_insensitive)
        keep.append(len(folded))
        return [Hit(keep[h.start], keep[h.end - 1] + 1, h.lexicon, h.phrase) for h in hits]

    def __contains__(self, name: str) -> bool:
        return name in self.lists


def _drop_nested(hits: list[Hit]) -> list[Hit]:
    """Without diacritics, a short syllable inside a longer phrase is a folding collision: drop it."""
    kept: list[Hit] = []
    for hit in hits:
        inside = any(
            o.start <= hit.start
            and hit.end <= o.end
            and (o.end - o.start) > (hit.end - hit.start)
            and not o.phrase.endswith(hit.phrase)
            and not o.phrase.startswith(hit.phrase)
            for o in hits
        )
        if not inside:
            kept.append(hit)
    return kept


@cache
def default_lexicons() -> Lexicons:
    """The shipped lexicons (loaded once per process)."""
    return Lexicons(load_yaml("lexicons.yaml"))
