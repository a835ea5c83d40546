"""Segmentation and form detection over the ways people actually write reports."""

from __future__ import annotations

import unicodedata

import pytest

from nlp import analyze
from tests.conftest import make_report

SHORTCOMING = "Tôi trả chậm 6 hồ sơ chuyển nhượng đất trong tháng 7 do không theo dõi sổ hẹn."


def _section_of(result, fragment: str) -> str:
    return next(s.section for s in result.sentences if fragment in result.text[s.start : s.end])


@pytest.mark.parametrize(
    "heading",
    [
        "II. HẠN CHẾ, KHUYẾT ĐIỂM",
        "2. Hạn chế, khuyết điểm",
        "2) Hạn chế, khuyết điểm",
        "b. Hạn chế, khuyết điểm",
        "Phần II: Những hạn chế, khuyết điểm",
        "HẠN CHẾ, KHUYẾT ĐIỂM",
        "Hạn chế, khuyết điểm:",
        "II/ Han che, khuyet diem",
        "- Về hạn chế, khuyết điểm:",
    ],
)
def test_heading_styles(heading):
    text = make_report().replace("II. HẠN CHẾ, KHUYẾT ĐIỂM", heading)
    result = analyze(text)
    assert _section_of(result, "Tôi trả chậm 6 hồ sơ") == "shortcomings"
    heading_units = [
        s for s in result.sentences if s.structural and heading.strip(" -:") in result.text[s.start : s.end]
    ]
    assert heading_units, heading


def test_inline_heading_splits_heading_from_content():
    text = (
        make_report()
        .replace("2. Nguyên nhân\n", "")
        .replace("Nguyên nhân chủ quan là", "Nguyên nhân: nguyên nhân chủ quan là")
    )
    result = analyze(text)
    sentence = next(s for s in result.sentences if "nguyên nhân chủ quan là" in result.text[s.start : s.end])
    assert sentence.section == "causes" and not sentence.structural
    assert not result.text[sentence.start : sentence.end].startswith("Nguyên nhân:")


def test_bullets_and_numbered_items_are_units():
    parts = "- Trả chậm 6 hồ sơ trong tháng 7.\n• Nộp muộn báo cáo quý III 5 ngày.\n1) Chưa cập nhật sổ mục kê."
    result = analyze(make_report(shortcomings=parts))
    units = [result.text[s.start : s.end] for s in result.sentences if s.section == "shortcomings" and not s.structural]
    assert len(units) == 3
    assert "•" not in result.text  # bullet characters normalised to "- "


def test_header_fields_and_signature_are_structural():
    result = analyze(make_report())
    assert result.header.name == "Lê Văn Kiểm"
    assert result.header.branch == "Chi bộ thôn Đông"
    assert result.header.year == 2024
    signature = [s for s in result.sentences if s.section == "signature"]
    assert signature and all(s.structural for s in signature)
    header = [s for s in result.sentences if s.section == "header"]
    assert header and all(s.structural for s in header)


def test_a_numbered_chi_bo_keeps_its_number_when_the_place_and_date_follow_on_its_line():
    """ "CHI BỘ THÔN 3 An Phú, ngày …" (the two columns run together) is "CHI BỘ THÔN 3", not "CHI BỘ THÔN"."""
    report = make_report().replace("Chi bộ: Chi bộ thôn Đông\n", "", 1)
    text = report.replace("CHI BỘ THÔN ĐÔNG", "CHI BỘ THÔN 3 An Phú, ngày 12 tháng 12 năm 2024", 1)
    assert analyze(text).header.branch == "CHI BỘ THÔN 3"
    spaced = report.replace("CHI BỘ THÔN ĐÔNG", "CHI BỘ TRẠM Y TẾ Hòa Khánh, ngày 12 tháng 12 năm 2024", 1)
    assert analyze(spaced).header.branch == "CHI BỘ TRẠM Y TẾ"


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_text_without_diacritics_is_analysed_and_flagged():
    text = _strip_marks(make_report(shortcomings="Doi luc con chua quyet liet trong cong viec."))
    result = analyze(text)
    assert result.source.diacritics is False
    assert any(f.rule == "input.no_diacritics" for f in result.findings)
    assert _section_of(result, "Doi luc con chua quyet liet") == "shortcomings"
    sentence = next(s for s in result.sentences if "Doi luc" in result.text[s.start : s.end])
    assert "evasive" in sentence.labels


