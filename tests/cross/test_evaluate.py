"""The evaluation reads a linked set's labels and scores the checks against them (here on the small tree, labelled
in the format of corpus/linked/README.md)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from nlp.cross import AnalysedReport, cross_check
from nlp.cross.evaluate import _table, evaluate, load_sets

QUY, THU = "Hoàng Văn Quý", "Phạm Thị Thu"
LABELS = {
    "id": "L90",
    "split": "dev",
    "unit": {"name": "Chi bộ thôn Đồng Lạc"},
    "reports": [
        {"file": "2025/tap-the.txt", "year": 2025, "role": "collective"},
        {
            "file": "2025/hoang-van-quy.txt",
            "year": 2025,
            "role": "leader",
            "person": QUY,
            "party_post": "Bí thư chi bộ",
            "gov_post": "Trưởng ban công tác Mặt trận thôn",
            "head": True,
        },
        {
            "file": "2025/pham-thi-thu.txt",
            "year": 2025,
            "role": "leader",
            "person": THU,
            "party_post": "Phó Bí thư chi bộ",
            "gov_post": "Trưởng thôn",
            "head": False,
        },
        {
            "file": "2025/dinh-van-loc.txt",
            "year": 2025,
            "role": "member_outside_system",
            "person": "Đinh Văn Lộc",
            "party_post": None,
            "gov_post": None,
            "head": False,
        },
        {
            "file": "2024/hoang-van-quy.txt",
            "year": 2024,
            "role": "leader",
            "person": QUY,
            "party_post": "Bí thư chi bộ",
            "gov_post": None,
            "head": True,
        },
        {
            "file": "2024/le-van-tuan.txt",
            "year": 2024,
            "role": "member",
            "person": "Lê Văn Tuấn",
            "party_post": None,
            "gov_post": None,
            "head": False,
        },
    ],
    "collective_shortcomings": [
        {
            "id": "c1",
            "quote": "Thu quỹ Quốc phòng - an ninh năm 2025 mới đạt 68% kế hoạch, còn 41 hộ chưa nộp",
            "responsible": [QUY, THU],
            "verdicts": {QUY: {"verdict": "owned"}, THU: {"verdict": "denied"}},
        },
        {
            "id": "c2",
            "quote": "Công tác phát triển đảng viên không đạt chỉ tiêu nghị quyết",
            "responsible": [QUY, THU],
            "verdicts": {QUY: {"verdict": "diffused"}, THU: {"verdict": "denied"}},
        },
        {
            "id": "c3",
            "quote": "Tuyến đường bê tông nội đồng xóm Bến dài 1,2 km khởi công chậm 4 tháng so với kế hoạch",
            "responsible": [QUY, THU],
            "verdicts": {QUY: {"verdict": "diffused"}, THU: {"verdict": "denied"}},
        },
    ],
    "previous_shortcomings": [
        {
            "id": "p1",
            "person": QUY,
            "quote": "Chi bộ chỉ tổ chức 2/4 kỳ sinh hoạt chuyên đề theo quy định",
            "verdict": "reported",
            "outcome": "fixed",
        },
        {"id": "p2", "person": QUY, "quote": "Biên bản sinh hoạt chi bộ ghi còn sơ sài", "verdict": "repeated"},
    ],
    "unlinked": [{"file": "2024/le-van-tuan.txt", "reason": "person found in one year only"}],
}


@pytest.fixture(scope="module")
def linked(tree_reports, matcher, tmp_path_factory):
    root = tmp_path_factory.mktemp("linked")
    (root / "L90").mkdir()
    (root / "L90" / "set.yaml").write_text(yaml.safe_dump(LABELS, allow_unicode=True), encoding="utf-8")
    reports = [
        AnalysedReport("L90/" + r.path.removeprefix("dong-lac/"), r.result)
        for r in tree_reports
        if r.path.startswith("dong-lac/")
    ]
    return root, cross_check(reports, matcher=matcher)


def test_figures_against_right_labels(linked):
    root, checked = linked
    sets = load_sets("dev", root)
    assert [folder.name for folder, _ in sets] == ["L90"]
    figures, errors = evaluate(sets, checked)
    assert figures["links"]["persons"]["recall"] == figures["links"]["unlinked"]["precision"] == 1.0
    assert figures["collective"]["accuracy"] == figures["previous"]["accuracy"] == 1.0
    assert figures["collective"]["rules"]["cross.contradicts_collective"]["n"] == 3
    assert figures["goal_flags"] == {
        "owned_but_flagged": 0,
        "member_without_post_flagged": 0,
        "flags_on_unlabelled_pairs": 0,
    }
    assert [e for e in errors if e["check"] in {"collective", "previous"}] == []
    assert "verdict accuracy 1.000" in _table(figures, "dev")


def test_wrong_labels_are_counted(linked):
    root, checked = linked
    sets = load_sets("dev", root)
    folder, data = sets[0]
    wrong = copy.deepcopy(data)
    wrong["collective_shortcomings"][0]["verdicts"][QUY] = {"verdict": "absent"}
    wrong["previous_shortcomings"][1]["verdict"] = "stock_line"
    figures, errors = evaluate([(folder, wrong)], checked)
    assert figures["collective"]["accuracy"] == pytest.approx(5 / 6, abs=0.001)
    assert figures["collective"]["verdicts"]["absent"]["accuracy"] == 0.0
    assert figures["previous"]["rules"]["cross.repeated_from_last_year"]["precision"] == 0.0
    assert {(e["check"], e.get("item")) for e in errors if "item" in e} == {("collective", "c1"), ("previous", "p2")}
    assert load_sets("test", root) == []


def test_each_writer_checked_alone_against_the_labels(linked, tree_reports, matcher):
    """``--pairs``: every labelled writer's report checked alone against the collective report and the writer's report
    of last year, as one reviewer does; the figures of the same labels, without link figures."""
    from nlp.cross.evaluate import evaluate_pairs
    from nlp.cross.evaluate_pairs import pair_checks

    root, _ = linked
    sets = load_sets("dev", root)
    reports = [
        AnalysedReport("L90/" + r.path.removeprefix("dong-lac/"), r.result)
        for r in tree_reports
        if r.path.startswith("dong-lac/")
    ]
    checked = pair_checks(sets, reports, matcher)
    assert {r.file for r in checked.collective_rows} <= {"L90/2025/hoang-van-quy.txt", "L90/2025/pham-thi-thu.txt"}
    figures, _ = evaluate_pairs(sets, checked)
    assert "links" not in figures and figures["mode"] == "pairs"
    assert figures["collective"]["n"] == 6 and figures["previous"]["n"] >= 1
    assert figures["goal_flags"]["member_without_post_flagged"] == 0
    assert "each writer checked alone" in _table(figures, "dev")


@pytest.mark.parametrize("layout", ["one_line", "wrap70"])
def test_the_checks_read_the_set_re_laid_as_real_reports_arrive(tmp_path, matcher, layout):
    """``--layout``: every report re-laid before it is analysed (pasted as one paragraph; wrapped at 70 characters
    with a page number every 45 lines, as a PDF's text comes); the same labels hold, and the checks find the same
    verdicts: the unit read from the wrapped header, the parts' headings not glued to their first item, the page
    numbers inside a sentence not read as its figures."""
    from nlp.cross.evaluate import _analyser_key, analyse_sets
    from nlp.relayout import relayout

    tree = Path(__file__).resolve().parent / "data" / "tree" / "dong-lac"
    (tmp_path / "L90").mkdir()
    (tmp_path / "L90" / "set.yaml").write_text(yaml.safe_dump(LABELS, allow_unicode=True), encoding="utf-8")
    for path in tree.rglob("*.txt"):
        target = tmp_path / "L90" / path.relative_to(tree)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    sets = load_sets("dev", tmp_path)
    reports = analyse_sets(sets, tmp_path / "cache", layout=layout)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [_analyser_key()]  # a changed analysis: another folder
    assert [r.result for r in analyse_sets(sets, tmp_path / "cache", layout=layout)] == [r.result for r in reports]
    first = (tmp_path / "L90" / "2025" / "tap-the.txt").read_text(encoding="utf-8")
    assert reports[0].result.text.count("\n") != first.count("\n")  # the text analysed is the re-laid one
    assert relayout(first, layout) != first
    figures, errors = evaluate(sets, cross_check(reports, matcher=matcher))
    assert figures["links"]["persons"]["recall"] == figures["links"]["unlinked"]["precision"] == 1.0
    assert figures["collective"]["accuracy"] == figures["previous"]["accuracy"] == 1.0, errors


def test_the_analysis_cache_is_keyed_by_what_the_analysis_reads():
    """``--cache`` keeps analyses under a hash of the files a plain analysis reads: the pipeline, its data and models,
    not the checks' own code, rules and stance model (a change to them does not analyse every report again)."""
    from nlp.cross.evaluate import analyser_files

    root = Path(__file__).resolve().parents[2]
    names = {p.relative_to(root).as_posix() for p in analyser_files()}
    assert {"nlp/pipeline.py", "nlp/data/positions.yaml", "nlp/form.py"} <= names
    assert not any(n.startswith(("nlp/cross/", "models/cross-")) for n in names)
    assert "nlp/data/cross.yaml" not in names and "nlp/feedback/cross.py" not in names
    assert any(n.startswith("models/transformer-v1/") for n in names)
