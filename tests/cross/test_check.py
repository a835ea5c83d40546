"""The public entry point on the small linked tree: rows, findings with evidence offsets, their effect on the
result, the schema, and the workbook rows."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from nlp.cross import cross_check, sheet_rows

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "result.schema.json").read_text(encoding="utf-8"))
QUY, THU, LOC = (f"dong-lac/2025/{n}.txt" for n in ("hoang-van-quy", "pham-thi-thu", "dinh-van-loc"))
COLLECTIVE, QUY_2024 = "dong-lac/2025/tap-the.txt", "dong-lac/2024/hoang-van-quy.txt"


@pytest.fixture(scope="module")
def checked(tree_reports, matcher):
    return cross_check(tree_reports, matcher=matcher)


@pytest.fixture(scope="module")
def checked_en(tree_reports, matcher):
    return cross_check(tree_reports, lang="en", matcher=matcher)


def _verdicts(checked, file):
    return [(r.shortcoming.text[:20], r.verdict) for r in checked.collective_rows if r.file == file]


def test_collective_rows(checked):
    assert _verdicts(checked, QUY) == [
        ("Thu quỹ Quốc phòng -", "owned"),
        ("Công tác phát triển ", "diffused"),
        ("Tuyến đường bê tông ", "diffused"),
    ]
    assert {v for _, v in _verdicts(checked, THU)} == {"denied"}
    assert _verdicts(checked, LOC) == []  # a member without a post answers for nothing
    assert all("head" in r.why for r in checked.collective_rows if r.file == QUY)


def test_previous_rows(checked):
    rows = [(r.shortcoming.text[:20], r.verdict, r.outcome) for r in checked.previous_rows]
    assert rows == [("Chi bộ chỉ tổ chức 2", "reported", "fixed"), ("Biên bản sinh hoạt c", "repeated", None)]


def test_no_finding_on_an_owned_item_or_a_member(checked):
    assert LOC not in checked.findings
    quoted = [f.evidence.quote for f in checked.findings[QUY] if f.rule.startswith("cross.collective")]
    assert not any(q.startswith("Thu quỹ") for q in quoted)


def test_findings_quote_the_other_report_at_its_offsets(checked, tree_reports):
    texts = {r.path: r.result.text for r in tree_reports}
    rules = set()
    for file, findings in checked.findings.items():
        for finding in findings:
            rules.add(finding.rule)
            assert finding.category == "cross_report" and finding.message and finding.suggestion
            evidence = finding.evidence
            assert texts[evidence.file][evidence.start : evidence.end] == evidence.quote
            assert evidence.file in {COLLECTIVE, QUY_2024} and evidence.file != file
            assert 0 <= finding.start < finding.end <= len(texts[file])
    assert rules == {
        "cross.collective_fault_not_owned",
        "cross.contradicts_collective",
        "cross.repeated_from_last_year",
    }
    repeated = next(f for f in checked.findings[QUY] if f.rule == "cross.repeated_from_last_year")
    assert texts[QUY][repeated.start : repeated.end].startswith("Biên bản sinh hoạt chi bộ vẫn còn ghi sơ sài")


def test_effect_on_accountability(checked, tree_reports):
    before = {r.path: r.result for r in tree_reports}
    thu = checked.results[THU]
    assert thu.accountability.status == "missing"
    assert "nói ngược" in thu.accountability.explanation
    quy = checked.results[QUY]
    assert before[QUY].accountability.head_responsibility is not False
    assert quy.accountability.head_responsibility is False  # the head owns one shortcoming but not the others
    assert quy.accountability.status == "present"
    assert quy.scores.accountability < before[QUY].scores.accountability
    assert len(quy.findings) == len(before[QUY].findings) + len(checked.findings[QUY])


def test_results_validate_against_the_schema(checked):
    for result in checked.results.values():
        jsonschema.validate(json.loads(result.model_dump_json()), SCHEMA)


def test_english_messages(checked_en):
    finding = checked_en.findings[THU][0]
    assert finding.message.startswith("This report contradicts the collective report")
    assert "contradicts" in checked_en.results[THU].accountability.explanation


def test_sheet_rows(checked, checked_en):
    sheets = sheet_rows(checked)
    assert list(sheets) == ["Đối chiếu tập thể – cá nhân", "Đối chiếu năm trước"]
    collective, previous = sheets.values()
    assert collective[0][:2] == ["Đơn vị", "Hạn chế của tập thể"]
    assert len(collective) == 1 + len(checked.collective_rows) and len(previous) == 1 + len(checked.previous_rows)
    assert "Phủ nhận" in {row[7] for row in collective[1:]}
    assert list(sheet_rows(checked_en)) == ["Collective vs individual", "Against last year"]
    # a post's label covers every head of a residential unit it stands for (thôn, ấp, khu phố …)
    assert any("Trưởng thôn, ấp, khu phố" in str(row[4]) for row in collective[1:])


def test_linkage_is_serialisable(checked):
    data = json.loads(checked.linkage.model_dump_json())
    assert {u["reason"] for u in data["unlinked"]} == {"one_year_only", "no_collective"}


def test_seeded_embeddings_are_not_computed_again(tree_reports, matcher):
    """A batch can embed each report's candidate sentences beside its analysis and seed the matcher with them."""
    from nlp.cross import Matcher, texts_to_embed
    from nlp.cross.match import e5_embedder

    texts = sorted({t for r in tree_reports for t in texts_to_embed(r.result)})
    calls: list[int] = []
    e5 = e5_embedder()

    def embed(batch: list[str]):
        calls.append(len(batch))
        return e5(batch)

    seeded = Matcher(embed, "e5")
    seeded.seed(dict(zip(texts, embed(texts), strict=True)))
    first = len(calls)
    checked = cross_check(tree_reports, matcher=seeded)
    assert len(calls) == first  # everything the checks needed was seeded
    assert [r.verdict for r in checked.collective_rows] == [
        r.verdict for r in cross_check(tree_reports, matcher=Matcher(name="e5")).collective_rows
    ]
