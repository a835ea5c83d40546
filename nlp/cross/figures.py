"""Figures written otherwise: "hơn hai phần ba" for 68,7%, "gần 400 triệu" for 386 triệu đồng, "hơn hai chục hộ" for
23 hộ, "khoảng ba phần tư" for 27/36.

Two reports of one unit give the same shortfall's figures in different forms: the collective report exactly, a
leader's report rounded, hedged or in words. The exact figures of a sentence are compared as strings
(:mod:`nlp.cross.passages`); this module reads the approximate ones, each a value and the side its hedge puts the
true figure on, so that :func:`nlp.cross.match.anchor_term` can hold them as agreeing with an exact figure near
enough instead of disagreeing. Words and tolerances are data (``nlp/data/cross.yaml`` ``figures``).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from nlp.cross.config import settings

Figure = tuple[float, str]  # a value and its side: "over" (hơn X), "under" (gần X), "below" (chưa tới X), "about"


@cache
def _data() -> dict:
    return settings()["figures"]


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The hedged figure, the fraction in words and the exact figure (on folded text)."""
    data = _data()
    words = "|".join(sorted(data["numbers"], key=len, reverse=True))
    digits = r"\d+(?:,\d+)?"
    spoken = rf"(?:{words})(?: muoi(?: (?:{words}))?)?"  # "hai", "chin muoi", "hai muoi lam"
    count = rf"(?:{digits}|{spoken})"
    scales = "|".join(sorted(data["scales"], key=len, reverse=True))
    hedges = "|".join(sorted(data["hedges"], key=len, reverse=True))
    fraction = rf"(?:(?P<num>{count}) (?:phan|tren) (?P<den>{count})|(?P<half>mot nua|nua)|(?P<pct>{count}) phan tram)"
    amount = rf"(?:(?P<digits>{digits})(?: (?P<scale>{scales}))?|(?P<words>{spoken}) (?P<wscale>{scales}))"
    hedged = re.compile(rf"\b(?P<hedge>{hedges}) (?:{fraction}|{amount})\b")
    spelled = re.compile(rf"\b{fraction}\b")
    exact = re.compile(r"(?<![\d/.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?:\s*/\s*(\d+))?(?![\d,])")
    return hedged, spelled, exact


def _count(written: str) -> float | None:
    """A count in figures ("3", "2,5") or in words ("hai", "chín mươi", "hai mươi lăm")."""
    if written[0].isdigit():
        return float(written.replace(",", "."))
    numbers = _data()["numbers"]
    tokens = written.split()
    if len(tokens) >= 2 and tokens[1] == "muoi" and tokens[0] in numbers:
        rest = " ".join(tokens[2:])
        return numbers[tokens[0]] * 10 + (numbers.get(rest, 0) if rest else 0)
    return numbers.get(written)


def _value(match: re.Match[str]) -> float | None:
    """The figure a hedged or spelled match gives (a fraction as a percentage, a count times its multiplier)."""
    groups = match.groupdict()
    if groups.get("half"):
        return 50.0
    if groups.get("num"):
        numerator, denominator = _count(groups["num"]), _count(groups["den"])
        return None if not numerator or not denominator else 100.0 * numerator / denominator
    if groups.get("pct"):
        return _count(groups["pct"])
    written = groups.get("digits") or groups.get("words")
    value = _count(written) if written else None
    if value is None:
        return None
    return value * _data()["scales"].get(groups.get("scale") or groups.get("wscale") or "", 1)


@lru_cache(maxsize=1 << 14)
def approximate(folded: str) -> frozenset[Figure]:
    """The approximate figures of a folded sentence: hedged ("hơn 3 trăm triệu", "gần hai phần ba", "chưa tới một
    nửa") and fractions written in words without a hedge ("bảy phần mười")."""
    if not any(word in folded for word in ("phan", "nua", "tren", *_data()["hedges"])):
        return frozenset()
    hedged, spelled, _exact = _patterns()
    found: set[Figure] = set()
    taken: list[tuple[int, int]] = []
    for match in hedged.finditer(folded):
        value = _value(match)
        if value is not None:
            found.add((value, _data()["hedges"][match.group("hedge")]))
            taken.append(match.span())
    for match in spelled.finditer(folded):
        if any(start <= match.start() < end for start, end in taken):
            continue
        value = _value(match)
        if value is not None:
            found.add((value, "about"))
    return frozenset(found)


@lru_cache(maxsize=1 << 14)
def exact_values(folded: str) -> frozenset[float]:
    """The exact figures of a folded sentence as values ("1.450" a thousand and more, "68,7" a decimal), and each
    fraction "27/36" as its percentage too."""
    _hedged, _spelled, exact = _patterns()
    found: set[float] = set()
    for match in exact.finditer(folded):
        whole, decimals, denominator = match.groups()
        value = float(whole.replace(".", "") + (f".{decimals}" if decimals else ""))
        found.add(value)
        if denominator and float(denominator):
            found.add(float(denominator))
            found.add(100.0 * value / float(denominator))
    return frozenset(found)


def agrees(figure: Figure, value: float) -> bool:
    """The exact ``value`` is where the approximate ``figure`` puts it (``figures.tolerance``: "hơn X" from X up to
    a share above it, "gần X" from a share below X up to X, "chưa tới X" below X, "khoảng X" on both sides)."""
    approx, side = figure
    low, high = _data()["tolerance"][side]
    return approx * low <= value <= approx * high and not (side == "below" and value >= approx)


def shared_approximately(a_exact: frozenset[float], b_approx: frozenset[Figure]) -> int:
    """How many of one sentence's approximate figures agree with an exact figure of the other."""
    return sum(1 for figure in b_approx if any(agrees(figure, value) for value in a_exact))
