"""One reviewer, two or three files: ``kiemdiem analyze X --collective C --previous P`` links them by the
caller's word (any folders, any names) and gives the same verdicts as the batch of the unit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.cli import app
from nlp.cross import AnalysedReport
from nlp.cross.pair import check_pair

TREE = Path(__file__).resolve().parent / "data" / "tree" / "dong-lac"
runner = CliRunner()


@pytest.fixture
def scattered(tmp_path):
    """The head's report, the collective report and his report of last year, in unrelated folders and names."""
    places = {
        "bao-cao.txt": TREE / "2025" / "hoang-van-quy.txt",
        "gui-huyen/tap-the-chi-bo.txt": TREE / "2025" / "tap-the.txt",
        "luu-tru/cu.txt": TREE / "2024" / "hoang-van-quy.txt",
    }
    for name, source in places.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, tmp_path / name)
    return tmp_path


def test_cli_pair_finds_the_units_verdicts(scattered, monkeypatch):
    monkeypatch.chdir(scattered)
    args = ["analyze", "bao-cao.txt", "--format", "json", "--collective", "gui-huyen/tap-the-chi-bo.txt"]
    result = runner.invoke(app, [*args, "--previous", "luu-tru/cu.txt"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    cross = [f for f in found["findings"] if f["category"] == "cross_report"]
    assert sorted((f["rule"], f["evidence"]["verdict"]) for f in cross) == [
        ("cross.collective_fault_not_owned", "diffused"),
        ("cross.collective_fault_not_owned", "diffused"),
        ("cross.repeated_from_last_year", "repeated"),
    ]
    texts = {
        name: (scattered / name).read_text(encoding="utf-8")
        for name in ("gui-huyen/tap-the-chi-bo.txt", "luu-tru/cu.txt")
    }
    for finding in cross:
        evidence = finding["evidence"]
        assert evidence["file"] in texts
        assert evidence["quote"] in texts[evidence["file"]]
    only_collective = json.loads(runner.invoke(app, args, catch_exceptions=False).stdout)
    assert {f["rule"] for f in only_collective["findings"] if f["category"] == "cross_report"} == {
        "cross.collective_fault_not_owned"
    }


def test_pair_refusals(scattered):
    from nlp import analyze

    report = AnalysedReport("a.txt", analyze((scattered / "bao-cao.txt").read_text(encoding="utf-8")))
    with pytest.raises(ValueError):
        check_pair(report)
    with pytest.raises(ValueError):
        check_pair(report, previous=report)
    stdin = runner.invoke(app, ["analyze", "-", "--collective", str(scattered / "bao-cao.txt")], input=b"x")
    assert stdin.exit_code == 2
    same = runner.invoke(app, ["analyze", str(scattered / "bao-cao.txt"), "--previous", str(scattered / "bao-cao.txt")])
    assert same.exit_code == 2


def test_a_chi_bo_secretary_checked_against_the_dang_bo_report_is_not_its_head():
    from nlp import analyze

    collective = (
        "ĐẢNG BỘ SỞ XÂY DỰNG TỈNH AN LẠC\n\nBÁO CÁO KIỂM ĐIỂM TẬP THỂ BAN CHẤP HÀNH ĐẢNG BỘ NĂM 2025\n\n"
        "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\nHoàn thành 12/12 chỉ tiêu.\n\nII. HẠN CHẾ, KHUYẾT ĐIỂM\n"
        "1. Còn 46 hồ sơ cấp phép xây dựng quá hạn giải quyết.\n"
    )
    secretary = (
        "CHI BỘ PHÒNG QUY HOẠCH\n\nBẢN KIỂM ĐIỂM CÁ NHÂN NĂM 2025\n\nHọ và tên: Lê Văn An\n"
        "Chức vụ Đảng: Bí thư Chi bộ Phòng Quy hoạch\n\nI. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\n"
        "Tôi hoàn thành 8 đồ án quy hoạch.\n\nII. HẠN CHẾ, KHUYẾT ĐIỂM\nTôi còn chậm 2 báo cáo quý.\n"
    )
    checked = check_pair(
        AnalysedReport("an.txt", analyze(secretary)), collective=AnalysedReport("tap-the.txt", analyze(collective))
    ).checked
    writer = next(i for i in checked.linkage.identities if i.file == "an.txt")
    assert not writer.head and "bi_thu_chi_bo" in writer.posts
    assert not [r for r in checked.collective_rows if r.file == "an.txt"]  # no post of his covers the item


def test_the_collective_s_own_chi_bo_written_otherwise_is_no_body_above_the_writer():
    """A head whose header writes the chi bộ with abbreviations ("PCCC và CNCH") under another body, or writes his
    own unit twice (once as a "Chi bộ:" field), is still the head of the collective report's chi bộ."""
    from nlp.cross.pair import _inside
    from nlp.cross.records import Identity

    collective = Identity(
        file="c.txt",
        role="collective",
        form="01",
        unit_key="doi canh sat phong chay chua chay va cuu nan cuu ho khu vuc van tri",
        parent_key="phong canh sat phong chay chua chay va cnch cong an tinh hoa linh",
    )

    def head(unit: str, parent: str) -> Identity:
        return Identity(
            file="h.txt",
            role="leader",
            form="2A",
            name="An",
            key="an",
            posts=["bi_thu"],
            head=True,
            unit_key=unit,
            parent_key=parent,
        )

    written_short = head("doi canh sat phong chay chua chay va cnch khu vuc van tri", "phong canh sat pccc va cnch")
    assert _inside(written_short, collective).head
    written_twice = head("doi canh sat phong chay chua chay va cuu nan cuu ho khu vuc van tri", "doi canh sat pccc")
    assert _inside(written_twice, collective).head
    in_a_chi_bo = head("to chua chay", "doi canh sat phong chay chua chay va cuu nan cuu ho khu vuc van tri")
    assert not _inside(in_a_chi_bo, collective).head  # a chi bộ under the collective's unit: not its head


def test_a_chi_bo_secretary_under_an_older_name_of_the_dang_bo_is_not_its_head():
    from nlp.cross.pair import _inside
    from nlp.cross.records import Identity

    dang_bo = Identity(
        file="c.txt",
        role="collective",
        form="01",
        unit_name="ĐẢNG ỦY TRƯỜNG CAO ĐẲNG KINH TẾ – KỸ THUẬT TÂY HÒA",
        unit_key="truong cao dang kinh te ki thuat tay hoa",
    )
    secretary = Identity(
        file="h.txt",
        role="leader",
        form="2A",
        name="Nhung",
        key="nhung",
        posts=["bi_thu", "truong_phong"],
        head=True,
        unit_key="khoa kinh te du lich",
        parent_key="truong cao dang nghe tay hoa",  # the school's name before the merger
    )
    assert not _inside(secretary, dang_bo).head
