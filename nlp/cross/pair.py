"""One reviewer, two or three files: a report checked against its unit's collective report and/or the same
writer's report of last year, which the caller names (``kiemdiem analyze X --collective C --previous P``,
``POST /v1/compare``). The caller's word links them: they are one unit, and the previous report reviews the year
before the report's, whatever their headers say; only the verdicts are left to the checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nlp.cross.check import cross_check
from nlp.cross.identity import within_parent
from nlp.cross.link import in_another_chi_bo, same_unit
from nlp.cross.match import Matcher
from nlp.cross.records import AnalysedReport, CrossResult, Identity
from nlp.schema import AnalysisResult

_NO_YEAR = {
    True: "Không bản nào ghi năm kiểm điểm; coi là năm nay, bản năm trước là năm liền trước.",
    False: "No report states the year it reviews; taken as this year, the previous report as the year before.",
}


@dataclass(frozen=True)
class PairCheck:
    """The report's result with the cross-report findings applied, and everything the checks found."""

    result: AnalysisResult
    checked: CrossResult
    notes: list[str]


def check_pair(
    report: AnalysedReport,
    *,
    collective: AnalysedReport | None = None,
    previous: AnalysedReport | None = None,
    lang: str = "vi",
    matcher: str | None = None,
) -> PairCheck:
    """Check ``report`` against ``collective`` (the unit's Mẫu 01 of the same year) and/or ``previous`` (the writer's
    report of the year before). Paths must differ; they name the files in the evidence. ``matcher`` names the
    sentence encoder (None: the default, the one a batch uses)."""
    if collective is None and previous is None:
        raise ValueError("give a collective report, a previous report, or both")
    reports = [r for r in (report, collective, previous) if r is not None]
    if len({r.path for r in reports}) != len(reports):
        raise ValueError("the reports must have different names")
    notes = _notes(report, collective, previous, lang)

    def adjust(identities: list[Identity]) -> list[Identity]:
        by_file = {i.file: i for i in identities}
        unit_key = next(
            (by_file[r.path].unit_key for r in (collective, report, previous) if r and by_file[r.path].unit_key),
            "doi-chieu",
        )
        this_year = _year(by_file[report.path], by_file.get(collective.path) if collective else None)
        if this_year is None and previous is not None and by_file[previous.path].year:
            this_year = by_file[previous.path].year + 1
        if this_year is None:  # no header says the year: this year's, as the reviewer reviews it now
            this_year = date.today().year
            notes.append(_NO_YEAR[lang == "vi"])
        years = {report.path: this_year, previous.path if previous else "": this_year - 1}
        if collective is not None:
            years[collective.path] = this_year
        above = by_file[collective.path] if collective is not None else None
        return [
            _inside(i, above).model_copy(
                update={"unit_key": unit_key, "folder": "doi-chieu", "year": years.get(i.file, i.year)}
            )
            for i in identities
        ]

    checked = cross_check(reports, lang=lang, adjust=adjust, matcher=Matcher(name=matcher))
    return PairCheck(result=checked.results.get(report.path, report.result), checked=checked, notes=notes)


def _inside(identity: Identity, collective: Identity | None) -> Identity:
    """The writer as a member of the collective's đảng bộ when the header puts the writer's chi bộ under it, or
    names a chi bộ (and no đảng bộ above it) while the collective report is a đảng bộ's."""
    if collective is None or identity.role == "collective" or not collective.unit_key:
        return identity
    if identity.parent_key:
        own = identity.unit_key or ""
        under = (
            not same_unit(own, collective.unit_key)  # the collective's own chi bộ, however written ("PCCC và CNCH")
            and not same_unit(identity.parent_key, own)  # a "parent" that is the writer's unit written again
            and same_unit(identity.parent_key, collective.unit_key)
        )
        # a chi bộ of the đảng bộ whose report it is, under an older name of that đảng bộ ("Trường Cao đẳng nghề …")
        return within_parent(identity) if under or in_another_chi_bo(identity, collective) else identity
    return within_parent(identity) if in_another_chi_bo(identity, collective) else identity


def _year(*identities: Identity | None) -> int | None:
    return next((i.year for i in identities if i is not None and i.year), None)


def _notes(
    report: AnalysedReport, collective: AnalysedReport | None, previous: AnalysedReport | None, lang: str
) -> list[str]:
    """What the caller should know about the files given (a collective that is not one, a report that is)."""
    vi = lang == "vi"
    notes = []
    if report.result.role == "collective":
        notes.append(
            "Bản được kiểm tra là báo cáo tập thể; đối chiếu chỉ có nghĩa với bản kiểm điểm cá nhân."
            if vi
            else "The report checked is a collective report; the cross-checks are meant for individual reports."
        )
    if collective is not None and collective.result.role != "collective":
        notes.append(
            "Tệp --collective không giống báo cáo kiểm điểm tập thể (Mẫu 01); kết quả đối chiếu có thể không đúng."
            if vi
            else "The --collective file does not read as a collective report (Mẫu 01); the cross-check may be wrong."
        )
    return notes
