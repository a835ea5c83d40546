"""Precision on reviewers' decisions: how often each rule, and each sentence label, is confirmed.

Precision = confirmed / (confirmed + dismissed). Per rule it counts decisions on that rule's findings (the latest
per finding: the store keeps one). Per label it counts sentences (:mod:`nlp.feedback.verdicts`): a sentence whose
generic findings got a decision is confirmed as generic if any of them was confirmed, dismissed if all were; the
same for evasive. Only what reviewers decided is measured: this is the precision of what was flagged, not recall.
Rules are listed with the most dismissed first (ties: lower precision, then rule id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from nlp.catalog import label
from nlp.feedback.model import FeedbackDecision
from nlp.feedback.verdicts import SENTENCE_LABELS, sentence_verdicts
from nlp.lexicon import load_yaml


@dataclass(frozen=True)
class PrecisionRow:
    """Confirmed and dismissed counts of one rule or label, and the precision they give."""

    key: str
    confirmed: int
    dismissed: int

    @property
    def decided(self) -> int:
        return self.confirmed + self.dismissed

    @property
    def precision(self) -> float | None:
        """confirmed / (confirmed + dismissed); ``None`` when nothing was decided."""
        return self.confirmed / self.decided if self.decided else None


@dataclass(frozen=True)
class PrecisionTable:
    """Per-rule rows (most dismissed first), per-label rows (generic, evasive), and what they were computed on."""

    rules: list[PrecisionRow]
    labels: list[PrecisionRow]
    decisions: int
    reports: int


def precision(decisions: Iterable[FeedbackDecision]) -> PrecisionTable:
    """The precision table of the given decisions (see the module docstring)."""
    decisions = list(decisions)
    counts: dict[str, list[int]] = {}
    for decision in decisions:
        pair = counts.setdefault(decision.rule, [0, 0])
        pair[0 if decision.decision == "confirm" else 1] += 1
    rules = [PrecisionRow(rule, confirmed, dismissed) for rule, (confirmed, dismissed) in counts.items()]
    rules.sort(key=lambda row: (-row.dismissed, row.precision if row.precision is not None else 1.0, row.key))
    verdicts = sentence_verdicts(decisions)
    labels = [
        PrecisionRow(
            name,
            sum(1 for v in verdicts if v.label(name) is True),
            sum(1 for v in verdicts if v.label(name) is False),
        )
        for name in SENTENCE_LABELS
    ]
    return PrecisionTable(rules, labels, len(decisions), len({d.report_hash for d in decisions}))


@cache
def _strings() -> dict[str, dict[str, str]]:
    return load_yaml("feedback.yaml")["precision"]


def _text(key: str, lang: str) -> str:
    return _strings()[key]["vi" if lang == "vi" else "en"]


def _cell(row: PrecisionRow) -> str:
    return "–" if row.precision is None else f"{row.precision:.2f}"


def render_markdown(table: PrecisionTable, lang: str = "vi") -> str:
    """The table as Markdown (readable as is in a terminal): a line of totals, labels, then rules."""
    head = f"| {{}} | {_text('confirmed', lang)} | {_text('dismissed', lang)} | {_text('precision', lang)} |"
    rule_line = "|---|---:|---:|---:|"
    lines = [
        f"# {_text('title', lang)}",
        "",
        _text("totals", lang).format(decisions=table.decisions, reports=table.reports),
        "",
        head.format(_text("label", lang)),
        rule_line,
    ]
    lines += [
        f"| {label('categories', row.key, lang)} | {row.confirmed} | {row.dismissed} | {_cell(row)} |"
        for row in table.labels
    ]
    lines += ["", head.format(_text("rule", lang)), rule_line]
    lines += [f"| `{row.key}` | {row.confirmed} | {row.dismissed} | {_cell(row)} |" for row in table.rules]
    if not table.rules:
        lines += ["", _text("empty", lang)]
    return "\n".join(lines) + "\n"
