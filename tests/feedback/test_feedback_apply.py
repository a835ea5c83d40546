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
