"""The cross-report checks' data: thresholds, cues and strings (``nlp/data/cross.yaml``), posts
(``nlp/data/positions.yaml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from nlp.lexicon import load_yaml


@cache
def settings() -> dict:
    """The whole of ``cross.yaml``."""
    return load_yaml("cross.yaml")


@cache
def cues() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Cue name → compiled patterns (on folded text)."""
    return {name: tuple(re.compile(p) for p in patterns) for name, patterns in settings()["cues"].items()}


@lru_cache(maxsize=1 << 16)
def cue(name: str, folded: str) -> re.Match[str] | None:
    """The first match of cue ``name`` in ``folded``, or None (remembered: the checks ask the same cues of the same
    sentence once per collective shortcoming)."""
    for pattern in cues()[name]:
        match = pattern.search(folded)
        if match:
            return match
    return None


def _matching_value(name: str, matcher: str | None) -> object:
    block = settings()["matching"]
    own = (block.get(matcher) or {}) if matcher else {}
    return own[name] if name in own else block[name]


def matching(name: str, matcher: str | None = None) -> float:
    """A threshold or weight of the matching block (``matcher``'s own value where its sub-block sets one)."""
    return float(_matching_value(name, matcher))  # type: ignore[arg-type]


def calibration(matcher: str) -> tuple[float, float]:
    """Scale and shift that map ``matcher``'s cosine onto the scale of the shared thresholds."""
    scale, shift = _matching_value("calibration", matcher)  # type: ignore[misc]
    return float(scale), float(shift)


def default_matcher() -> str:
    """The encoder used when none is named (``matching.default``)."""
    return str(settings()["matching"]["default"])


def matcher_names() -> tuple[str, ...]:
    """The encoders the matching block has a sub-block for."""
    return tuple(k for k, v in settings()["matching"].items() if isinstance(v, dict))


def string(group: str, key: str, lang: str = "vi") -> str:
    """A display string of ``strings.<group>.<key>`` in ``lang`` (the key itself when absent)."""
    entry = settings()["strings"].get(group, {}).get(key)
    return entry.get(lang, key) if isinstance(entry, dict) else key


@dataclass(frozen=True)
class Post:
    """One post of ``positions.yaml``."""

    id: str
    label_vi: str
    label_en: str
    pattern: re.Pattern[str]
    head: bool
    areas: tuple[str, ...]
    named: tuple[str, ...]
    area_from: re.Pattern[str] | None = None
    party_head: bool = False
    charge_replaces_areas: bool = False  # a field the header gives ("phụ trách …") replaces the post's own areas
    written: re.Pattern[str] | None = None  # on the piece as written (lower case, with its marks): "trưởng ban" / "bản"

    def fits(self, folded: str, written: str) -> bool:
        """The post is the one a post piece names (``folded``; ``written``: the same piece as written)."""
        return bool(self.pattern.search(folded)) and (
            self.written is None or bool(self.written.search(written.lower()))
        )


@cache
def posts() -> tuple[Post, ...]:
    """The posts, in the order they are tried."""
    result = []
    for entry in load_yaml("positions.yaml")["posts"]:
        result.append(
            Post(
                id=entry["id"],
                label_vi=entry["label"]["vi"],
                label_en=entry["label"]["en"],
                pattern=re.compile(entry["pattern"]),
                head=bool(entry.get("head", False)),
                areas=tuple(entry.get("areas", [])),
                named=tuple(entry.get("named", [])),
                area_from=re.compile(entry["area_from"]) if entry.get("area_from") else None,
                party_head=bool(entry.get("party_head", False)),
                charge_replaces_areas=bool(entry.get("charge_replaces_areas", False)),
                written=re.compile(entry["written"]) if entry.get("written") else None,
            )
        )
    return tuple(result)


@cache
def head_levels() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(level, pattern) of ``positions.yaml``'s ``levels``, in the order they are tried."""
    return tuple((name, re.compile(pattern)) for name, pattern in load_yaml("positions.yaml")["levels"].items())


@cache
def body_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The title, kind and qualifier patterns of ``positions.yaml``'s ``bodies`` (the body a post heads)."""
    bodies = load_yaml("positions.yaml")["bodies"]
    return re.compile(bodies["title"]), re.compile(bodies["kind"]), re.compile(bodies["qualifiers"])


@cache
def former_pattern() -> re.Pattern[str]:
    """``positions.yaml``'s ``bodies.former``: a post piece that names a post the writer held before."""
    return re.compile(load_yaml("positions.yaml")["bodies"]["former"])


@cache
def staff_pattern() -> re.Pattern[str]:
    """``positions.yaml``'s ``bodies.staff``: a post piece that names a member of a body's staff, not a post."""
    return re.compile(load_yaml("positions.yaml")["bodies"]["staff"])


@cache
def fields() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(keys, topics) of ``positions.yaml``'s ``fields``: an area naming a key covers the topics too."""
    return tuple((tuple(f["keys"]), tuple(f["topics"])) for f in load_yaml("positions.yaml")["fields"])


@cache
def body_abbreviations() -> dict[str, str]:
    """Folded abbreviation of a party body at the start of a header line → its words ("cb" → "chi bo")."""
    return dict(settings()["body_abbreviations"])


@cache
def unit_abbreviations() -> dict[str, str]:
    """Folded one-word abbreviation → folded words, for unit names ("cty" → "cong ty")."""
    return {k: v for k, v in settings()["unit_abbreviations"].items() if " " not in k}


@cache
def unit_alternate_abbreviations() -> dict[str, str]:
    """Folded one-word abbreviations with a second reading ("p": phường or phòng), the second reading."""
    return dict(settings().get("unit_alternate_abbreviations") or {})


@cache
def _unit_phrases() -> re.Pattern[str] | None:
    phrases = sorted((k for k in settings()["unit_abbreviations"] if " " in k), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b") if phrases else None


def expand_unit_phrases(key: str) -> str:
    """The abbreviations of several words written out in a folded unit name ("cn&ty", folded "cn ty" → "chan nuoi
    va thu y"), longest first."""
    phrases = _unit_phrases()
    return phrases.sub(lambda m: settings()["unit_abbreviations"][m.group(0)], key) if phrases else key


def post(post_id: str) -> Post:
    """The post with id ``post_id``."""
    return next(p for p in posts() if p.id == post_id)
