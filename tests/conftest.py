"""Shared fixtures and helpers for the kiemdiem tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

REPORT_TEMPLATE = """ĐẢNG BỘ XÃ AN PHÚ
CHI BỘ THÔN ĐÔNG
ĐẢNG CỘNG SẢN VIỆT NAM
An Phú, ngày 12 tháng 12 năm 2024

BẢN KIỂM ĐIỂM CÁ NHÂN
Năm 2024
Họ và tên: Lê Văn Kiểm
Chức vụ Đảng: Đảng viên
Chức vụ chính quyền: Cán bộ địa chính
Đơn vị công tác: UBND xã An Phú
Chi bộ: Chi bộ thôn Đông

I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC
{achievements}
II. HẠN CHẾ, KHUYẾT ĐIỂM
{shortcomings}
2. Nguyên nhân
{causes}
III. KẾT QUẢ KHẮC PHỤC HẠN CHẾ ĐÃ ĐƯỢC CHỈ RA Ở KỲ TRƯỚC
Đã hoàn thành chỉnh lý 42 hồ sơ địa chính tồn từ năm 2023, xong ngày 30/6/2024.
IV. GIẢI TRÌNH VẤN ĐỀ ĐƯỢC GỢI Ý KIỂM ĐIỂM
{suggested}
V. TRÁCH NHIỆM CÁ NHÂN ĐỐI VỚI HẠN CHẾ, KHUYẾT ĐIỂM CỦA TẬP THỂ
{responsibility}
VI. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC
{remedies}
VII. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG
Hoàn thành tốt nhiệm vụ.
Người tự kiểm điểm
Lê Văn Kiểm
"""

DEFAULT_PARTS = {
    "achievements": "Năm 2024 tôi đo đạc, cấp mới 118 giấy chứng nhận quyền sử dụng đất, vượt kế hoạch 18 giấy.",
    "shortcomings": "Tôi trả chậm 6 hồ sơ chuyển nhượng đất trong tháng 7 do không theo dõi sổ hẹn.",
    "causes": "Nguyên nhân chủ quan là tôi chưa lập lịch theo dõi hồ sơ hằng tuần.",
    "suggested": "Không có (Đảng ủy xã không gợi ý kiểm điểm).",
    "responsibility": "Chi bộ chưa đạt chỉ tiêu kết nạp 2 đảng viên; là chi ủy viên phụ trách tạo nguồn, tôi chịu trách nhiệm vì chưa giúp đỡ quần chúng từ đầu năm.",
    "remedies": "Từ tháng 1/2025, mỗi thứ Hai tôi rà soát sổ hẹn trả hồ sơ và báo cáo chi bộ tại kỳ sinh hoạt quý I.",
}


def make_report(**parts: str) -> str:
    """A complete, specific 02A-style report with some parts replaced."""
    return REPORT_TEMPLATE.format(**{**DEFAULT_PARTS, **parts})


@pytest.fixture
def report_factory():
    """Build a report with chosen parts: ``report_factory(shortcomings="…")``."""
    return make_report
