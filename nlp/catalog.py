"""The rule catalogue (``nlp/data/rules.yaml``) and display labels (``labels.yaml``).

:func:`make_finding` is the one place a :class:`~nlp.schema.Finding` is built, so every finding carries
its rule's category, severity and message in the requested language.
"""

from __future__ import annotations

from functools import cache

from nlp.lexicon import load_yaml
from nlp.schema import Finding, construct


@cache
def rules() -> dict[str, dict]:
    """Rule id → rule definition."""
    return load_yaml("rules.yaml")


@cache
def labels() -> dict[str, dict]:
    """Display names by group (sections, categories, bands…)."""
    return load_yaml("labels.yaml")


def label(group: str, key: str, lang: str = "vi") -> str:
    """Display name of ``key`` in ``group`` (falls back to the key)."""
    entry = labels().get(group, {}).get(key)
    return entry.get(lang, key) if entry else key


@cache
def evasion_kinds() -> tuple[str, ...]:
    """The sub-kinds of evasion, in catalogue order: the ``evasive.<kind>`` rules (the model's own finding aside)."""
    return tuple(
        rule.split(".", 1)[1]
        for rule, spec in rules().items()
        if spec["category"] == "evasive" and not rule.startswith("evasive.model")
    )


def rule_weight(rule_id: str) -> float:
    """Contribution of a sentence rule to its category probability."""
    return float(rules()[rule_id].get("weight", 0.0))


def make_finding(
    rule_id: str,
    start: int,
    end: int,
    *,
    lang: str = "vi",
    phrase: str = "",
    sentence: int | None = None,
    section: str | None = None,
    kind: str | None = None,
) -> Finding:
    """Build a finding of ``rule_id`` at ``[start, end)`` with its message in ``lang``; an evasive rule's
    sub-kind is its id's suffix unless ``kind`` names the one a model found."""
    rule = rules()[rule_id]
    suffix = "" if lang == "vi" else "_en"
    message = rule["vi" if lang == "vi" else "en"].replace("{phrase}", phrase)
    suggestion = rule.get(f"suggestion{suffix or '_vi'}", "").replace("{phrase}", phrase)
    return construct(  # values in their fields' types, as validation gives them (nlp.schema.construct)
        Finding,
        rule=rule_id,
        category=rule["category"],
        severity=rule["severity"],
        start=int(start),
        end=int(max(start, end)),
        message=message,
        suggestion=suggestion,
        sentence=sentence,
        section=section,
        kind=kind or _kind_of(rule_id),
    )


def _kind_of(rule_id: str) -> str | None:
    category, _, name = rule_id.partition(".")
    return name if category == "evasive" and name in evasion_kinds() else None
