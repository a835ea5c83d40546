"""Rebuild Word list numbers ("I.", "1.", "a)", bullets) from ``numbering.xml``.

Word stores a numbered paragraph as ``w:numPr`` (numId, ilvl); the visible number comes from the
level definition (start, numFmt, lvlText) and a counter per list. Counters are kept per ``numId`` when
the num restarts (``w:startOverride``), otherwise per abstract list, as Word continues those.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVELS = 9


@dataclass(frozen=True)
class Level:
    """One list level: its start value, number format and text pattern (``%1.``)."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"


@dataclass
class Numbering:
    """Parsed definitions and the running counters of one document."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int], dict[int, Level]]] = field(default_factory=dict)
    counters: dict[object, list[int | None]] = field(default_factory=dict)

    def prefix(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of (num_id, ilvl) and return the paragraph's visible prefix."""
        if num_id not in self.nums or not 0 <= ilvl < _LEVELS:
            return ""
        abstract_id, starts, overrides = self.nums[num_id]
        levels = {**self.abstract.get(abstract_id, {}), **overrides}
        key: object = num_id if starts else ("abstract", abstract_id)
        counters = self.counters.setdefault(key, [None] * _LEVELS)
        level = levels.get(ilvl, Level())
        current = counters[ilvl]
        counters[ilvl] = starts.get(ilvl, level.start) if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            counters[deeper] = None
        return _render(level, levels, counters)


def parse(root: etree._Element | None) -> Numbering:
    """Read ``w:abstractNum`` and ``w:num`` definitions from the numbering part's root."""
    numbering = Numbering()
    if root is None:
        return numbering
    for abstract in root.iterchildren(W + "abstractNum"):
        numbering.abstract[abstract.get(W + "abstractNumId", "")] = _levels(abstract)
    for num in root.iterchildren(W + "num"):
        ref = num.find(W + "abstractNumId")
        starts: dict[int, int] = {}
        overrides: dict[int, Level] = {}
        for override in num.iterchildren(W + "lvlOverride"):
            ilvl = _int(override.get(W + "ilvl"), 0)
            start = override.find(W + "startOverride")
            if start is not None:
                starts[ilvl] = _int(start.get(W + "val"), 1)
            lvl = override.find(W + "lvl")
            if lvl is not None:
                overrides[ilvl] = _level(lvl)
        abstract_id = ref.get(W + "val", "") if ref is not None else ""
        numbering.nums[num.get(W + "numId", "")] = (abstract_id, starts, overrides)
    return numbering


def _levels(abstract: etree._Element) -> dict[int, Level]:
    return {_int(lvl.get(W + "ilvl"), 0): _level(lvl) for lvl in abstract.iterchildren(W + "lvl")}


def _level(lvl: etree._Element) -> Level:
    def val(tag: str, default: str) -> str:
        node = lvl.find(W + tag)
        return node.get(W + "val", default) if node is not None else default

    return Level(
        start=_int(val("start", "1"), 1),
        fmt=val("numFmt", "decimal"),
        text=val("lvlText", ""),
        suffix=val("suff", "tab"),
    )


def _render(level: Level, levels: dict[int, Level], counters: list[int | None]) -> str:
    if level.fmt == "bullet":
        return "- "
    if level.fmt == "none" or not level.text:
        return ""
    text = level.text
    for index in range(_LEVELS, 0, -1):  # %10 does not exist; go high to low so %1 never eats %11
        token = f"%{index}"
        if token in text:
            ref = levels.get(index - 1, Level())
            value = counters[index - 1]
            text = text.replace(token, format_number(value if value is not None else ref.start, ref.fmt))
    return text + ("" if level.suffix == "nothing" else " ")


def format_number(value: int, fmt: str) -> str:
    """Format ``value`` as Word's ``numFmt`` would (unknown formats fall back to decimal)."""
    if fmt in {"lowerLetter", "upperLetter"}:
        letters = _letters(value)
        return letters if fmt == "lowerLetter" else letters.upper()
    if fmt in {"lowerRoman", "upperRoman"}:
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _letters(value: int) -> str:
    """Word's letters: a..z, then aa..zz, aaa.. (repeated letter, not base 26)."""
    if value < 1:
        return str(value)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    out = []
    for number, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        count, value = divmod(value, number)
        out.append(numeral * count)
    return "".join(out)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
