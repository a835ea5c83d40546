"""The rows of the two workbook sheets ("Đối chiếu tập thể – cá nhân", "Đối chiếu năm trước"): a header row and
one row per collective shortcoming × responsible person, and per last year's shortcoming, in ``lang``."""

from __future__ import annotations

from nlp.cross.config import post, settings, string
from nlp.cross.records import CrossResult


def _columns(group: str, lang: str) -> list[str]:
    return [entry["vi" if lang == "vi" else "en"] for entry in settings()["strings"][group].values()]


def _post_label(post_id: str, lang: str) -> str:
    found = post(post_id)
    return found.label_vi if lang == "vi" else found.label_en


def sheet_rows(checked: CrossResult, lang: str | None = None) -> dict[str, list[list[str | float | None]]]:
    """Sheet name → rows (the first is the header), ready for openpyxl's ``append``; in the checks' language unless
    ``lang`` says otherwise."""
    lang = lang or checked.lang
    collective = [_columns("columns_collective", lang)]
    for row in checked.collective_rows:
        collective.append(
            [
                row.unit,
                row.shortcoming.text,
                row.shortcoming.file,
                row.person,
                ", ".join(_post_label(p, lang) for p in row.posts),
                ", ".join(string("why", w, lang) for w in row.why),
                row.file,
                string("verdicts", row.verdict, lang),
                row.sentence.text if row.sentence else "",
                row.similarity,
                row.rule or "",
            ]
        )
    previous = [_columns("columns_previous", lang)]
    for row in checked.previous_rows:
        previous.append(
            [
                row.unit,
                row.writer if row.writer != "collective" else _sheet("writer_collective", lang),
                row.shortcoming.file,
                row.shortcoming.text,
                row.file,
                string("verdicts", row.verdict, lang),
                string("outcomes", row.outcome, lang) if row.outcome else "",
                row.sentence.text if row.sentence else "",
                row.similarity,
                row.rule or "",
            ]
        )
    return {
        _sheet("sheet_collective", lang): collective,
        _sheet("sheet_previous", lang): previous,
    }


def _sheet(key: str, lang: str) -> str:
    return settings()["strings"][key]["vi" if lang == "vi" else "en"]
