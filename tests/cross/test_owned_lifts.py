"""A writer whose report owns, concretely, every collective shortcoming he or she answers for has stated a personal
responsibility for the collective's shortcomings, wherever the report says it (issue 13, session 13): section V
"Đã nêu ở mục II" over a section II that owns the fault. Read alone the report states none; against its
collective report, the status is ``present`` and the report's own finding that says otherwise goes, in the pair
check and in a batch alike. The texts in ``data/owned`` were written for this test."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from nlp import analyze
from nlp.batch import BatchOptions, run_batch
from nlp.cross import AnalysedReport
from nlp.cross.findings import apply_findings, collective_finding
from nlp.cross.pair import check_pair
from nlp.cross.records import CollectiveRow, Identity, Quote

UNIT = Path(__file__).resolve().parent / "data" / "owned" / "2025"
WRITER, COLLECTIVE = "lo-thi-mai.txt", "tap-the.txt"
OWNING = "Tôi phụ trách thư viện nhưng để 120 đầu sách mới mua từ tháng 3 chưa vào sổ"


def _report(name: str) -> AnalysedReport:
    return AnalysedReport(path=name, result=analyze((UNIT / name).read_text(encoding="utf-8")))


def _rules(result) -> set[str]:
    return {f.rule for f in result.findings}


def test_read_alone_the_report_states_no_personal_responsibility():
    alone = _report(WRITER).result
    assert alone.accountability.status == "missing"
    assert "accountability.missing_personal" in _rules(alone)


def test_against_its_collective_report_the_owned_item_is_the_personal_responsibility():
    writer = _report(WRITER)
    checked = check_pair(writer, collective=_report(COLLECTIVE))
    mine = [r for r in checked.checked.collective_rows if r.file == WRITER]
    assert [r.verdict for r in mine] == ["owned"]
    result = checked.result
    assert result.accountability.status == "present"
    assert "accountability.missing_personal" not in _rules(result)
    assert not [f for f in result.findings if f.category == "cross_report"]
    evidence = [result.text[s.start : s.end] for s in result.accountability.evidence]
    assert any(text.startswith(OWNING) for text in evidence)
    assert "từng hạn chế của tập thể" in result.accountability.explanation
    assert "không câu nào" not in result.accountability.explanation  # the reading alone is replaced, not contradicted
    assert result.scores.accountability > writer.result.scores.accountability


def _row(verdict: str, rule: str | None, sentence: Quote | None) -> CollectiveRow:
    item = Quote(file=COLLECTIVE, start=0, end=30, text="120 đầu sách mới chưa được vào sổ")
    return CollectiveRow(
        unit="Chi bộ",
        shortcoming=item,
        person="Lò Thị Mai",
        file=WRITER,
        verdict=verdict,
        rule=rule,
        why=["head"],
        sentence=sentence,
    )


def test_a_head_owning_every_item_states_the_heads_responsibility_and_one_item_left_out_lifts_nothing():
    result = _report(WRITER).result
    start = result.text.index(OWNING)
    owning = Quote(file=WRITER, start=start, end=start + len(OWNING), text=OWNING)
    head = Identity(file=WRITER, role="leader", form="2A", name="Lò Thị Mai", head=True)
    lifted = apply_findings(result, [], head, [_row("owned", None, owning)])
    assert lifted.accountability.head_responsibility is True
    assert not _rules(lifted) & {"accountability.missing_head", "accountability.missing_personal"}
    absent = _row("absent", "cross.collective_fault_not_owned", None)
    found = [collective_finding(absent, result, 2025, "vi")]
    partly = apply_findings(result, found, head, [_row("owned", None, owning), absent])
    assert partly.accountability.status == "missing" and partly.accountability.head_responsibility is False
    assert "accountability.missing_personal" in _rules(partly)
    assert apply_findings(result, [], head, []) is result  # no rows, no findings: the result as it was


def test_a_batch_gives_the_writer_what_the_pair_check_gives(tmp_path):
    shutil.copytree(UNIT.parent, tmp_path / "in" / "dong-thanh")
    report = run_batch([tmp_path / "in"], tmp_path / "out", BatchOptions(jobs=1, cross=True))
    assert report.cross is not None and report.cross.findings == 0 and report.cross.reports == 0
    results = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "out" / "bao-cao").glob("*.json")]
    writer = next(r for r in results if r["header"]["name"] == "Lò Thị Mai")
    assert writer["accountability"]["status"] == "present"
    assert "accountability.missing_personal" not in {f["rule"] for f in writer["findings"]}
    plain = [p for p in (tmp_path / "out" / "bao-cao").glob("*.json.plain")]
    assert len(plain) == 1  # the analysis as the worker wrote it, kept beside the rewritten one
    assert json.loads(plain[0].read_text(encoding="utf-8"))["accountability"]["status"] == "missing"
