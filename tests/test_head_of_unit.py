"""Who must also state the head's responsibility (người đứng đầu, DOMAIN.md P8): a leader whose posts make him or
her the head of a unit, not a deputy, a committee member or a leader whose other posts are a deputy's."""

from __future__ import annotations

import pytest

from nlp import analyze
from nlp.form import heads_a_unit
from nlp.schema import Header
from tests.conftest import make_report

HEADS = [
    "Bí thư Chi bộ, Hiệu trưởng",
    "Phó Bí thư chi bộ; Trưởng khu phố Cây Gạo",  # a deputy in the chi bộ, the head of the khu phố
    "Phó Bí thư chi bộ; Trung tá, Đồn trưởng",  # a rank before the post
    "Chi ủy viên; Tổng Biên tập Tạp chí Văn nghệ",
    "Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra",
    "Giám đốc",
    "",  # a leader's report whose header names no post: read as a head, as before
    "Pho Bi thu chi bo; Truong khu pho 3",  # typed without diacritics
    "Điều dưỡng trưởng Bệnh viện, Trưởng phòng Điều dưỡng",  # a head nurse who also heads a department
]
NOT_HEADS = [
    "Chi ủy viên; Phó Hiệu trưởng phụ trách cấp THCS (từ 02/01/2025, trước đó là giáo viên Trường THCS Pha Lướng)",
    "Phó Giám đốc phụ trách kinh doanh, kỹ thuật",  # the fields after the comma are no post of their own
    "Phó Bí thư chi bộ; Chính trị viên phó Ban Chỉ huy Quân sự xã",
    "Chi ủy viên; giáo viên Trường THCS",  # "trường" (a school) is not "trưởng"
    "Phó Trưởng Công an xã (từ 01/7/2025; trước đó là Trưởng Công an xã Khang Ninh)",  # a former post
    "Đảng ủy viên; Phó Chủ tịch UBND phường",
    "Chi uy vien; Pho Truong phong Ke hoach",  # typed without diacritics
    "Chi uy vien; giao vien truong THCS Tan An",  # "trường" typed without diacritics
    # a profession's chief, under the unit's head
    "Đảng ủy viên Đảng bộ Công ty; Kế toán trưởng Công ty Cổ phần Cơ khí",
    "Chi ủy viên; Điều dưỡng trưởng bệnh viện",
    "Đảng viên; Kế toán trưởng, phụ trách phòng Tài chính – Kế toán",
    "Nữ hộ sinh trưởng khoa Sản",
    "Ke toan truong cong ty",  # typed without diacritics
]


@pytest.mark.parametrize("position", HEADS)
def test_a_head_of_a_unit(position: str) -> None:
    assert heads_a_unit(Header(position=position or None))


@pytest.mark.parametrize("position", NOT_HEADS)
def test_not_a_head(position: str) -> None:
    assert not heads_a_unit(Header(position=position))


def test_the_party_and_government_posts_are_read_when_the_position_is_not_joined() -> None:
    assert not heads_a_unit(Header(party_position="Chi ủy viên", government_position="Phó Hiệu trưởng"))
    assert heads_a_unit(Header(party_position="Phó Bí thư", government_position="Trưởng thôn Đông"))


def _leader_report(party: str, government: str) -> str:
    report = make_report(responsibility="Chi bộ chưa đạt chỉ tiêu kết nạp 2 đảng viên, tôi cùng chịu trách nhiệm.")
    report = report.replace("Chức vụ Đảng: Đảng viên", f"Chức vụ Đảng: {party}")
    report = report.replace("Chức vụ chính quyền: Cán bộ địa chính", f"Chức vụ chính quyền: {government}")
    return report.replace(
        "BẢN KIỂM ĐIỂM CÁ NHÂN", "BẢN KIỂM ĐIỂM CÁ NHÂN\n(Dùng cho cá nhân giữ chức vụ lãnh đạo, quản lý)"
    )


def test_a_deputy_is_not_asked_for_the_heads_responsibility() -> None:
    result = analyze(_leader_report("Chi ủy viên", "Phó Chủ tịch UBND xã, phụ trách kinh tế"))
    assert result.role == "leader"
    assert result.accountability.head_responsibility is None
    assert "accountability.missing_head" not in {f.rule for f in result.findings}


def test_a_head_is_still_asked_for_it() -> None:
    result = analyze(_leader_report("Phó Bí thư Chi bộ", "Trưởng thôn Đông"))
    assert result.role == "leader"
    assert result.accountability.head_responsibility is False
    assert "accountability.missing_head" in {f.rule for f in result.findings}
