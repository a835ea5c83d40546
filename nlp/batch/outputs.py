"""The files of a batch: the Excel workbook, the CSV tables, and the JSONL of all results.

The ranked table (weakest first) is the same in the workbook's first sheet and in ``ket-qua.csv`` (UTF-8
with BOM, so Excel opens the Vietnamese correctly). Sheets are written with openpyxl's write-only mode,
so the workbook costs little memory even with tens of thousands of rows.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from nlp.batch.config import kind_by_id, rules, t
from nlp.batch.stats import BANDS, DistrictStats, Quota, UnitStats
from nlp.catalog import label

WORKBOOK = "ket-qua.xlsx"
TABLE_CSV = "ket-qua.csv"
ERRORS_CSV = "tep-loi.csv"
UNITS_CSV = "theo-don-vi.csv"
SUMMARY_HTML = "tong-hop.html"
RESULTS_JSONL = "ket-qua.jsonl"

PERCENT_COLUMNS = frozenset({"copy_similarity", "weak_share", "quota_share", "high_share"})
BAND_FILLS = {"weak": "FFC7CE", "adequate": "FFEB9C", "strong": "C6EFCE"}

# (column key, how to show it); headers come from batch_strings.yaml columns.<key>
RANKED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("rank", "int"),
    ("band", "band"),
    ("overall", "score"),
    ("specificity", "score"),
    ("candor", "score"),
    ("accountability", "score"),
    ("completeness", "score"),
    ("name", "text"),
    ("form", "text"),
    ("role", "role"),
    ("unit", "text"),
    ("unit_kind", "kind"),
    ("branch", "text"),
    ("year", "int"),
    ("self_rating", "text"),
    ("self_score", "score"),
    ("sentences", "int"),
    ("generic", "int"),
    ("evasive", "int"),
    ("accountability_status", "accountability"),
    ("missing_sections", "sections"),
    ("findings", "findings"),
    ("dismissed", "int"),
    ("copy_group", "text"),
    ("copy_similarity", "share"),
    ("format", "text"),
    ("config_hash", "text"),
    ("path", "text"),
    ("html", "link"),
)
ERROR_COLUMNS = ("status", "path", "unit", "code", "reason", "detail")
COPY_COLUMNS = ("copy_group", "group_size", "path", "name", "unit", "band", "copy_similarity", "match", "passages")
WIDTHS = {
    "rank": 7,
    "band": 8,
    "name": 24,
    "unit": 34,
    "unit_kind": 22,
    "branch": 26,
    "self_rating": 26,
    "missing_sections": 30,
    "findings": 80,
    "path": 48,
    "html": 10,
    "reason": 60,
    "detail": 40,
    "passages": 100,
    "match": 48,
    "flag": 40,
    "status": 14,
    "kind": 30,
    "config_hash": 18,
}


def header(key: str, lang: str) -> str:
    """Column header of ``key``."""
    return t(f"columns.{key}", lang)


def findings_text(findings: list[dict], lang: str) -> str:
    """The main findings of a report, on one line."""
    parts = []
    for finding in findings or ():
        more = f" {t('findings_more', lang, count=finding['count'])}" if finding.get("count", 1) > 1 else ""
        parts.append(finding["message"] + more)
    return " • ".join(parts)


def cell(row: dict, key: str, kind: str, lang: str) -> object:
    """The value shown for ``key`` of a result row."""
    value = row.get(key)
    if value is None or value == "":
        return None
    if kind == "score":
        return round(float(value), 1)
    if kind == "band":
        return label("bands", value, lang)
    if kind == "role":
        return label("roles", value, lang)
    if kind == "accountability":
        return label("accountability", value, lang)
    if kind == "kind":
        return kind_by_id(value).label(lang)
    if kind == "sections":
        return ", ".join(label("sections", s, lang) for s in value) or None
    if kind == "findings":
        return findings_text(value, lang) or None
    if kind == "share":
        return round(float(value), 3)
    return value


def error_cells(error: dict, lang: str) -> list[object]:
    """The cells of an error row, in ERROR_COLUMNS order."""
    return [
        t(f"status.{error['status']}", lang),
        error["path"],
        error.get("unit") or None,
        error.get("code") if error["status"] != "skipped" else None,
        error_reason(error, lang),
        error.get("detail") if error["status"] != "skipped" else None,
    ]


def error_reason(error: dict, lang: str) -> str:
    """The reason of an error row in ``lang``: the refusal's own message, or a batch reason."""
    message = error.get(f"message_{lang}") or error.get("message_vi")
    if message:
        return message
    code = error.get("code") or ""
    try:
        return t(f"reasons.{code}", lang, detail=error.get("detail") or "?")
    except KeyError:
        return code


