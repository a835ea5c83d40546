"""One batch over a generated district: rows, errors, ranking, copies, unit statistics and every output file."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from itertools import combinations, groupby

import pytest
from openpyxl import load_workbook

from nlp.batch.config import kind_by_id, t
from nlp.batch.outputs import ERRORS_CSV, RESULTS_JSONL, SUMMARY_HTML, TABLE_CSV, UNITS_CSV, WORKBOOK
from nlp.batch.stats import EXCELLENT, GOOD
from nlp.catalog import label


@pytest.fixture(scope="module")
def workbook(district):
    return load_workbook(district.out / WORKBOOK)


def _rows(ws) -> list[dict]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def _col(key: str) -> str:
    return t(f"columns.{key}")


@pytest.fixture(scope="module")
def ranked(workbook) -> list[dict]:
    return _rows(workbook[t("sheets.ranked")])


@pytest.fixture(scope="module")
def errors(workbook) -> list[dict]:
    return _rows(workbook[t("sheets.errors")])


def test_every_file_gives_exactly_one_row(district, ranked, errors) -> None:
    paths = [r[_col("path")] for r in ranked] + [e[_col("path")] for e in errors]
    assert len(paths) == len(set(paths)), "a file appears twice"
    assert set(paths) == set(district.manifest.files)
    assert district.report.files == len(paths)
    assert district.report.results == len(ranked)
    assert district.report.errors + district.report.skipped == len(errors)


def test_error_rows_have_the_expected_codes_and_reasons(district, errors) -> None:
    expected = {p: code for p, code in district.manifest.files.items() if code != "ok"}
    got = {e[_col("path")]: e for e in errors}
    assert set(got) == set(expected)
    for path, code in expected.items():
        row = got[path]
        assert row[_col("reason")], path
        if code == "skipped":
            assert row[_col("status")] == t("status.skipped"), path
        else:
            assert row[_col("code")] == code, path
            status = "unsupported" if code == "KD-E010" else "error"
            assert row[_col("status")] == t(f"status.{status}"), path


def test_hidden_system_and_archive_members_are_listed_not_read(errors) -> None:
    reasons = {e[_col("path")].rsplit("/", 1)[-1] or e[_col("path")]: e[_col("reason")] for e in errors}
    assert reasons["~$ban-nhap.docx"] == t("reasons.temporary")
    assert reasons[".DS_Store"] == t("reasons.system")
    assert reasons["Thumbs.db"] == t("reasons.system")
    assert reasons[".an.txt"] == t("reasons.hidden")
    assert reasons["tep-nen-long.zip"] == t("reasons.nested_archive")
    assert reasons[".git/"].startswith(t("reasons.system_dir", detail="1")[:20])


def test_zip_members_are_read_and_names_sanitised(ranked) -> None:
    paths = {r[_col("path")] for r in ranked}
    inside = [p for p in paths if "Chi bộ nộp bằng tệp nén.zip/" in p]
    assert len(inside) == 3
    assert all(".." not in p.split("/") for p in paths)
    assert any(p.endswith("tệp nén.zip/thoat-ra-ngoai.txt") for p in inside)


def test_ranking_is_weakest_first(ranked) -> None:
    order = {label("bands", b): i for i, b in enumerate(("weak", "adequate", "strong"))}
    keys = [(order[r[_col("band")]], r[_col("overall")]) for r in ranked]
    assert keys == sorted(keys)
    assert [r[_col("rank")] for r in ranked] == list(range(1, len(ranked) + 1))
    assert ranked[0][_col("band")] == label("bands", "weak")
    assert ranked[-1][_col("band")] == label("bands", "strong")


def test_generated_quality_shows_in_the_bands(district, ranked) -> None:
    aimed = district.manifest.qualities
    by_path = {r[_col("path")]: r[_col("overall")] for r in ranked}
    weak = [by_path[p] for p, q in aimed.items() if q == "weak" and p in by_path]
    strong = [by_path[p] for p, q in aimed.items() if q == "strong" and p in by_path]
    assert sum(weak) / len(weak) + 20 < sum(strong) / len(strong)


def test_ranked_rows_carry_scores_findings_and_a_working_link(district, ranked) -> None:
    weak = [r for r in ranked if r[_col("band")] == label("bands", "weak")]
    assert weak and all(r[_col("findings")] for r in weak)
    for row in ranked[:20]:
        assert 0 <= row[_col("overall")] <= 100
        assert row[_col("name")]
        assert row[_col("unit")]
    ws = load_workbook(district.out / WORKBOOK)[t("sheets.ranked")]
    column = [c.value for c in ws[1]].index(_col("html")) + 1
    for r in range(2, 12):
        link = ws.cell(row=r, column=column).hyperlink
        assert link is not None and (district.out / link.target).is_file()


def test_planted_copies_are_found_and_distinct_reports_not_paired(district, workbook) -> None:
    copies = _rows(workbook[t("sheets.copies")])
    groups: dict[str, set[str]] = {}
    for row in copies:
        groups.setdefault(row[_col("copy_group")], set()).add(row[_col("path")])
    planted = [set(g) for g in district.manifest.copies]
    for group in planted:
        assert any(group <= found for found in groups.values()), f"planted copies not grouped: {group}"
    planted_pairs = {frozenset(p) for g in planted for p in combinations(sorted(g), 2)}
    for found in groups.values():
        for pair in combinations(sorted(found), 2):
            # every reported pair is planted (or two copies of the same planted original)
            assert any(set(pair) <= g for g in planted), f"distinct reports paired: {pair}"
    assert planted_pairs
    for row in copies:
        assert 0.5 <= row[_col("copy_similarity")] <= 1.0
        assert row[_col("passages")], row[_col("path")]


def test_a_byte_identical_file_is_a_copy_with_similarity_one(district, workbook) -> None:
    copies = _rows(workbook[t("sheets.copies")])
    twin = next(r for r in copies if "/gui-lai-" in r[_col("path")])
    assert twin[_col("copy_similarity")] == 1.0
    assert twin[_col("passages")] == t("identical")


def test_no_diacritics_copy_is_found(district, workbook) -> None:
    first = district.manifest.copies[0]
    copies = {r[_col("path")]: r for r in _rows(workbook[t("sheets.copies")])}
    assert all(p in copies for p in first)
    assert len({copies[p][_col("copy_group")] for p in first}) == 1


def test_boilerplate_never_pairs_reports(district) -> None:
    stats = district.report.dedup
    assert stats.boilerplate_df >= 5
    assert stats.candidates < stats.reports  # near-linear: no all-pairs verification
    assert stats.pairs >= len(district.manifest.copies) - 1


def test_unit_statistics_compare_like_with_like(district, ranked, workbook) -> None:
    units = _rows(workbook[t("sheets.units")])
    by_unit = {u[_col("unit")]: u for u in units}
    counted = Counter(r[_col("unit")] for r in ranked)
    for unit, n in counted.items():
        assert by_unit[unit][_col("reports")] == n
    for unit, kind in district.manifest.units.items():
        assert by_unit[unit][_col("kind")] == kind_by_id(kind).label(), unit
    blocks = [kind for kind, _ in groupby(u[_col("kind")] for u in units)]
    assert len(blocks) == len(set(blocks))  # the units of a kind are side by side
    for u in units:
        if u[_col("kind_rank")]:
            rank, of = map(int, u[_col("kind_rank")].split("/"))
            assert 1 <= rank <= of
            assert abs(u[_col("mean_overall")] - u[_col("kind_mean")] - u[_col("versus_kind")]) < 0.15


def test_quota_and_high_rating_flags(district, workbook) -> None:
    units = _rows(workbook[t("sheets.units")])
    ratings = district.manifest.ratings
    for u in units:
        paths = [
            p for p in ratings if p.rsplit("/", 1)[0] == u[_col("unit")] and not p.rsplit("/", 1)[1].startswith("01-")
        ]
        excellent = sum(ratings[p].lower() == EXCELLENT for p in paths)
        good = sum(ratings[p].lower() == GOOD for p in paths)
        if not paths or u[_col("unit")].endswith("tệp nén"):
            continue
        assert u[_col("excellent")] == excellent, u[_col("unit")]
        assert u[_col("good")] == good, u[_col("unit")]
        share = excellent / (excellent + good) if excellent + good else None
        if share is None:
            assert u[_col("quota_share")] is None
        else:
            assert abs(u[_col("quota_share")] - share) < 1e-3
            assert (u[_col("quota_status")] == t("quota.breached")) == (share > 0.2)
    flagged = [u for u in units if u[_col("flag")] and t("quota.flag_high_weak") in u[_col("flag")]]
    assert flagged, "the generator inflates the ratings of every third unit"
    for u in flagged:
        assert u[_col("weak_share")] >= 0.5 and u[_col("high_share")] >= 0.8


def test_workbook_layout(workbook) -> None:
    assert workbook.sheetnames[:5] == [t(f"sheets.{s}") for s in ("ranked", "units", "kinds", "copies", "errors")]
    ws = workbook[t("sheets.ranked")]
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref.startswith("A1:")
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    formulas = " ".join(f for r in rules for f in r.formula)
    for band in ("weak", "adequate", "strong"):
        assert f'"{label("bands", band)}"' in formulas


def test_csv_is_the_ranked_table_with_a_bom(district, ranked) -> None:
    raw = (district.out / TABLE_CSV).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == _col("rank") and len(rows) == len(ranked) + 1
    assert [r[rows[0].index(_col("path"))] for r in rows[1:]] == [r[_col("path")] for r in ranked]
    assert (district.out / ERRORS_CSV).read_bytes().startswith(b"\xef\xbb\xbf")
    assert (district.out / UNITS_CSV).is_file()


def test_jsonl_holds_every_result(district, ranked) -> None:
    lines = (district.out / RESULTS_JSONL).read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(ranked)
    first = json.loads(lines[0])
    assert first["rank"] == 1 and first["path"] == ranked[0][_col("path")]
    assert first["result"]["schema_version"] == 1 and first["result"]["band"] == "weak"


def test_per_report_files(district) -> None:
    lines = (district.out / RESULTS_JSONL).read_text(encoding="utf-8").splitlines()
    contents = {json.loads(line)["sha256"] for line in lines}
    pages = {p.stem for p in (district.out / "bao-cao").glob("*.html")}
    documents = {p.stem for p in (district.out / "bao-cao").glob("*.json")}
    assert pages == documents == {sha[:16] for sha in contents}
    assert not list((district.out / "bao-cao").glob("*.tmp"))


def test_html_summary_is_standalone(district) -> None:
    page = (district.out / SUMMARY_HTML).read_text(encoding="utf-8")
    assert "<svg" in page and page.count("<svg") >= 7
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']https?://""", page)
    assert t("summary.phrases") in page and t("summary.bands_by_unit") in page
    assert "bao-cao/" in page


def test_report_text_is_not_in_the_store(district) -> None:
    store = (district.out / "kiemdiem-batch.sqlite").read_bytes()
    assert "Nguyên nhân chủ quan".encode() not in store


def test_every_format_and_legacy_encoding_is_read(district) -> None:
    """.docx, .pdf, TCVN3 (.VnTime) and UTF-16 files give results with the writer's name read correctly."""
    results = {}
    for line in (district.out / RESULTS_JSONL).read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        results[entry["path"]] = entry["result"]
    encodings = district.manifest.encodings
    assert {"docx", "tcvn3", "utf-16", "utf-8"} <= set(encodings.values())
    for path, encoding in encodings.items():
        result = results[path]
        assert result["header"]["name"] == district.manifest.names[path], (path, encoding)
        if encoding == "tcvn3":
            assert result["source"]["legacy_font"] == "tcvn3", path
        if encoding in {"docx", "pdf"}:
            assert result["source"]["format"] == encoding, path
