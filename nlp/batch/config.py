"""Batch data files: rules and thresholds (``batch_rules.yaml``), display strings (``batch_strings.yaml``)
and the unit-kind lexicon (``unit_kinds.yaml``), all under ``nlp/data``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nlp.lexicon import load_yaml
from nlp.normalize import fold

_SEPARATORS = re.compile(r"[\s_\-.,;:/\\()\[\]]+")


@cache
def rules() -> dict:
    """The batch rules (``batch_rules.yaml``)."""
    return load_yaml("batch_rules.yaml")


@cache
def strings() -> dict:
    """Display strings by key, each ``{vi: …, en: …}`` (``batch_strings.yaml``)."""
    return load_yaml("batch_strings.yaml")


def t(key: str, lang: str = "vi", **values: object) -> str:
    """The display string ``key`` in ``lang`` (a dotted key reaches into groups), formatted with ``values``."""
    entry: object = strings()
    for part in key.split("."):
        entry = entry[part]  # type: ignore[index]
    text = entry.get(lang) or entry["vi"]  # type: ignore[union-attr]
    return text.format(**values) if values else text


@dataclass(frozen=True)
class UnitKind:
    """One kind of unit (xã, phường, trường học …) with its display names."""

    id: str
    vi: str
    en: str
    patterns: tuple[tuple[str, ...], ...] = ()

    def label(self, lang: str = "vi") -> str:
        """Display name in ``lang``."""
        return self.vi if lang == "vi" else self.en


@cache
def unit_kinds() -> tuple[tuple[UnitKind, ...], UnitKind]:
    """The ordered kinds and the fallback kind."""
    data = load_yaml("unit_kinds.yaml")
    kinds = tuple(
        UnitKind(
            id=entry["id"],
            vi=entry["vi"],
            en=entry["en"],
            patterns=tuple(tuple(_words(str(p))) for p in entry["patterns"]),
        )
        for entry in data["kinds"]
    )
    other = data["other"]
    return kinds, UnitKind(id=other["id"], vi=other["vi"], en=other["en"])


def kind_by_id(kind_id: str) -> UnitKind:
    """The kind with id ``kind_id`` (the fallback kind for an unknown id)."""
    kinds, other = unit_kinds()
    return next((k for k in kinds if k.id == kind_id), other)


def _words(name: str) -> list[str]:
    return [w for w in _SEPARATORS.split(fold(name)) if w]


def match_kind(name: str | None) -> UnitKind | None:
    """The first kind whose pattern occurs in ``name`` as whole words, or None."""
    if not name:
        return None
    words = _words(name)
    kinds, _ = unit_kinds()
    for kind in kinds:
        for pattern in kind.patterns:
            size = len(pattern)
            if any(tuple(words[i : i + size]) == pattern for i in range(len(words) - size + 1)):
                return kind
    return None


def infer_kind(names: list[str | None]) -> UnitKind:
    """The kind of the first name in ``names`` that matches a pattern (the fallback kind if none does)."""
    for name in names:
        kind = match_kind(name)
        if kind is not None:
            return kind
    return unit_kinds()[1]
