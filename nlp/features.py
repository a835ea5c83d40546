"""Features of sentence units: lexicon hits and concrete anchors (numbers, dates, documents, names…).

Offsets of hits and anchors are relative to the unit; add ``unit.start`` for text offsets.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from nlp.data import patterns
from nlp.doc import Doc, Unit
from nlp.lexicon import Lexicons, default_lexicons, load_yaml

ANCHOR_KINDS = ("number", "date", "document", "deadline", "case", "person", "named", "quoted")


class _Kind:
    """One anchor kind: an alternation of its patterns (a unit it does not match has none of that kind: one search
    instead of one per pattern), and the patterns themselves, whose matches are the spans, compiled on first need
    (a kind that never matches costs no compilation at start-up)."""

    __slots__ = ("_patterns", "_sources", "any")

    def __init__(self, sources: list[str]) -> None:
        self.any = patterns.compile("|".join(f"(?:{p})" for p in sources))
        self._sources = sources
        self._patterns: list[re.Pattern[str]] | None = [self.any] if len(sources) == 1 else None

    @property
    def patterns(self) -> list[re.Pattern[str]]:
        """The kind's patterns, each on its own."""
        if self._patterns is None:
            self._patterns = [patterns.compile(p) for p in self._sources]
        return self._patterns


@dataclass(frozen=True)
class _AnchorRules:
    folded: dict[str, _Kind]
    cased: dict[str, _Kind]
    not_named: frozenset[str]
    # Every folded pattern in one alternation: where it finds nothing, no kind does (one search instead of one per
    # kind, and about half the units have no folded anchor); where it does, no kind matches before its match.
    folded_any: re.Pattern[str]


@cache
def _anchor_rules() -> _AnchorRules:
    data = load_yaml("anchors.yaml")
    folded_sources = [p for sources in data["folded"].values() for p in sources]
    return _AnchorRules(
        folded={k: _Kind(v) for k, v in data["folded"].items()},
        cased={k: _Kind(v) for k, v in data["cased"].items()},
        not_named=frozenset(data["not_named"]),
        folded_any=patterns.compile("|".join(f"(?:{p})" for p in folded_sources) or "(?!)"),
    )


def find_anchors(text: str, folded: str, kinds: Collection[str] | None = None) -> dict[str, list[tuple[int, int]]]:
    """Concrete anchors in one unit, by kind (spans relative to the unit; each pattern's matches in turn);
    ``kinds``: only these kinds are looked for (None: all of :data:`ANCHOR_KINDS`)."""
    rules = _anchor_rules()
    found: dict[str, list[tuple[int, int]]] = {}
    # a few kinds: each one's own alternation (cheaper than the alternation of every folded pattern first)
    earliest = rules.folded_any.search(folded) if kinds is None else None
    for kind, rule in rules.folded.items() if earliest is not None or kinds is not None else ():
        if kinds is not None and kind not in kinds:
            continue
        if not (first := rule.any.search(folded, earliest.start() if earliest is not None else 0)):
            continue
        # no pattern of the kind matches before the alternation's first match: each one is searched from there
        spans = [m.span() for p in rule.patterns for m in p.finditer(folded, first.start())]
        if spans:
            found[kind] = spans
    for kind, rule in rules.cased.items():
        if kinds is not None and kind not in kinds:
            continue
        if not (first := rule.any.search(text)):
            continue
        spans = []
        for pattern in rule.patterns:
            for match in pattern.finditer(text, first.start()):
                words = match.group(0).strip()
                if kind == "named" and _is_common_name(words, rules.not_named):
                    continue
                spans.append(match.span())
        if spans:
            found[kind] = spans
    return found


def _is_common_name(words: str, common: frozenset[str]) -> bool:
    rest = words
    for name in sorted(common, key=len, reverse=True):
        rest = rest.replace(name, " ")
    return not any(part[:1].isupper() for part in rest.split())


_YEAR_ONLY = re.compile(r"^nam\s+((?:19|20)\d\d)$")


def annotate(doc: Doc, lexicons: Lexicons | None = None) -> Doc:
    """Attach lexicon hits and anchors to every content unit of ``doc`` (``lexicons``: a configuration's lists;
    default: the shipped ones)."""
    lexicons = lexicons or default_lexicons()
    insensitive = not doc.diacritics
    report_years = {doc.header.year, doc.header.year - 1} if doc.header.year else set()
    for unit in doc.units:
        unit.hits = lexicons.find(unit.text, unit.folded, accent_insensitive=insensitive)
        if not unit.structural:
            unit.anchors = _drop_report_year(find_anchors(unit.text, unit.folded), unit.folded, report_years)
    return doc


def _drop_report_year(
    anchors: dict[str, list[tuple[int, int]]], folded: str, report_years: set[int]
) -> dict[str, list[tuple[int, int]]]:
    """ "Năm 2024" in a 2024 report dates nothing: every sentence of the report is about that year."""
    dates = [
        (start, end)
        for start, end in anchors.get("date", [])
        if not ((m := _YEAR_ONLY.match(folded[start:end])) and int(m.group(1)) in report_years)
    ]
    if dates:
        anchors["date"] = dates
    else:
        anchors.pop("date", None)
    return anchors


def anchor_kinds(unit: Unit) -> list[str]:
    """Kinds of anchor present in a unit, in a stable order."""
    anchors = unit.anchors
    return [k for k in ANCHOR_KINDS if anchors.get(k)] if anchors else []


def is_first_person(unit: Unit) -> bool:
    """The writer speaks of themself (tôi, bản thân…)."""
    return unit.has("first_person")