def test_hd25_member_is_02a():
    result = analyze(make_report())
    assert (result.form, result.guidance, result.role) == ("02A", "HD25-2023", "member")


def test_hd43_member_with_self_score_is_02b():
    text = (
        make_report()
        .replace("Năm 2024", "Năm 2025")
        .replace("năm 2024", "năm 2025")
        .replace("Hoàn thành tốt nhiệm vụ.", "Tự chấm điểm: 27/30 + 60/70 = 87/100 điểm.\nHoàn thành tốt nhiệm vụ.")
    )
    result = analyze(text)
    assert (result.form, result.guidance, result.role) == ("02B", "HD43-2025", "member")
    assert result.self_score == 87


def test_leader_post_in_header_makes_a_leader_form():
    text = make_report().replace("Chức vụ chính quyền: Cán bộ địa chính", "Chức vụ chính quyền: Chủ tịch UBND xã")
    result = analyze(text)
    assert result.role == "leader" and result.form == "02B"


def test_collective_report_is_01():
    text = make_report().replace("BẢN KIỂM ĐIỂM CÁ NHÂN", "BÁO CÁO KIỂM ĐIỂM TẬP THỂ CHI BỘ")
    text = "\n".join(line for line in text.splitlines() if not line.startswith(("Họ và tên", "Chức vụ")))
    result = analyze(text)
    assert result.role == "collective" and result.form == "01"


@pytest.mark.parametrize(
    ("written", "rating"),
    [
        ("Hoàn thành xuất sắc nhiệm vụ.", "hoàn thành xuất sắc nhiệm vụ"),
        ("Tự xếp loại: hoàn thành tốt nhiệm vụ", "hoàn thành tốt nhiệm vụ"),
        ("Hoàn thành nhiệm vụ.", "hoàn thành nhiệm vụ"),
        ("Không hoàn thành nhiệm vụ.", "không hoàn thành nhiệm vụ"),
    ],
)
def test_self_rating_levels(written, rating):
    result = analyze(make_report().replace("Hoàn thành tốt nhiệm vụ.", written))
    assert result.self_rating == rating


def test_missing_self_rating_is_reported():
    text = make_report().replace("VII. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG\nHoàn thành tốt nhiệm vụ.\n", "")
    result = analyze(text)
    assert result.self_rating is None
    assert "self_rating" in result.missing_sections or any(
        f.rule == "completeness.no_self_rating" for f in result.findings
    )


def test_header_fields_behind_bullets_and_a_name_with_a_rank():
    from nlp import analyze

    text = (
        "ĐẢNG BỘ XÃ A\n\nBẢN KIỂM ĐIỂM CÁ NHÂN\n\n- Họ và tên: Đoàn Minh Triết - Thiếu tá\n"
        "- Chức vụ Đảng: Bí thư Chi bộ\n\nI. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\nTôi dự đủ 12 kỳ sinh hoạt chi bộ.\n"
    )
    header = analyze(text).header
    assert (header.name, header.party_position) == ("Đoàn Minh Triết", "Bí thư Chi bộ")


def test_a_header_field_left_as_dots_is_empty():
    from nlp import analyze

    text = (
        "ĐẢNG BỘ XÃ A\n\nBẢN KIỂM ĐIỂM CÁ NHÂN\n\nHọ và tên: …………………………..……\n"
        "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\nTôi dự đủ 12 kỳ sinh hoạt chi bộ.\n"
    )
    assert analyze(text).header.name is None


def test_a_name_given_as_toi_ten_with_the_birth_year_on_the_same_line():
    text = (
        "CB bản Nà Tăm\nBẢN TỰ KIỂM ĐIỂM ĐẢNG VIÊN NĂM 2025\n"
        "Tôi tên: LÒ VĂN PẤN           Sinh năm 1976\nChức vụ: Đảng viên; Tổ trưởng tổ an ninh bản\n"
        "1. Ưu điểm\n- Chấp hành tốt chủ trương của Đảng, pháp luật của Nhà nước.\n"
    )
    assert analyze(text).header.name == "LÒ VĂN PẤN"