def quota_text(quota: Quota, lang: str) -> str:
    """'13/67 = 19.4%' style share and status."""
    if quota.share is None:
        return t("quota.none", lang)
    status = t("quota.breached" if quota.breached else "quota.ok", lang)
    return f"{quota.excellent}/{quota.good_or_better} = {quota.share:.1%} ({status})"


# ---------------------------------------------------------------------------------------------- CSV


def write_csv(path: Path, headers: list[str], rows: Iterable[list[object]]) -> None:
    """A CSV in UTF-8 with BOM (Excel on Windows then reads the Vietnamese correctly)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


def ranked_cells(row: dict, lang: str) -> list[object]:
    """The cells of one ranked row, in RANKED_COLUMNS order."""
    return [cell(row, key, kind, lang) for key, kind in RANKED_COLUMNS]


def write_tables(out_dir: Path, ranked: list[dict], errors: list[dict], stats: DistrictStats, lang: str) -> None:
    """The ranked table, the error rows and the unit table as CSV."""
    write_csv(
        out_dir / TABLE_CSV,
        [header(key, lang) for key, _ in RANKED_COLUMNS],
        (ranked_cells(row, lang) for row in ranked),
    )
    write_csv(out_dir / ERRORS_CSV, [header(k, lang) for k in ERROR_COLUMNS], (error_cells(e, lang) for e in errors))
    write_csv(out_dir / UNITS_CSV, [header(k, lang) for k in UNIT_COLUMNS], (unit_cells(u, lang) for u in stats.units))


# ---------------------------------------------------------------------------------------------- JSONL


def write_jsonl(out_dir: Path, ranked: list[dict], read: Callable[[str], str | None]) -> int:
    """One line per analysed file, in ranking order: batch facts plus the full result (schema v1).

    ``read(relative_path)`` returns a per-report JSON document (written compact, one line) or None.
    """
    written = 0
    with (out_dir / RESULTS_JSONL).open("w", encoding="utf-8") as handle:
        for row in ranked:
            document = read(row["json"])
            if document is None:
                continue
            facts = {
                "rank": row["rank"],
                "path": row["path"],
                "unit": row["unit"],
                "unit_kind": row["unit_kind"],
                "sha256": row["sha256"],
                "copy_group": row.get("copy_group") or None,
                "copy_similarity": row.get("copy_similarity"),
            }
            handle.write(json.dumps(facts, ensure_ascii=False)[:-1] + ', "result": ' + document.strip() + "}\n")
            written += 1
    return written


# ---------------------------------------------------------------------------------------------- units

UNIT_COLUMNS = (
    "kind",
    "unit",
    "reports",
    "errors",
    "weak",
    "adequate",
    "strong",
    "weak_share",
    "mean_overall",
    "kind_mean",
    "versus_kind",
    "kind_rank",
    "mean_specificity",
    "mean_candor",
    "mean_accountability",
    "mean_completeness",
    "excellent",
    "good",
    "done",
    "not_done",
    "not_rated",
    "quota_share",
    "quota_status",
    "collective_quota",
    "high_share",
    "high_and_weak",
    "flag",
)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def unit_flags(unit: UnitStats, lang: str) -> str:
    """The warnings of a unit, joined."""
    flags = []
    if unit.individuals.breached or unit.collectives.breached:
        flags.append(t("quota.flag_quota", lang))
    if unit.flag_high_weak:
        flags.append(t("quota.flag_high_weak", lang))
    return "; ".join(flags)


def unit_cells(unit: UnitStats, lang: str) -> list[object]:
    """The cells of one unit row, in UNIT_COLUMNS order."""
    ratings = unit.individuals.ratings
    from nlp.batch.stats import DONE, EXCELLENT, GOOD, NOT_DONE

    quota = unit.individuals
    return [
        kind_by_id(unit.kind).label(lang),
        unit.unit or "—",
        unit.reports,
        unit.errors,
        unit.bands["weak"],
        unit.bands["adequate"],
        unit.bands["strong"],
        _round(unit.weak_share, 3) if unit.reports else None,
        _round(unit.means.get("overall")),
        _round(unit.kind_mean),
        _round(unit.versus_kind),
        f"{unit.kind_rank}/{unit.kind_units}" if unit.kind_rank else None,
        _round(unit.means.get("specificity")),
        _round(unit.means.get("candor")),
        _round(unit.means.get("accountability")),
        _round(unit.means.get("completeness")),
        ratings[EXCELLENT],
        ratings[GOOD],
        ratings[DONE],
        ratings[NOT_DONE],
        ratings[None],
        _round(quota.share, 3),
        t("quota.breached" if quota.breached else "quota.ok", lang) if quota.share is not None else None,
        quota_text(unit.collectives, lang) if unit.collectives.rated else None,
        _round(unit.high_share, 3),
        unit.high_and_weak,
        unit_flags(unit, lang) or None,
    ]


KIND_COLUMNS = ("kind", "units", "reports", "weak", "adequate", "strong", "weak_share", "mean_overall", "quota_share")


# ---------------------------------------------------------------------------------------------- Excel


def write_workbook(
    out_dir: Path,
    ranked: list[dict],
    errors: list[dict],
    copies: list[dict],
    stats: DistrictStats,
    info: list[tuple[str, object]],
    lang: str,
    extra: dict[str, list[list]] | None = None,
) -> Path:
    """The workbook: ranked, by unit, by kind, copied groups, unreadable files, ``extra`` sheets (name → rows, the
    first the header: the cross-report checks' two sheets), about."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", start_color="DDEBF7")

    def sheet(name: str, keys: list[str], rows: Iterable[list[object]], *, count: int, links: int | None = None):
        shares = [i for i, key in enumerate(keys) if key in PERCENT_COLUMNS]
        ws = workbook.create_sheet(t(f"sheets.{name}", lang))
        for index, key in enumerate(keys, 1):
            ws.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 14)
        ws.freeze_panes = "C2" if name == "ranked" else "A2"
        last = get_column_letter(len(keys))
        ws.auto_filter.ref = f"A1:{last}{count + 1}"
        cells = []
        for key in keys:
            c = WriteOnlyCell(ws, value=header(key, lang))
            c.font, c.fill = bold, head_fill
            c.alignment = Alignment(wrap_text=True, vertical="top")
            cells.append(c)
        ws.append(cells)
        for values in rows:
            for i in shares:
                if isinstance(values[i], float):
                    share = WriteOnlyCell(ws, value=values[i])
                    share.number_format = "0.0%"
                    values[i] = share
            if links is not None and values[links]:
                link = WriteOnlyCell(ws, value=t("open_page", lang))
                link.hyperlink = str(values[links])
                link.style = "Hyperlink"
                values = [*values[:links], link, *values[links + 1 :]]
            ws.append(values)
        return ws, last

    keys = [key for key, _ in RANKED_COLUMNS]
    ws, last = sheet(
        "ranked",
        keys,
        (ranked_cells(row, lang) for row in ranked),
        count=len(ranked),
        links=keys.index("html"),
    )
    band_col = get_column_letter(keys.index("band") + 1)
    if ranked:
        for band in BANDS:
            ws.conditional_formatting.add(
                f"A2:{last}{len(ranked) + 1}",
                FormulaRule(
                    formula=[f'${band_col}2="{label("bands", band, lang)}"'],
                    fill=PatternFill("solid", start_color=BAND_FILLS[band], end_color=BAND_FILLS[band]),
                ),
            )

    ws, last = sheet("units", list(UNIT_COLUMNS), (unit_cells(u, lang) for u in stats.units), count=len(stats.units))
    flag_col = get_column_letter(UNIT_COLUMNS.index("flag") + 1)
    if stats.units:
        ws.conditional_formatting.add(
            f"A2:{last}{len(stats.units) + 1}",
            FormulaRule(
                formula=[f"LEN(${flag_col}2)>0"],
                fill=PatternFill("solid", start_color=BAND_FILLS["weak"], end_color=BAND_FILLS["weak"]),
            ),
        )

    def kind_row(kind) -> list[object]:
        return [
            kind_by_id(kind.kind).label(lang),
            kind.units,
            kind.reports,
            kind.bands["weak"],
            kind.bands["adequate"],
            kind.bands["strong"],
            _round(kind.bands["weak"] / kind.reports, 3) if kind.reports else None,
            _round(kind.mean_overall),
            quota_text(kind.individuals, lang),
        ]

    sheet("kinds", list(KIND_COLUMNS), (kind_row(k) for k in stats.kinds), count=len(stats.kinds))
    sheet(
        "copies",
        list(COPY_COLUMNS),
        ([c.get(k) for k in COPY_COLUMNS] for c in copies),
        count=len(copies),
    )
    sheet("errors", list(ERROR_COLUMNS), (error_cells(e, lang) for e in errors), count=len(errors))
    for name, rows in (extra or {}).items():
        ws = workbook.create_sheet(name)
        for index in range(1, len(rows[0]) + 1):
            ws.column_dimensions[get_column_letter(index)].width = 40 if index in {2, 4, 9} else 18
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
        heads = []
        for value in rows[0]:
            c = WriteOnlyCell(ws, value=value)
            c.font, c.fill = bold, head_fill
            c.alignment = Alignment(wrap_text=True, vertical="top")
            heads.append(c)
        ws.append(heads)
        for values in rows[1:]:
            ws.append(values)
    ws = workbook.create_sheet(t("sheets.info", lang))
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 90
    title = WriteOnlyCell(ws, value=t("info.title", lang))
    title.font = Font(bold=True, size=14)
    ws.append([title])
    for key, value in info:
        ws.append([key, value])
    path = out_dir / WORKBOOK
    workbook.save(path)
    return path


