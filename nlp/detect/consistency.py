"""Consistency: the self-rating and self-score against what the report itself admits (DOMAIN.md §3)."""

from __future__ import annotations

import re

from nlp.catalog import make_finding
from nlp.doc import Doc, Unit
from nlp.schema import Finding

EXCELLENT = "hoàn thành xuất sắc nhiệm vụ"
GOOD = "hoàn thành tốt nhiệm vụ"
DISCIPLINE = re.compile(
    r"\b(ky luat|khien trach|canh cao|cach chuc|thanh tra .{0,20}ket luan|kiem tra .{0,20}ket luan|bi ket luan|"
    r"xuat toan|that thoat)\b"
)
_NEGATED = re.compile(r"\b(khong|chua|khong he|chua he)( bi| co| de)?\s*$")
_UNFIXED = re.compile(r"\b(chua (duoc )?khac phuc|chua khac phuc xong|van con|chua hoan thanh)\b")
FAULT_SECTIONS = ("shortcomings", "causes", "previous_remediation", "suggested_issues", "collective_responsibility")


def _unnegated(unit: Unit, pattern: re.Pattern[str]) -> re.Match[str] | None:
    for match in pattern.finditer(unit.folded):
        before = unit.folded[max(0, match.start() - 14) : match.start()]
        if not _NEGATED.search(before):
            return match
    return None


def _serious_faults(doc: Doc, strict: bool) -> list[Unit]:
    """Units admitting serious faults: discipline and findings; for the top rating also missed targets."""
    found = []
    for unit in doc.units_in(*FAULT_SECTIONS):
        if _unnegated(unit, DISCIPLINE) or (
            strict
            and any(
                h
                for h in unit.lexicon_hits("serious_fault")
                if not _NEGATED.search(unit.folded[max(0, h.start - 14) : h.start])
            )
        ):
            found.append(unit)
    return found


def check_consistency(doc: Doc, lang: str = "vi") -> list[Finding]:
    """Findings where the rating or scores contradict the text."""
    findings: list[Finding] = []
    rating = doc.self_rating
    span = doc.self_rating_span or _rating_section_span(doc)
    if rating in (EXCELLENT, GOOD):
        faults = _serious_faults(doc, strict=rating == EXCELLENT)
        if faults:
            findings.append(make_finding("consistency.rating_vs_faults", *span, lang=lang, phrase=rating))
        if not _real_shortcomings(doc):
            findings.append(make_finding("consistency.no_shortcomings_high_rating", *span, lang=lang, phrase=rating))
    if rating == EXCELLENT:
        results = doc.units_in("achievements", "ideology_ethics", "duties", "commitments")
        if not any(u.anchors.get("number") for u in results):
            findings.append(make_finding("consistency.excellent_without_evidence", *span, lang=lang))
        if any(_UNFIXED.search(u.folded) for u in doc.units_in("previous_remediation")):
            findings.append(make_finding("consistency.previous_unfixed", *span, lang=lang, phrase=rating))
    findings.extend(_score_findings(doc, span, lang))
    return findings


def _real_shortcomings(doc: Doc) -> bool:
    units = doc.units_in("shortcomings")
    return any(u.has("shortcoming") and not u.has("denial") for u in units)


def _rating_section_span(doc: Doc) -> tuple[int, int]:
    for section in doc.sections:
        if section.id == "self_rating":
            return section.start, section.heading_end
    return (doc.lines[-1].start, doc.lines[-1].end) if doc.lines else (0, 0)


def _score_findings(doc: Doc, span: tuple[int, int], lang: str) -> list[Finding]:
    parts = doc.self_score_parts
    if "general" in parts and "tasks" in parts and doc.self_score is not None:
        expected = parts["general"] + parts["tasks"]
        if abs(expected - doc.self_score) > 0.5:
            phrase = f"{_fmt(parts['general'])} + {_fmt(parts['tasks'])} ≠ {_fmt(doc.self_score)}"
            return [make_finding("consistency.score_sum", *span, lang=lang, phrase=phrase)]
    return []


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)