def test_a_name_field_typed_without_diacritics_stops_at_the_birth_date_on_its_line():
    text = (
        "CHI BO AP BAN DO\nBAN KIEM DIEM CA NHAN NAM 2025\n"
        "Ho va ten: Duong Van Sang Sinh ngay: 22/11/1972\nChuc vu Dang: Dang vien\n"
        "1. Uu diem\n- Chap hanh tot chu truong cua Dang.\n"
    )
    assert analyze(text).header.name == "Duong Van Sang"
    assert analyze(text.replace("Sinh ngay: ", "sinh nam ")).header.name == "Duong Van Sang"


def test_a_field_left_as_dots_around_the_form_s_own_words_is_empty():
    text = "Họ và tên: Nguyễn Văn An\nĐơn vị công tác: ……Chi bộ ……\n1. Ưu điểm\n- Chấp hành tốt chủ trương của Đảng.\n"
    assert analyze(text).header.unit is None
    filled = text.replace("……Chi bộ ……", "Chi bộ thôn Đông ……")
    assert analyze(filled).header.unit.startswith("Chi bộ thôn Đông")


def test_the_collective_form_s_title_on_its_own_line_opens_no_self_rating_section():
    """ "BÁO CÁO" / "KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TẬP THỂ NĂM 2025" is the title, not the heading of
    part IV: the paragraph after it (the division of work) stays in the report's opening."""
    text = (
        "ĐẢNG BỘ XÃ AN HÒA\nCHI BỘ TRƯỜNG TIỂU HỌC AN HÒA\n\nBÁO CÁO\n"
        "KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TẬP THỂ NĂM 2025\n\n"
        "Theo phân công đầu năm, đồng chí Phó Hiệu trưởng phụ trách chuyên môn và công tác bán trú.\n\n"
        "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\nChi bộ duy trì 12/12 kỳ sinh hoạt.\n\n"
        "II. HẠN CHẾ, KHUYẾT ĐIỂM\nBếp ăn bán trú lưu mẫu thức ăn không đủ 24 giờ.\n"
    )
    result = analyze(text)
    division = next(s for s in result.sentences if "Theo phân công" in result.text[s.start : s.end])
    assert division.section != "self_rating" and not division.structural
    title = next(s for s in result.sentences if "XẾP LOẠI CHẤT LƯỢNG" in result.text[s.start : s.end])
    assert title.structural


def test_the_year_of_the_date_line_wins_over_a_body_line_on_last_year_s_report():
    """A title without its year on the same line ("BẢN TỰ KIỂM ĐIỂM" / "(Cá nhân …) năm 2025") and a body line naming
    last year's report: the report's year is the date line's, not the body line's."""
    text = (
        "Chi bộ Công ty cổ phần Khách sạn Ngọc Trà Bến Thóc, ngày 05 tháng 12 năm 2025\n"
        "BẢN TỰ KIỂM ĐIỂM\n(Cá nhân giữ chức vụ lãnh đạo, quản lý)\n"
        "Họ và tên: Hứa Thị Ngân\nChức vụ Đảng: Chi ủy viên\n"
        "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\n"
        "Hạn chế đã nêu trong bản kiểm điểm năm 2024 về sổ giao ca đã khắc phục: từ tháng 3/2025 ghi đủ 100% ca.\n"
        "II. HẠN CHẾ, KHUYẾT ĐIỂM\nCòn 21 phàn nàn về vệ sinh phòng, tôi chưa kiểm tra đủ các ca đêm.\n"
    )
    result = analyze(text)
    assert result.header.year == 2025 and result.guidance == "HD43-2025"


def test_the_blank_forms_list_of_levels_is_no_self_rating():
    """A form left blank lists the four levels to choose from on one line: none is chosen. One level, even "Không
    hoàn thành nhiệm vụ" (which holds "hoàn thành nhiệm vụ"), is the writer's claim."""
    from nlp import analyze
    from tests.conftest import make_report

    listed = "Hoàn thành xuất sắc nhiệm vụ Hoàn thành tốt nhiệm vụ Hoàn thành nhiệm vụ Không hoàn thành nhiệm vụ"
    report = make_report()
    assert analyze(report).self_rating == "hoàn thành tốt nhiệm vụ"
    assert analyze(report.replace("Hoàn thành tốt nhiệm vụ.", listed)).self_rating is None
    assert analyze(report.replace("Hoàn thành tốt nhiệm vụ.", "Không hoàn thành nhiệm vụ.")).self_rating == (
        "không hoàn thành nhiệm vụ"
    )
