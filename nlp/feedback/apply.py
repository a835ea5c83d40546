"""Reviewers' decisions shown again: mark the findings of a result that reviewers confirmed or dismissed.

The same report (same normalised text, hence the same :func:`~nlp.feedback.model.report_hash`) analysed again — the
page reloaded, a batch rerun with ``--resume``, the same comparison through ``POST /v1/compare`` — gets each
finding's ``review`` set from the store: a finding whose (rule, start, end) — and, for a ``cross_report`` finding,
its evidence's offsets in the other report — matches a decision is ``confirmed`` or ``dismissed``. Scores and band stay the system's
judgement; renderers show a dismissed finding as dismissed and leave it out of their counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from nlp.feedback.model import FeedbackDecision, finding_key, report_hash
from nlp.feedback.store import open_store
from nlp.schema import AnalysisResult

_REVIEW = {"confirm": "confirmed", "dismiss": "dismissed"}


def apply_decisions(result: AnalysisResult, decisions: Iterable[FeedbackDecision]) -> AnalysisResult:
    """A copy of ``result`` whose findings carry the reviewers' decisions (decisions on other reports ignored)."""
    key = report_hash(result.text)
    by_finding = {d.finding_key: _REVIEW[d.decision] for d in decisions if d.report_hash == key}
    if not by_finding:
        return result
    findings = [
        f.model_copy(update={"review": by_finding[finding_key(f)]}) if finding_key(f) in by_finding else f
        for f in result.findings
    ]
    return result.model_copy(update={"findings": findings})


def apply_store(result: AnalysisResult, store_path: str | Path | None) -> AnalysisResult:
    """:func:`apply_decisions` with the decisions kept for this report in the store at ``store_path``; the result
    unchanged when feedback is off (no store) or the store file does not exist yet."""
    store = open_store(store_path)
    if store is None:
        return result
    return apply_decisions(result, store.decisions(report_hash=report_hash(result.text)))


def active_findings(result: AnalysisResult) -> list:
    """The findings a renderer counts: every finding no reviewer dismissed."""
    return [f for f in result.findings if f.review != "dismissed"]