def info_rows(report, stats: DistrictStats, inputs: list[str], lang: str) -> list[tuple[str, object]]:
    """The "about" sheet: what was read, what came out, and the rules used."""
    from nlp import __version__

    settings = rules()["copies"]
    return [
        (t("info.generated", lang), datetime.datetime.now().strftime("%d/%m/%Y %H:%M")),
        (t("info.inputs", lang), "; ".join(inputs)),
        (t("info.files", lang), report.files),
        (t("info.results", lang), report.results),
        (t("info.analysed", lang), report.analysed),
        (t("info.reused", lang), report.reused),
        (t("info.errors", lang), report.errors),
        (t("info.skipped", lang), report.skipped),
        (t("info.copy_groups", lang), report.groups),
        (t("info.individual_quota", lang), quota_text(stats.individuals, lang)),
        (t("info.collective_quota", lang), quota_text(stats.collectives, lang)),
        (t("info.quota_rule", lang), t("quota.rule", lang)),
        (t("info.ranking", lang), ""),
        (t("info.copy_threshold", lang), settings["threshold"]),
        (t("info.boilerplate", lang), round(report.boilerplate_df, 1)),
        (t("info.version", lang), f"kiemdiem {__version__}; {report.config}"),
        (t("info.config_hash", lang), report.config_hash),
        (t("info.config_file", lang), report.config_file or t("info.config_default", lang)),
        (t("info.feedback", lang), feedback_text(report, lang)),
    ]


def feedback_text(report, lang: str) -> str:
    """Whether reviewers' decisions were applied, and to how many reports."""
    if not report.feedback:
        return t("info.feedback_off", lang)
    return t("info.feedback_on", lang, reports=report.reviewed, dismissed=report.dismissed)
