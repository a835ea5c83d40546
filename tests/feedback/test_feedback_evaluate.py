"""Precision on reviewers' decisions, on a small store whose figures are worked out by hand below."""

from __future__ import annotations

import pytest

from nlp.feedback.evaluate import PrecisionRow, precision, render_markdown
from nlp.feedback.store import FeedbackStore

S = "Câu thứ {} trong bản kiểm điểm."


@pytest.fixture
def store(tmp_path, make_decision):
    """Six sentences in two reports (a: S1–S3, b: S4–S6) and an accountability finding in each.

    per rule (confirmed / dismissed): generic.stock_phrase S1 S2 S4 / S5 = 3/1; generic.no_anchor 0 / S1 S3 S5
    = 0/3; evasive.hedge S4 / S2 S5 = 1/2; evasive.objective_cause S3 S6 = 2/0; evasive.model S5 = 1/0;
    accountability.missing_personal a / b = 1/1. 15 decisions (S1's stock phrase was first dismissed, then
    confirmed: it counts once, as confirmed).
    per sentence: generic S1 S2 S4 confirmed, S3 S5 dismissed = 3/2; evasive S3 S4 S5 (the model's finding) S6
    confirmed, S2 dismissed = 4/1.
    """
    rows = [
        ("a", 1, "generic.stock_phrase", "dismiss", 0),
        ("a", 1, "generic.stock_phrase", "confirm", 9),
        ("a", 1, "generic.no_anchor", "dismiss", 0),
        ("a", 2, "generic.stock_phrase", "confirm", 0),
        ("a", 2, "evasive.hedge", "dismiss", 0),
        ("a", 3, "generic.no_anchor", "dismiss", 0),
        ("a", 3, "evasive.objective_cause", "confirm", 0),
        ("a", 9, "accountability.missing_personal", "confirm", 0),
        ("b", 4, "generic.stock_phrase", "confirm", 0),
        ("b", 4, "evasive.hedge", "confirm", 0),
        ("b", 5, "generic.stock_phrase", "dismiss", 0),
        ("b", 5, "generic.no_anchor", "dismiss", 0),
        ("b", 5, "evasive.hedge", "dismiss", 0),
        ("b", 5, "evasive.model", "confirm", 0),
        ("b", 6, "evasive.objective_cause", "confirm", 0),
        ("b", 9, "accountability.missing_personal", "dismiss", 0),
    ]
    feedback = FeedbackStore(tmp_path / "feedback.sqlite")
    for report, number, rule, decision, minutes in rows:
        feedback.add(make_decision(S.format(number), rule, decision, report=report, at=100 * number, minutes=minutes))
    return feedback


def test_precision_per_rule_most_dismissed_first(store):
    table = precision(store.decisions())
    assert (table.decisions, table.reports) == (15, 2)
    assert [(r.key, r.confirmed, r.dismissed) for r in table.rules] == [
        ("generic.no_anchor", 0, 3),
        ("evasive.hedge", 1, 2),
        ("accountability.missing_personal", 1, 1),
        ("generic.stock_phrase", 3, 1),
        ("evasive.model", 1, 0),
        ("evasive.objective_cause", 2, 0),
    ]
    by_rule = {row.key: row.precision for row in table.rules}
    assert by_rule["generic.stock_phrase"] == pytest.approx(0.75)
    assert by_rule["evasive.hedge"] == pytest.approx(1 / 3)
    assert by_rule["generic.no_anchor"] == 0.0


def test_precision_per_sentence_label(store):
    table = precision(store.decisions())
    assert [(r.key, r.confirmed, r.dismissed) for r in table.labels] == [("generic", 3, 2), ("evasive", 4, 1)]
    assert [r.precision for r in table.labels] == [pytest.approx(0.6), pytest.approx(0.8)]


def test_rendering_in_both_languages(store):
    table = precision(store.decisions())
    vietnamese = render_markdown(table)
    assert "| Chung chung | 3 | 2 | 0.60 |" in vietnamese
    assert "| Né tránh | 4 | 1 | 0.80 |" in vietnamese
    assert "| `generic.no_anchor` | 0 | 3 | 0.00 |" in vietnamese
    assert vietnamese.index("generic.no_anchor") < vietnamese.index("generic.stock_phrase")
    assert "15 ý kiến về 2 bản kiểm điểm" in vietnamese
    english = render_markdown(table, "en")
    assert "| Generic | 3 | 2 | 0.60 |" in english and "| Evasive | 4 | 1 | 0.80 |" in english
    assert "Câu thứ" not in vietnamese + english, "no sentence text in the table"


def test_an_empty_store_says_so(tmp_path):
    table = precision(FeedbackStore(tmp_path / "none.sqlite").decisions())
    assert table.rules == [] and [r.precision for r in table.labels] == [None, None]
    assert "Chưa có ý kiến nào" in render_markdown(table)
    assert "| Chung chung | 0 | 0 | – |" in render_markdown(table)
    assert PrecisionRow("x", 0, 0).precision is None
