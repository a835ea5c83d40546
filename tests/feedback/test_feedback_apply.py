"""A reviewer's decisions come back on the same report analysed again, and only on it."""

from __future__ import annotations

from pathlib import Path

from nlp import analyze
from nlp.feedback.apply import active_findings, apply_decisions, apply_store
from nlp.feedback.model import decision_for
from nlp.feedback.store import FeedbackStore

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "02a-ngan-hang-yeu.txt"


def test_decisions_mark_the_same_findings_of_a_new_analysis(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    first = analyze(text)
    store = FeedbackStore(tmp_path / "fb.sqlite")
    store.add(decision_for(first, 0, "dismiss"))
    store.add(decision_for(first, 1, "confirm"))
    again = apply_store(analyze(text), tmp_path / "fb.sqlite")
    assert again.findings[0].review == "dismissed" and again.findings[1].review == "confirmed"
    assert all(f.review is None for f in again.findings[2:])
    assert len(active_findings(again)) == len(first.findings) - 1
    assert again.scores == first.scores and again.band == first.band


def test_other_reports_and_no_store_are_untouched(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    first = analyze(text)
    decision = decision_for(first, 0, "dismiss")
    other = analyze(text.replace("Ngân hàng", "Quỹ tín dụng", 1))
    assert apply_decisions(other, [decision]) == other
    assert apply_store(first, None) == first
    assert apply_store(first, tmp_path / "none-yet.sqlite") == first
    assert not (tmp_path / "none-yet.sqlite").exists()


def test_a_dismissed_finding_leaves_the_rendered_counts(tmp_path):
    from nlp.render.common import build_view

    text = EXAMPLE.read_text(encoding="utf-8")
    result = analyze(text)
    index, finding = next((i, f) for i, f in enumerate(result.findings) if f.sentence is not None)
    same_category = [f for f in result.findings if f.sentence == finding.sentence and f.category == finding.category]
    decisions = [decision_for(result, result.findings.index(f), "dismiss") for f in same_category]
    reviewed = apply_decisions(result, decisions)
    before, after = build_view(result), build_view(reviewed)
    assert after.finding_counts()[finding.category] == before.finding_counts()[finding.category] - len(same_category)
    view = next(v for v in after.sentences if v.index == finding.sentence)
    assert finding.category in view.categories and finding.category not in view.counted_categories
    assert after.sentence_counts().get(finding.category, 0) == before.sentence_counts()[finding.category] - 1
    assert index in {position for position, _ in view.findings}  # still listed, shown as dismissed
