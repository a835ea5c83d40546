"""Decisions on cross-report findings (issue 13): which other report a ``cross.*`` finding rests on, and what a
client that sends a decision on one without that report is told.

A cross finding exists only in a comparison (``POST /v1/compare``, ``kiemdiem analyze X --collective C --previous
P``, batch ``--cross-check``). To keep a decision on one, the server must compare again with the same other
reports; sent without them, the finding is not in its result and the decision is refused (``KD-E013``) with
:func:`missing_reports_detail` as the detail. Which report each rule needs is read from the cross-checks' own
verdict → rule table (``cross.yaml``), the strings from ``feedback.yaml``.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from nlp.lexicon import load_yaml


@cache
def cross_parts() -> dict[str, str]:
    """Rule id of a cross-report finding → the other report it rests on ("collective" or "previous")."""
    table = load_yaml("cross.yaml")["rules"]
    return {rule: part for part, verdicts in table.items() for rule in verdicts.values() if rule}


def missing_reports_detail(rule: str, given: Collection[str] = ()) -> str | None:
    """The detail (Vietnamese / English) for a decision on a ``rule`` finding sent without the other report it
    rests on; ``None`` when ``rule`` is not a cross-report rule or that report is among the parts ``given``."""
    part = cross_parts().get(rule)
    if part is None or part in given:
        return None
    strings = load_yaml("feedback.yaml")["cross"]
    report = strings["reports"][part]
    return " / ".join(
        strings["missing"][lang].format(rule=rule, report=report[lang], field=part) for lang in ("vi", "en")
    )
