"""A reviewer's decision on one finding: confirm ("Đúng") or dismiss ("Không đúng"), and what is kept of it.

A :class:`FeedbackDecision` holds the finding's rule, category and evasion sub-kind, the finding's offsets, the
text and offsets of the sentence it is on, the sentence's section, the decision, an optional note, the model and
kiemdiem version, the configuration hash given by the caller, a schema version and the time (UTC) — and, to tie it
to its report without keeping the report, the sha256 of the result's text (:func:`report_hash`). Nothing else of
the report's text is stored. A ``cross_report`` finding (issue 13) is also named by the offsets of the other
report's sentence it quotes (``evidence_start``, ``evidence_end``): one sentence of a report may fail to own two of
the collective's shortcomings, two findings with the same rule and span that a reviewer may judge apart. Only the
offsets are kept, never the other report's text.

:func:`decision_for` is the one way to build a decision from an analysis: it checks that the finding is in that
result and takes the sentence from the result, so a client cannot store arbitrary text as a "sentence".
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from nlp.errors import FeedbackDecisionError
from nlp.schema import AnalysisResult, Category, Finding, SectionId

FEEDBACK_SCHEMA_VERSION = 1
MAX_NOTE_CHARS = 1000
MAX_SENTENCE_CHARS = 20_000  # a guard against storing a whole passage as a "sentence"
Verdict = Literal["confirm", "dismiss"]
VERDICTS: tuple[Verdict, ...] = ("confirm", "dismiss")
#: A finding within its report: rule, start, end, and for a cross_report finding its evidence's start and end.
FindingKey = tuple[str, int, int, int | None, int | None]


def report_hash(text: str) -> str:
    """The key of a report in the store: sha256 (hex) of the result's returned (normalised) text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class FindingRef(BaseModel):
    """Names a finding of a result by its rule and offsets (what a client that re-orders findings can send); a
    ``cross_report`` finding also by its evidence's offsets in the other report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str = Field(min_length=1, max_length=100)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    evidence_start: int | None = Field(
        None, ge=0, description="cross_report findings: `evidence.start` (the quote's start in the other report)"
    )
    evidence_end: int | None = Field(None, ge=0, description="cross_report findings: `evidence.end`")

    @model_validator(mode="after")
    def _evidence_pair(self) -> FindingRef:
        if (self.evidence_start is None) != (self.evidence_end is None):
            raise ValueError("evidence_start and evidence_end go together")
        return self

    @property
    def evidence(self) -> tuple[int, int] | None:
        """The evidence's offsets named, if any."""
        if self.evidence_start is None or self.evidence_end is None:
            return None
        return self.evidence_start, self.evidence_end


