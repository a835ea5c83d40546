"""The batch worker hands the analysis's own units to the cross-checks' input preparation (issue 13): their lexicon
hits and anchors are taken where a passage is one of them, and the prepared inputs are the same bytes as when every
passage is searched again (joined sentences, "chữa" masked, a configuration's own lexicons included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.batch.cross_inputs import prepared
from nlp.batch.worker import Task, _analyse
from nlp.config import load_config
from nlp.cross import passages as passages_module
from nlp.cross.passages import passages
from nlp.pipeline import analyze_bytes_document, analyze_document

TREE = Path(__file__).resolve().parents[1] / "cross" / "data" / "tree"
REPORTS = sorted(TREE.rglob("*.txt"))

# a sentence continuing a heading on its line (joined: no unit of its own), a run-on colon, "chữa" (masked)
JOINED = """BẢN KIỂM ĐIỂM CÁ NHÂN
Họ và tên: Trần Văn Bình. Chức vụ: Phó Bí thư chi bộ, phụ trách công tác vệ sinh môi trường
I. ƯU ĐIỂM
1. Thu gom rác thôn Đồng Lạc: tổ thu gom đã thu 120 tấn rác, đúng hẹn với Ủy ban nhân dân xã Hòa Bình.
II. HẠN CHẾ, KHUYẾT ĐIỂM
Việc sửa chữa đường bê tông xóm Mới còn chậm 3 tháng so với Nghị quyết số 12-NQ/ĐU, bản thân tôi chịu trách nhiệm.
Nguyên nhân chủ quan: tôi chưa đôn đốc tổ thợ của anh Nguyễn Văn Hùng thường xuyên.
"""


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.relative_to(TREE).as_posix())
def test_prepared_inputs_are_the_same_with_the_analysis_units(path: Path) -> None:
    result, doc = analyze_bytes_document(path.read_bytes(), path.name)
    assert len(doc.units) == len(result.sentences)
    assert prepared(result, doc.units)[0] == prepared(result)[0]
    assert passages("x.txt", result, doc.units) == passages("x.txt", result)


def test_joined_and_masked_sentences_are_searched_again() -> None:
    result, doc = analyze_document(JOINED)
    found = passages("", result, doc.units)
    assert found == passages("", result)
    assert any("chxa" in p.folded for p in found)  # "chữa" masked: the unit's own folded text differs
    assert prepared(result, doc.units)[0] == prepared(result)[0]


def test_the_units_spare_the_search(monkeypatch) -> None:
    result, doc = analyze_bytes_document(REPORTS[0].read_bytes(), REPORTS[0].name)
    calls = []
    original = passages_module.find_anchors

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(passages_module, "find_anchors", counted)
    again = passages("", result)
    searched = len(calls)
    calls.clear()
    taken = passages("", result, doc.units)
    assert taken == again
    assert searched > 0
    assert len(calls) < searched


def test_units_of_another_analysis_are_not_taken() -> None:
    first, doc = analyze_bytes_document(REPORTS[0].read_bytes(), REPORTS[0].name)
    _, other_doc = analyze_bytes_document(REPORTS[1].read_bytes(), REPORTS[1].name)
    assert passages("", first, other_doc.units) == passages("", first)
    assert passages("", first, doc.units[:-1]) == passages("", first)


def test_a_configuration_with_its_own_lexicons_prepares_from_the_shipped_ones(tmp_path) -> None:
    """The passages read the shipped lexicons: a worker whose analysis read a configuration's own lists does not hand
    its units over (their hits are not the passages')."""
    config_path = tmp_path / ".kiemdiem.yaml"
    config_path.write_text("lexicons:\n  first_person:\n    add: [biên bản]\n", encoding="utf-8")
    config = load_config(config_path)
    path = TREE / "dong-lac" / "2025" / "pham-thi-thu.txt"
    data = path.read_bytes()
    result, doc = analyze_bytes_document(data, path.name, config=config)
    assert passages("", result, doc.units) != passages("", result)  # the configured hits differ from the shipped
    outcome = _analyse(Task("0" * 64, data, path.name, config=config, cross=True))
    assert outcome.ok
    assert outcome.prepared == prepared(result)[0]
