"""``POST /v1/compare`` as it runs in an analysis process: one report checked against its unit's collective report
and/or the writer's report of last year (issue 13, :func:`nlp.cross.pair.check_pair`).

The three analyses and the cross-check are one :class:`~service.worker.Job`, under the pool's time limit. Each file
is analysed as ``/v1/analyze`` analyses it (same limits, the server's configuration); a refused file answers the
refusal of the first file refused, with ``part`` naming it. The caller's word links the files: they are one unit,
the previous report reviews the year before. The e5 encoder the matcher uses loads once per analysis process.
"""

from __future__ import annotations

from dataclasses import replace

from pydantic import BaseModel, ConfigDict, Field

from nlp.cross.records import CollectiveRow, PersonLink, PreviousRow, UnitLink, Unlinked
from nlp.errors import InputError
from nlp.schema import AnalysisResult
from service.worker import Job, Outcome, analyse_job, with_reviews

PARTS = ("collective", "previous")


class LinkSummary(BaseModel):
    """What the cross-check linked (the unit, the writer across the two years) and what it could not link."""

    model_config = ConfigDict(extra="forbid")

    units: list[UnitLink] = Field(default_factory=list)
    persons: list[PersonLink] = Field(default_factory=list)
    unlinked: list[Unlinked] = Field(default_factory=list, description="files the checks could not link, and why")


class CompareAnswer(BaseModel):
    """The answer of ``POST /v1/compare``."""

    model_config = ConfigDict(extra="forbid")

    result: AnalysisResult = Field(description="the report's result with its cross_report findings applied")
    files: dict[str, str] = Field(
        description="part (report, collective, previous) → the name its quotes carry in the evidence"
    )
    notes: list[str] = Field(default_factory=list, description="what the reviewer should know about the files given")
    linkage: LinkSummary
    collective_rows: list[CollectiveRow] = Field(
        default_factory=list, description="each collective shortcoming the writer answers for, with its verdict"
    )
    previous_rows: list[PreviousRow] = Field(
        default_factory=list, description="each of last year's shortcomings, with its verdict in this year's report"
    )


def perform_compare(job: Job) -> Outcome:
    """Analyse the report and its ``others``, cross-check them and serialise a :class:`CompareAnswer`; never raises
    for a bad input or a pipeline bug (an unexpected exception is kept by its type only)."""
    part = "report"
    try:
        report = analyse_job(replace(job, reviews=False, others=()))
        others = {}
        for other in job.others:
            part = other.role
            single = replace(job, text=other.text, data=other.data, hint=other.hint, reviews=False, others=())
            others[other.role] = (other.name, analyse_job(single))
        part = "report"
        return Outcome(body=_answer(job, report, others).model_dump_json())
    except InputError as error:
        return Outcome(refusal=(error.code, error.detail), part=part)
    except Exception as error:  # the message may quote a report: keep the type only
        return Outcome(failure=type(error).__name__)


def _answer(job: Job, report: AnalysisResult, others: dict[str, tuple[str, AnalysisResult]]) -> CompareAnswer:
    from nlp.cross import AnalysedReport
    from nlp.cross.pair import check_pair

    given = {role: AnalysedReport(path=name, result=result) for role, (name, result) in others.items()}
    checked = check_pair(AnalysedReport(path=job.name, result=report), lang=job.lang, **given)
    result = checked.result
    if job.reviews and job.config.feedback_store is not None:
        result = with_reviews(result, job.config.feedback_store)
    linkage = checked.checked.linkage
    return CompareAnswer(
        result=result,
        files={"report": job.name, **{role: name for role, (name, _) in others.items()}},
        notes=checked.notes,
        linkage=LinkSummary(units=linkage.units, persons=linkage.persons, unlinked=linkage.unlinked),
        collective_rows=checked.checked.collective_rows,
        previous_rows=checked.checked.previous_rows,
    )


def part_names(report: str | None, others: dict[str, str | None]) -> tuple[str, dict[str, str]]:
    """The names the files go by in the evidence: an upload's file name (its last path part), else the part's role
    ("report", "collective", "previous"); a name already taken falls back to the role, then to ``role-2``, ``role-3``
    (of three names at most two are taken)."""
    taken: set[str] = set()

    def claim(name: str | None, role: str) -> str:
        candidate = next(c for c in (_base(name), role, f"{role}-2", f"{role}-3") if c and c not in taken)
        taken.add(candidate)
        return candidate

    first = claim(report, "report")
    return first, {role: claim(name, role) for role, name in others.items()}


def _base(name: str | None) -> str | None:
    if not name:
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:120] or None