class FeedbackDecision(BaseModel):
    """One stored decision (schema version 1); see the module docstring for what is and is not kept."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = FEEDBACK_SCHEMA_VERSION
    report_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the result's text")
    rule: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$", max_length=100)
    category: Category
    kind: str | None = Field(None, pattern=r"^[a-z_]+$", max_length=60, description="evasion sub-kind, if any")
    start: int = Field(ge=0, description="the finding's start in the result's text")
    end: int = Field(ge=0)
    evidence_start: int | None = Field(
        None, ge=0, description="cross_report findings: the quoted sentence's start in the other report's text"
    )
    evidence_end: int | None = Field(None, ge=0, description="cross_report findings: the quoted sentence's end")
    sentence: str = Field(max_length=MAX_SENTENCE_CHARS, description="the text of the finding's sentence")
    sentence_start: int = Field(ge=0)
    sentence_end: int = Field(ge=0)
    section: SectionId | None = None
    decision: Verdict
    note: str | None = Field(None, max_length=MAX_NOTE_CHARS)
    model: str = Field(max_length=100, description="the sentence classifier that produced the result")
    version: str = Field(max_length=40, description="kiemdiem's version")
    config_hash: str | None = Field(None, max_length=128, description="the configuration's hash, from the caller")
    created_at: datetime = Field(default_factory=utc_now, description="when the decision was made (UTC)")

    @field_validator("note")
    @classmethod
    def _blank_note_is_none(cls, note: str | None) -> str | None:
        return (note.strip() or None) if note is not None else None

    @field_validator("created_at")
    @classmethod
    def _utc(cls, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("time must carry a timezone (UTC)")
        return moment.astimezone(UTC)

    @model_validator(mode="after")
    def _spans(self) -> FeedbackDecision:
        if self.end < self.start:
            raise ValueError("finding end before its start")
        if self.sentence_end < self.sentence_start:
            raise ValueError("sentence end before its start")
        if len(self.sentence) != self.sentence_end - self.sentence_start:
            raise ValueError("sentence text does not match its offsets")
        if (self.evidence_start is None) != (self.evidence_end is None):
            raise ValueError("evidence_start and evidence_end go together")
        return self

    @property
    def key(self) -> tuple[str, str, int, int, int | None, int | None]:
        """What identifies the decided finding: a later decision with the same key replaces this one."""
        return (self.report_hash, self.rule, self.start, self.end, self.evidence_start, self.evidence_end)

    @property
    def finding_key(self) -> FindingKey:
        """The decided finding within its report (see :func:`finding_key`)."""
        return (self.rule, self.start, self.end, self.evidence_start, self.evidence_end)


def validated(data: dict[str, object]) -> FeedbackDecision:
    """A :class:`FeedbackDecision` from plain data, or :class:`FeedbackDecisionError` naming each bad field
    (field and rule only: the values, which may be report text or a note, are never repeated)."""
    try:
        return FeedbackDecision.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'decision'}: {e['msg']}" for e in exc.errors())
        raise FeedbackDecisionError(problems) from None


def finding_key(finding: Finding) -> FindingKey:
    """What names ``finding`` in its report, for decisions: rule and offsets, and the evidence's offsets in the
    other report for a ``cross_report`` finding (None for the others)."""
    evidence = finding.evidence
    if evidence is None:
        return (finding.rule, finding.start, finding.end, None, None)
    return (finding.rule, finding.start, finding.end, evidence.start, evidence.end)


def find_finding(result: AnalysisResult, finding: int | FindingRef) -> Finding:
    """The finding of ``result`` named by its index or by rule and offsets (and the evidence's offsets, which a
    reference must give when several findings share the rule and span but quote different sentences);
    :class:`FeedbackDecisionError` if absent or ambiguous."""
    if isinstance(finding, int):
        if not 0 <= finding < len(result.findings):
            raise FeedbackDecisionError(f"finding {finding} not in the result ({len(result.findings)} findings)")
        return result.findings[finding]
    wanted = (finding.rule, finding.start, finding.end)
    named = finding.evidence
    matches = [
        c for c in result.findings if finding_key(c)[:3] == wanted and (named is None or finding_key(c)[3:] == named)
    ]
    if not matches:
        where = f" (evidence {named[0]}–{named[1]})" if named else ""
        raise FeedbackDecisionError(f"no finding {finding.rule} at {finding.start}–{finding.end}{where} in the result")
    if len({finding_key(c) for c in matches}) > 1:
        raise FeedbackDecisionError(
            f"{len(matches)} findings {finding.rule} at {finding.start}–{finding.end} quote different sentences: "
            "name one by evidence_start and evidence_end"
        )
    return matches[0]


def _sentence_span(result: AnalysisResult, finding: Finding) -> tuple[int, int]:
    """The sentence a finding is on; for a finding on no sentence (a heading, a missing part), the first sentence
    it overlaps, else the finding's own span."""
    if finding.sentence is not None and 0 <= finding.sentence < len(result.sentences):
        sentence = result.sentences[finding.sentence]
        return sentence.start, sentence.end
    for sentence in result.sentences:
        if sentence.start < max(finding.end, finding.start + 1) and finding.start < sentence.end:
            return sentence.start, sentence.end
    return finding.start, finding.end


def _section_of(result: AnalysisResult, finding: Finding, start: int) -> str | None:
    if finding.section is not None:
        return finding.section
    for sentence in result.sentences:
        if sentence.start == start:
            return sentence.section
    return None


def decision_for(
    result: AnalysisResult,
    finding: int | FindingRef,
    decision: str,
    *,
    note: str | None = None,
    config_hash: str | None = None,
    at: datetime | None = None,
) -> FeedbackDecision:
    """The decision ``decision`` ("confirm" / "dismiss") on a finding of ``result``, with the sentence taken from
    the result. Raises :class:`FeedbackDecisionError` when the finding is not in the result or a value is invalid."""
    from nlp import __version__

    chosen = find_finding(result, finding)
    start, end = _sentence_span(result, chosen)
    return validated(
        {
            "report_hash": report_hash(result.text),
            "rule": chosen.rule,
            "category": chosen.category,
            "kind": chosen.kind,
            "start": chosen.start,
            "end": chosen.end,
            "evidence_start": chosen.evidence.start if chosen.evidence else None,
            "evidence_end": chosen.evidence.end if chosen.evidence else None,
            "sentence": result.text[start:end],
            "sentence_start": start,
            "sentence_end": end,
            "section": _section_of(result, chosen, start),
            "decision": decision,
            "note": note,
            "model": result.classifier,
            "version": __version__,
            "config_hash": config_hash,
            "created_at": at or utc_now(),
        }
    )
