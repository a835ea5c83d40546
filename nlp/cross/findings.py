"""The cross-report verdicts as findings of the one result schema, and their effect on a result.

Effect on the report's result (:func:`apply_findings`), as documented in docs/schema.md:

- ``cross.contradicts_collective``: accountability ``status`` becomes ``missing``; for the head of the unit,
  ``head_responsibility`` becomes false.
- ``cross.collective_fault_not_owned``: for the head, ``head_responsibility`` becomes false; ``status`` becomes
  ``missing`` when the writer owns none of the collective shortcomings he or she answers for.
- ``cross.previous_fault_unreported`` / ``cross.repeated_from_last_year``: accountability unchanged.
- A writer who owns, concretely, every collective shortcoming he or she answers for (each row ``owned``, with or
  without findings) has stated a personal responsibility for the collective's shortcomings, wherever the report
  says it ("V. … Đã nêu ở mục II"): a ``missing`` status becomes ``present``, with the owning sentences as its
  evidence, and the report's own ``accountability.missing_personal`` finding goes; for the head of the unit,
  ``head_responsibility`` becomes true and ``accountability.missing_head`` goes.

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
from nlp.schema import AnalysisResult, CrossEvidence, Finding, Span
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


def owns_every_item(rows: list[CollectiveRow]) -> bool:
    """The writer's report owns, concretely, each collective shortcoming he or she answers for (one at least)."""
    return bool(rows) and all(r.verdict == "owned" for r in rows)


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
    """``result`` with ``findings`` added, the accountability verdict and the scores updated (see the module doc);
    ``result`` itself when nothing changes."""
    mine = [r for r in rows if r.file == identity.file]
    owned_all = owns_every_item(mine)
    lifted = owned_all and (
        result.accountability.status == "missing" or (identity.head and not result.accountability.head_responsibility)
    )
    if not findings and not lifted:
        return result
    rules = {f.rule for f in findings}
    accountability = result.accountability.model_copy()
    notes = []
    owned_any = any(r.verdict == "owned" for r in mine)
    refuted: set[str] = set()  # the report's own findings that the collective report shows wrong
    if owned_all and accountability.status == "missing":
        refuted.add("accountability.missing_personal")
        accountability.status = "present"
        owning = [Span(start=r.sentence.start, end=r.sentence.end) for r in mine if r.sentence]
        spans = {(span.start, span.end): span for span in [*accountability.evidence, *owning]}
        accountability.evidence = [spans[key] for key in sorted(spans)]
        accountability.explanation = ""  # the report alone read none: what it said is replaced, not contradicted
        notes.append(string("notes", "owned_all", lang))
    if owned_all and identity.head:
        accountability.head_responsibility = True
        refuted.add("accountability.missing_head")
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
    kept = [f for f in result.findings if f.rule not in refuted]
    all_findings = sorted([*kept, *findings], key=lambda f: (f.start, SEVERITY_ORDER[f.severity], f.rule))
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
