"""Cross-report checks (issue 13): a unit's collective report against its leaders' and members' reports, and this
year's reports against last year's.

    >>> from nlp.cross import AnalysedReport, cross_check
    >>> checked = cross_check([AnalysedReport(path, analyze_file(root / path)) for path in paths])
    >>> checked.linkage.unlinked, checked.collective_rows, checked.findings[path]

Modules: ``identity`` (who wrote a report), ``link`` (units, collective reports, persons across years),
``passages`` (sentences as the checks read them), ``match`` (semantic matching; its default encoder in
``static_encoder``, built by ``static_build``), ``responsibility`` (shortcomings and
who answers for them), ``verdict`` (the verdicts), ``findings`` (findings and their effect on a result), ``sheets``
(the workbook rows), ``check`` (the entry point), ``evaluate`` (figures on corpus/linked).
"""

from nlp.cross.check import cross_check, texts_to_embed
from nlp.cross.match import Matcher
from nlp.cross.records import (
    AnalysedReport,
    CollectiveRow,
    CrossResult,
    Identity,
    Linkage,
    PersonLink,
    PreviousRow,
    UnitLink,
    Unlinked,
)
from nlp.cross.sheets import sheet_rows

__all__ = [
    "AnalysedReport",
    "CollectiveRow",
    "CrossResult",
    "Identity",
    "Linkage",
    "Matcher",
    "PersonLink",
    "PreviousRow",
    "UnitLink",
    "Unlinked",
    "cross_check",
    "sheet_rows",
    "texts_to_embed",
]
