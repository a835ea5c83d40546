"""How a batch groups its reports for the cross-report checks (issue 13): folders joined where the headers name the
same unit, but a chi bộ name that several đảng bộ use ("Chi bộ Văn phòng") joins only under the same đảng bộ."""

from __future__ import annotations

from nlp.batch.cross_reports import PreviousReport, _units


def _row(path: str, branch: str | None, unit: str | None = None) -> dict:
    return {"path": path, "branch": branch, "header_unit": unit}


def _groups(results: list[dict], previous: list[PreviousReport] | None = None) -> list[set[str]]:
    return [{row["path"] for row in rows} | {p.path for p in old} for rows, old in _units(results, previous or [])]


def test_folders_naming_one_chi_bo_are_checked_together() -> None:
    rows = [
        _row("a/bt.txt", "Chi bộ thôn Đồng Lạc", "Đảng bộ xã Hòa Bình"),
        _row("b/tt.txt", "CHI BỘ THÔN ĐỒNG LẠC", "Đảng bộ xã Hòa Bình"),
        _row("c/dv.txt", "Chi bộ thôn Đồng Lạc", None),  # the đảng bộ line left out: still that chi bộ
    ]
    assert _groups(rows) == [{"a/bt.txt", "b/tt.txt", "c/dv.txt"}]


def test_a_chi_bo_name_of_several_dang_bo_joins_only_under_the_same_dang_bo() -> None:
    rows = [
        _row("nuoc/vp/bt.txt", "Chi bộ Văn phòng", "Đảng bộ Công ty cổ phần Cấp nước Bình Nguyên"),
        _row("nuoc/vp2/pbt.txt", "Chi bộ Văn phòng", "Đảng bộ Công ty cổ phần Cấp nước Bình Nguyên"),
        _row("xe/vp/bt.txt", "Chi bộ Văn phòng", "Đảng bộ Công ty cổ phần Vận tải Phú Nham"),
        _row("khac/vp/dv.txt", "Chi bộ Văn phòng", None),  # which đảng bộ is not said: its folder alone
    ]
    groups = sorted(_groups(rows), key=min)
    assert groups == [{"khac/vp/dv.txt"}, {"nuoc/vp/bt.txt", "nuoc/vp2/pbt.txt"}, {"xe/vp/bt.txt"}]


def test_a_dang_bo_report_joins_by_the_dang_bo_and_last_year_by_its_folder() -> None:
    rows = [
        _row("dangbo/tap-the.txt", None, "Đảng bộ xã Phước Lộc"),
        _row("dangbo-uy-vien/bt.txt", None, "ĐẢNG BỘ XÃ PHƯỚC LỘC"),
        _row("truong/bt.txt", "Chi bộ Trường THPT Phước Lộc", "Đảng bộ xã Phước Lộc"),
    ]
    previous = [PreviousReport("nam-truoc/truong/2024/bt.txt", None, "x.json", "Chi bộ Trường THPT Phước Lộc")]
    groups = sorted(_groups(rows, previous), key=min)
    assert groups == [
        {"dangbo-uy-vien/bt.txt", "dangbo/tap-the.txt"},
        {"nam-truoc/truong/2024/bt.txt", "truong/bt.txt"},
    ]
