"""Decisions and a small analysis result built by hand, so the feedback tests do not run the pipeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from nlp.feedback.model import FeedbackDecision, report_hash
from nlp.schema import Accountability, AnalysisResult, Finding, Scores, Section, Sentence

TEXT = (
    "II. HẠN CHẾ, KHUYẾT ĐIỂM\n"
    "Đôi lúc tôi còn nể nang trong phê bình.\n"
    "Việc chậm trễ là do khách quan.\n"
    "Tôi trả chậm 6 hồ sơ trong tháng 7.\n"
)
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.fixture
def result() -> AnalysisResult:
    """Four sentences (a heading, two weak ones, a specific one) and findings on them and on the heading."""
    heading, first, second, third = (_span(TEXT, line) for line in TEXT.splitlines())
    sentences = [
        Sentence(start=heading[0], end=heading[1], section="shortcomings", structural=True, generic=0, evasive=0),
        Sentence(start=first[0], end=first[1], section="shortcomings", structural=False, generic=0.7, evasive=0.8),
        Sentence(start=second[0], end=second[1], section="causes", structural=False, generic=0.2, evasive=0.9),
        Sentence(start=third[0], end=third[1], section="shortcomings", structural=False, generic=0.1, evasive=0.1),
    ]
    hedge = _span(TEXT, "Đôi lúc")
    findings = [
        Finding(
            rule="evasive.hedge",
            category="evasive",
            severity="medium",
            start=hedge[0],
            end=hedge[1],
            message="m",
            sentence=1,
            section="shortcomings",
            kind="hedge",
        ),
        Finding(
            rule="generic.stock_self_criticism",
            category="generic",
            severity="low",
            start=first[0],
            end=first[1],
            message="m",
            sentence=1,
            section="shortcomings",
        ),
        Finding(
            rule="evasive.objective_cause",
            category="evasive",
            severity="high",
            start=second[0],
            end=second[1],
            message="m",
            sentence=2,
            section="causes",
            kind="objective_cause",
        ),
        Finding(
            rule="accountability.missing_personal",
            category="accountability",
            severity="high",
            start=heading[0],
            end=heading[1],
            message="m",
        ),
    ]
    return AnalysisResult(
        text=TEXT,
        sections=[Section(id="shortcomings", title="II. HẠN CHẾ, KHUYẾT ĐIỂM", start=0, end=len(TEXT))],
        sentences=sentences,
        findings=findings,
        accountability=Accountability(status="missing"),
        scores=Scores(specificity=50, candor=40, accountability=0, completeness=60, overall=40),
        band="weak",
        classifier="linear-v1",
    )


MakeDecision = Callable[..., FeedbackDecision]


@pytest.fixture
def make_decision() -> MakeDecision:
    """A factory: ``make_decision(sentence, rule, decision, report="a", minutes=0, kind=None, section=...)``; the
    sentence is placed at an offset derived from its text so that different sentences never overlap."""

    def make(
        sentence: str,
        rule: str,
        decision: str,
        *,
        report: str = "a",
        at: int = 0,
        minutes: int = 0,
        kind: str | None = None,
        section: str | None = "shortcomings",
        note: str | None = None,
    ) -> FeedbackDecision:
        category = rule.split(".", 1)[0]
        if kind is None and category == "evasive" and rule.split(".", 1)[1] not in {"model", "model_kind"}:
            kind = rule.split(".", 1)[1]
        return FeedbackDecision(
            report_hash=report_hash(report),
            rule=rule,
            category=category,
            kind=kind,
            start=at,
            end=at + len(sentence),
            sentence=sentence,
            sentence_start=at,
            sentence_end=at + len(sentence),
            section=section,
            decision=decision,
            note=note,
            model="linear-v1",
            version="0.1.0",
            config_hash="abc123",
            created_at=T0 + timedelta(minutes=minutes),
        )

    return make
