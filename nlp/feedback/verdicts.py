"""From decisions on findings to reviewers' verdicts on sentences, for the two sentence labels.

The models label sentences *generic* and *evasive*; the findings of a ``generic.*`` or ``evasive.*`` rule give
the reasons. A reviewer judges findings, so a sentence's verdict for a label is read from the decisions on its
findings of that label's category:

- **positive** if any of them is confirmed (a confirmed reason makes the sentence generic / evasive, whatever
  another reason's fate), with the evasion sub-kinds of the confirmed evasive findings (none for a confirmed
  ``evasive.model`` finding, which names no sub-kind);
- **negative** if all of them are dismissed;
- **undecided** (``None``) when none of its findings of that category has a decision.

Rules of the other categories (accountability, completeness, consistency, specificity, input) do not label
sentences: they count in the per-rule precision (:mod:`nlp.feedback.evaluate`) and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from nlp.catalog import evasion_kinds
from nlp.feedback.model import FeedbackDecision

SENTENCE_LABELS = ("generic", "evasive")


@dataclass
class SentenceVerdict:
    """The reviewers' verdict on one sentence of one report (``None``: no decision for that label)."""

    report_hash: str
    start: int
    end: int
    text: str
    section: str | None
    generic: bool | None = None
    evasive: bool | None = None
    evasion_kinds: list[str] = field(default_factory=list)

    def label(self, name: str) -> bool | None:
        """The verdict for ``name`` ("generic" or "evasive")."""
        return self.generic if name == "generic" else self.evasive


def sentence_verdicts(decisions: Iterable[FeedbackDecision]) -> list[SentenceVerdict]:
    """One verdict per sentence that has a decision on a generic or evasive finding, by report then position."""
    grouped: dict[tuple[str, int, int], list[FeedbackDecision]] = {}
    for decision in decisions:
        if decision.category in SENTENCE_LABELS:
            key = (decision.report_hash, decision.sentence_start, decision.sentence_end)
            grouped.setdefault(key, []).append(decision)
    known_kinds = set(evasion_kinds())
    verdicts = []
    for (report, start, end), group in sorted(grouped.items()):
        latest = max(group, key=lambda d: d.created_at)
        verdict = SentenceVerdict(report, start, end, latest.sentence, latest.section)
        for name in SENTENCE_LABELS:
            decided = [d for d in group if d.category == name]
            if decided:
                setattr(verdict, name, any(d.decision == "confirm" for d in decided))
        verdict.evasion_kinds = sorted(
            {d.kind for d in group if d.category == "evasive" and d.decision == "confirm" and d.kind in known_kinds}
        )
        verdicts.append(verdict)
    return verdicts
