"""The cross-report verdicts as findings of the one result schema, and their effect on a result.

Effect on the report's result (:func:`apply_findings`), as documented in docs/schema.md:

- ``cross.contradicts_collective``: accountability ``status`` becomes ``missing``; for the head of the unit,
  ``head_responsibility`` becomes false.
- ``cross.collective_fault_not_owned``: for the head, ``head_responsibility`` becomes false; ``status`` becomes
  ``missing`` when the writer owns none of the collective shortcomings he or she answers for.
- ``cross.previous_fault_unreported`` / ``cross.repeated_from_last_year``: accountability unchanged.

The scores are recomputed (``nlp.score.score``) with the new status and findings, and a high-severity cross finding
keeps the band from ``strong``.
"""

from __future__ import annotations

from functools import cache

from nlp.catalog import make_finding
from nlp.cross.config import settings, string
from nlp.cross.passages import Passage
from nlp.cross.records import CollectiveRow, Identity, PreviousRow, Quote
from nlp.lexicon import load_yaml
from nlp.schema import AnalysisResult, CrossEvidence, Finding
from nlp.score import score

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def rule_for(check: str, verdict: str) -> str | None:
    """The rule a verdict of ``check`` ('collective' or 'previous') raises, or None."""
    return settings()["rules"][check][verdict]


def quote(item: Passage) -> Quote:
    """A passage as a quote (file, offsets, text)."""
    return Quote(file=item.file, start=item.start, end=item.end, text=item.text)


def _where(result: AnalysisResult, sentence: Quote | None, file: str, sections: tuple[str, ...]) -> tuple[int, int]:
    """The span of this report's sentence, else the heading of the first of ``sections`` present, else line 1."""
    if sentence is not None and sentence.file == file:
        return sentence.start, sentence.end
    for wanted in sections:
        for section in result.sections:
            if section.id == wanted:
                return section.start, section.heading_end or section.end
    first = result.text.find("\n")
    return 0, first if first > 0 else len(result.text)


def _sentence_index(result: AnalysisResult, start: int) -> int | None:
    return next((i for i, s in enumerate(result.sentences) if s.start <= start < max(s.end, s.start + 1)), None)


def _finding(
    rule: str,
    result: AnalysisResult,
    span: tuple[int, int],
    evidence: CrossEvidence,
    lang: str,
) -> Finding:
    index = _sentence_index(result, span[0])
    section = result.sentences[index].section if index is not None else None
    finding = make_finding(rule, span[0], span[1], lang=lang, sentence=index, section=section)
    return finding.model_copy(update={"evidence": evidence})


def collective_finding(row: CollectiveRow, result: AnalysisResult, year: int | None, lang: str) -> Finding | None:
    """The finding of a collective-check row on the person's report (None for an owned shortcoming)."""
    if row.rule is None:
        return None
    span = _where(result, row.sentence, row.file, ("collective_responsibility", "shortcomings"))
    return _finding(row.rule, result, span, _evidence(row, year), lang)


def previous_finding(row: PreviousRow, result: AnalysisResult, year: int | None, lang: str) -> Finding | None:
    """The finding of a last-year row on this year's report (None for a shortcoming reported on)."""
    if row.rule is None:
        return None
    sections = ("shortcomings",) if row.verdict == "repeated" else ("previous_remediation", "shortcomings")
    span = _where(result, row.sentence, row.file, sections)
    return _finding(row.rule, result, span, _evidence(row, year), lang)


def _evidence(row: CollectiveRow | PreviousRow, year: int | None) -> CrossEvidence:
    """The other report's sentence a row rests on (the collective's, or last year's shortcoming)."""
    quoted = row.shortcoming
    return CrossEvidence(
        file=quoted.file, start=quoted.start, end=quoted.end, quote=quoted.text, year=year, verdict=row.verdict
    )


@cache
def _required() -> dict[str, list[str]]:
    return load_yaml("structure.yaml")["required_sections"]


def apply_findings(
    result: AnalysisResult,
    findings: list[Finding],
    identity: Identity,
    rows: list[CollectiveRow],
    lang: str = "vi",
) -> AnalysisResult:
    """``result`` with ``findings`` added, the accountability verdict and the scores updated (see the module doc)."""
    if not findings:
        return result
    rules = {f.rule for f in findings}
    accountability = result.accountability.model_copy()
    notes = []
    mine = [r for r in rows if r.file == identity.file]
    owned_any = any(r.verdict == "owned" for r in mine)
    if "cross.contradicts_collective" in rules:
        accountability.status = "missing"
        notes.append(string("notes", "contradicts", lang))
    if "cross.collective_fault_not_owned" in rules and not owned_any:
        accountability.status = "missing"
        notes.append(string("notes", "not_owned", lang))
    if identity.head and rules & {"cross.contradicts_collective", "cross.collective_fault_not_owned"}:
        accountability.head_responsibility = False
    if notes:
        accountability.explanation = " ".join([accountability.explanation, *notes]).strip()
    all_findings = sorted([*result.findings, *findings], key=lambda f: (f.start, SEVERITY_ORDER[f.severity], f.rule))
    required = len(_required().get(result.role, _required()["unknown"]))
    scores, band, explanations = score(
        result.sentences,
        all_findings,
        accountability.status,
        accountability.head_responsibility,
        required,
        len(result.missing_sections),
        lang,
    )
    if band == "strong" and any(f.severity == "high" for f in findings):
        band = "adequate"
    return result.model_copy(
        update={
            "findings": all_findings,
            "accountability": accountability,
            "scores": scores,
            "score_explanations": explanations,
            "band": band if result.band is not None else None,
        }
    )
