"""Abbreviations no list foresaw, read against the other name they are compared with.

A header writes "Chi bộ TAND khu vực 4", "Ban QL khu du lịch", "Trường PTDTBT TH và THCS", "Chi bộ HQCK Khau Mìa": a
word that is no Vietnamese syllable is an abbreviation when the other name holds a run of words whose first letters
spell it ("tand" ↔ "toa an nhan dan"; a letter group may open a word: "nhno" ↔ "ngan hang nong"; a "va" between them
may be left out: "ptnt" ↔ "phat trien nong thon"). The word is then read as that run, and the names compared again.
The syllable grammar is data (cross.yaml ``syllable``).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from nlp.cross.config import settings

_LONGEST_RUN = 8  # an abbreviation reads at most this many words


@cache
def _syllable() -> re.Pattern[str]:
    grammar = settings()["syllable"]
    onsets = "|".join(sorted(grammar["onsets"], key=len, reverse=True))
    codas = "|".join(sorted(grammar["codas"], key=len, reverse=True))
    return re.compile(rf"(?:{onsets})?[{grammar['vowels']}]{{1,3}}(?:{codas})?")


@lru_cache(maxsize=1 << 14)
def is_abbreviation(word: str) -> bool:
    """A folded word of two or more letters that is no Vietnamese syllable ("tand", "ql", "hqck"; not "tam", "khu")."""
    return len(word) >= 2 and word.isalpha() and _syllable().fullmatch(word) is None


def _spell(letters: str, words: list[str], start: int) -> int | None:
    """The end of a run of words from ``start`` whose openings spell ``letters`` (each word opened by one or more of
    its letters, "va" skippable), the run at least two words long; else None."""

    def walk(rest: str, at: int, used: int) -> int | None:
        if not rest:
            return at if used >= 2 else None
        if at >= len(words) or at - start >= _LONGEST_RUN:
            return None
        word = words[at]
        for size in range(min(len(rest), len(word)), 0, -1):
            if word.startswith(rest[:size]):
                end = walk(rest[size:], at + 1, used + 1)
                if end is not None:
                    return end
        return walk(rest, at + 1, used) if word == "va" and used else None

    return walk(letters, start, 0)


@lru_cache(maxsize=1 << 14)
def read_against(key: str, other: str) -> str:
    """``key`` with each abbreviation that ``other`` spells out written as those words ("tand khu vuc 4" against
    "toa an nhan dan khu vuc 4 doan khe" → "toa an nhan dan khu vuc 4"); ``key`` itself when none is."""
    theirs = other.split()
    if len(theirs) < 2:
        return key
    words: list[str] = []
    changed = False
    for word in key.split():
        if is_abbreviation(word) and word not in theirs:
            run = next(
                (
                    (s, e)
                    for s in range(len(theirs))
                    if theirs[s][0] == word[0]
                    and (e := _spell(word, theirs, s)) is not None  # a run opens on its letter
                ),
                None,
            )
            if run is not None:
                words.extend(theirs[run[0] : run[1]])
                changed = True
                continue
        words.append(word)
    return " ".join(words) if changed else key


def unread_name_for(key: str, other: str, shared: int = 3) -> bool:
    """``key`` names the unit of ``other`` by a name nothing reads ("agribank chi nhanh khu vuc con van" / "ngan hang
    nong nghiep va phat trien nong thon chi nhanh khu vuc con van"): after their last ``shared`` or more words in
    common, ``key`` holds only abbreviations or brand names where ``other`` holds words. Weak by itself (two banks'
    branches of one area are written alike): for one folder's reports only."""
    mine, theirs = key.split(), other.split()
    common = 0
    while common < min(len(mine), len(theirs)) and mine[-1 - common] == theirs[-1 - common]:
        common += 1
    head, their_head = mine[: len(mine) - common], theirs[: len(theirs) - common]
    return (
        common >= shared
        and bool(head)
        and bool(their_head)
        and all(is_abbreviation(w) for w in head)
        and not any(is_abbreviation(w) for w in their_head)
    )
