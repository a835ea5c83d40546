"""The layout stage: what is found must not depend on where lines break (texts written for the test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp import analyze
from nlp.layout import analyse_layout, sentence_spans
from nlp.pipeline import prepare


def _pieces(text: str) -> list[str]:
    return [line.text for line in analyse_layout(text).lines]


def _content(text: str) -> list[str]:
    return [u.text for u in prepare(text).content_units]


def test_hard_wrapped_sentence_is_one_unit_and_offsets_stay_honest():
    text = (
        "II. HẠN CHẾ, KHUYẾT ĐIỂM\n"
        "Trong quý III tôi chậm trình hồ sơ thẩm định dự án đường liên thôn của xã Tân Phú\n"
        "gần ba tuần vì ngại va chạm với chủ đầu tư.\n"
        "Tôi chưa góp ý thẳng thắn khi đồng nghiệp sai quy trình.\n"
    )
    doc = prepare(text)
    units = doc.content_units
    assert len(units) == 2
    assert "\n" in doc.text[units[0].start : units[0].end]  # the unit spans the line break, the text is unchanged
    assert units[0].text.startswith("Trong quý III") and units[0].text.endswith("chủ đầu tư.")
    assert units[0].text == doc.text[units[0].start : units[0].end].replace("\n", " ")


def test_wrapped_line_before_a_capitalised_word_in_a_pdf_copy():
    line = "tôi luôn chấp hành nghiêm túc các chủ trương, đường lối chính sách của"
    text = "\n".join(
        [
            "Về tư tưởng chính trị: bản thân có lập trường tư tưởng vững vàng, luôn",
            line,
            "Đảng, pháp luật của Nhà nước, có ý thức học tập nâng cao trình độ lý luận",
            "chính trị và chuyên môn nghiệp vụ để đáp ứng yêu cầu nhiệm vụ được giao.",
            "Về đạo đức lối sống: tôi sống giản dị, trung thực, đoàn kết với đồng nghiệp và",
            "giữ gìn phẩm chất của người đảng viên trong mọi hoàn cảnh công tác được giao.",
        ]
    )
    pieces = _pieces(text)
    assert any("của\nĐảng" in p.replace(" ", "\n", 0) or "của Đảng" in p for p in pieces)
    assert not any(p.startswith("Đảng, pháp luật") for p in pieces)


def test_page_numbers_and_running_headers_are_structural():
    body = "Tôi hoàn thành 12/12 hồ sơ thẩm định trước hạn trong quý IV năm 2025 tại phòng.\n"
    text = (
        "Bản kiểm điểm cá nhân - Nguyễn Văn A\n" + body + "1\n\n"
        "Bản kiểm điểm cá nhân - Nguyễn Văn A\n" + body.replace("IV", "III") + "- 2 -\n\n"
        "Bản kiểm điểm cá nhân - Nguyễn Văn A\n" + body.replace("IV", "II") + "Trang 3\n"
    )
    layout = analyse_layout(text)
    marks = [m.text.strip() for m in layout.marks]
    assert {"1", "- 2 -", "Trang 3"} <= set(marks)
    assert marks.count("Bản kiểm điểm cá nhân - Nguyễn Văn A") == 3
    doc = prepare(text)
    assert all(not u.text.strip().isdigit() for u in doc.content_units)


def test_a_running_footer_of_a_two_page_report_beside_its_page_numbers_is_structural():
    footer = "Chi bộ Phòng giao dịch Ngòi Sậy - Báo cáo kiểm điểm tập thể năm 2025"
    repeated = "Tôi chịu trách nhiệm về việc này."  # said twice, never beside a page number: content
    text = (
        "Nợ xấu đến 30/11/2025 là 2,37%, vượt ngưỡng 1,5% Chi nhánh giao cho phòng.\n"
        f"{repeated}\n{footer}\n1\n"
        "Huy động vốn dân cư chỉ đạt 88% kế hoạch năm, hụt khoảng 56 tỷ đồng.\n"
        f"{repeated}\n{footer}\n2\n"
        "Chi trả nhầm 48 triệu đồng tại quầy giao dịch trong tháng 9/2025.\n"
    )
    marks = [m.text.strip() for m in analyse_layout(text).marks]
    assert marks.count(footer) == 2 and {"1", "2"} <= set(marks)
    assert repeated not in marks
    assert not any(footer in u.text for u in prepare(text).content_units)


def test_page_number_inside_a_wrapped_sentence_is_blanked_from_the_view():
    text = (
        "Tôi đã chủ trì rà soát 45 hồ sơ đất đai tồn đọng của các hộ dân tại\n"
        "3\n\n"
        "thôn Đông trong tháng 5/2025 và trả lời bằng văn bản cho 40 hộ trước ngày 30/6/2025.\n"
    )
    doc = prepare(text)
    (unit,) = doc.content_units
    assert "3" not in unit.text.split()  # the page number is not part of what is analysed
    assert doc.text[unit.start : unit.end].count("\n") >= 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tôi hoàn thành nhiệm vụ được giao. 2. Nguyên nhân: do bản thân chưa sắp xếp thời gian hợp lý.",
            ["Tôi hoàn thành nhiệm vụ được giao.", "2. Nguyên nhân:", "do bản thân chưa sắp xếp thời gian hợp lý."],
        ),
        (
            "Năm 2025 tôi dự đủ 12/12 kỳ sinh hoạt. II. HẠN CHẾ, KHUYẾT ĐIỂM Tôi chậm nộp báo cáo quý III 5 ngày.",
            [
                "Năm 2025 tôi dự đủ 12/12 kỳ sinh hoạt.",
                "II. HẠN CHẾ, KHUYẾT ĐIỂM",
                "Tôi chậm nộp báo cáo quý III 5 ngày.",
            ],
        ),
        (
            "1. Hạn chế, khuyết điểm. - Các kiến thức pháp luật còn hạn chế. - Chưa mạnh dạn đề xuất.",
            ["1. Hạn chế, khuyết điểm.", "- Các kiến thức pháp luật còn hạn chế.", "- Chưa mạnh dạn đề xuất."],
        ),
    ],
)
def test_run_in_headings_and_inline_bullets_become_pieces(text, expected):
    assert _pieces(text) == expected


def test_unnumbered_heading_run_into_prose_is_found():
    text = (
        "Chi bộ: Trường THPT Long Phú Ưu điểm, kết quả đạt được Về thực hiện chức trách, nhiệm vụ được giao "
        "Lớp 12A3 đỗ tốt nghiệp 42/42 học sinh. Hạn chế, khuyết điểm và nguyên nhân Tháng 3/2025 tôi dạy thêm "
        "sai quy định cho 2 lớp ôn thi."
    )
    doc = prepare(text)
    sections = {u.section for u in doc.content_units}
    assert "shortcomings" in sections
    assert any(u.text.startswith("Tháng 3/2025") and u.section == "shortcomings" for u in doc.content_units)


def test_inline_bullets_after_a_colon_and_bullet_dots():
    pieces = _pieces("Kết quả cụ thể như sau: - Hoàn thành 3 đề tài. + Tham gia 2 lớp bồi dưỡng. • Không vi phạm.")
    assert pieces == [
        "Kết quả cụ thể như sau:",
        "- Hoàn thành 3 đề tài.",
        "+ Tham gia 2 lớp bồi dưỡng.",
        "• Không vi phạm.",
    ]


def test_hyphen_inside_a_sentence_is_not_a_bullet():
    text = "Tôi học tập chủ nghĩa Mác - Lênin và tổ chức dạy năm học 2024 - 2025 đúng kế hoạch."
    assert _pieces(text) == [text]


def test_sentence_repairs():
    body = "Như đã nêu tại mục II.3 của báo cáo này. Tôi nhận trách nhiệm. 2. Tỷ lệ đạt 94,37% kế hoạch."
    sentences = [body[s:e] for s, e in sentence_spans(body)]
    assert sentences == [
        "Như đã nêu tại mục II.3 của báo cáo này.",
        "Tôi nhận trách nhiệm.",
        "2. Tỷ lệ đạt 94,37% kế hoạch.",
    ]


def test_a_long_line_of_prose_before_any_heading_is_content_not_header():
    text = (
        "Là đảng viên không giữ chức vụ lãnh đạo, nhìn lại những hạn chế của tập thể, tôi nhận thấy có lúc tôi "
        "chưa chủ động phối hợp với đồng nghiệp nên việc trả hồ sơ cho dân còn chậm so với yêu cầu."
    )
    doc = prepare(text)
    assert len(doc.content_units) == 1
    assert doc.content_units[0].section not in {None, "header"}


def test_short_header_lines_stay_header():
    doc = prepare(
        "ĐẢNG BỘ XÃ AN PHÚ\nCHI BỘ THÔN 3\nBẢN KIỂM ĐIỂM CÁ NHÂN\nHọ và tên: Lê Văn B\nI. ƯU ĐIỂM\nTôi dự 12/12 kỳ họp."
    )
    header = [u for u in doc.units if u.section == "header"]
    assert len(header) == 4 and all(u.structural for u in header)


def test_same_findings_whatever_the_line_breaks():
    paragraph = (
        "Trong năm, việc phối hợp với đồng nghiệp có thời điểm chưa đạt hiệu quả như yêu cầu. "
        "Nguyên nhân chủ yếu là do khối lượng công việc nhiều, địa bàn rộng. "
        "Một số đồng chí trong chi bộ còn nể nang, ngại va chạm."
    )
    as_lines = paragraph.replace(". ", ".\n")
    wrapped = "\n".join(paragraph[i : i + 60] for i in range(0, len(paragraph), 60))
    labels = []
    for text in (paragraph, as_lines, wrapped):
        result = analyze(text)
        labels.append(
            [(result.text[s.start : s.end].split()[0], tuple(s.labels)) for s in result.sentences if not s.structural]
        )
    assert labels[0] == labels[1]
    assert [w for w, _ in labels[0]] == [w for w, _ in labels[2]]


def test_fragment_scope_has_no_band_and_no_missing_parts():
    result = analyze(
        "Có lúc tôi còn chậm trả lời đơn thư của dân. Nguyên nhân là tôi chưa sắp xếp thời gian hợp lý. "
        "Thời gian tới tôi sẽ cố gắng khắc phục."
    )
    assert result.scope == "fragment"
    assert result.band is None
    assert result.missing_sections == []
    assert not any(f.rule == "completeness.missing_section" for f in result.findings)


def test_a_whole_report_keeps_its_band():
    result = analyze(Path("examples/02a-ngan-hang-yeu.txt").read_text(encoding="utf-8"))
    assert result.scope == "report"
    assert result.band in {"weak", "adequate", "strong"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Chi bộ: Hợp tác xã Đại Đồng 1- ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC 1.1- Về tư tưởng chính trị Bản thân luôn tin tưởng.",
            [
                "Chi bộ: Hợp tác xã Đại Đồng",
                "1- ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC",
                "1.1- Về tư tưởng chính trị",
                "Bản thân luôn tin tưởng.",
            ],
        ),
        (
            "Tôi đã nêu. C. KẾT QUẢ KHẮC PHỤC HẠN CHẾ ĐÃ ĐƯỢC CHỈ RA Năm 2024 tôi sửa xong.",
            ["Tôi đã nêu.", "C. KẾT QUẢ KHẮC PHỤC HẠN CHẾ ĐÃ ĐƯỢC CHỈ RA", "Năm 2024 tôi sửa xong."],
        ),
        (
            "Thuc hien tot cam ket. PHAN II: HAN CHE, KHUYET DIEM - Doi luc con chua chu dong.",
            ["Thuc hien tot cam ket.", "PHAN II: HAN CHE, KHUYET DIEM", "- Doi luc con chua chu dong."],
        ),
        (
            "Tổ chức ngày 12 - 13/8/2025, nhiệm kỳ 2025 - 2030, theo mục II.3 của kế hoạch.",
            ["Tổ chức ngày 12 - 13/8/2025, nhiệm kỳ 2025 - 2030, theo mục II.3 của kế hoạch."],
        ),
    ],
)
def test_numbering_styles_run_into_a_line(text, expected):
    assert _pieces(text) == expected


def test_page_number_glued_to_the_next_pages_first_line_by_pdf_extraction():
    text = "Giữ vững đoàn kết.\n1 c) Về thực hiện cam kết\nTôi làm.\nLà Bí thư chi bộ và Quản\n2 đốc, tôi chịu trách nhiệm."
    layout = analyse_layout(text)
    assert [m.text for m in layout.marks] == ["1", "2"]
    assert [" ".join(line.text.split()) for line in layout.lines] == [
        "Giữ vững đoàn kết.",
        "c) Về thực hiện cam kết",
        "Tôi làm.",
        "Là Bí thư chi bộ và Quản đốc, tôi chịu trách nhiệm.",
    ]


def test_a_line_that_opens_with_a_number_keeps_it():
    text = "V. TRÁCH NHIỆM CÁ NHÂN\n2 gói mua sắm bị Thanh tra huyện kết luận sai quy trình; tôi chịu trách nhiệm."
    layout = analyse_layout(text)
    assert layout.marks == []
    assert layout.lines[-1].text.startswith("2 gói mua sắm")


def test_a_name_broken_over_two_lines_is_one_sentence():
    pieces = _pieces("- Chấp hành quyết định của Đảng ủy và Ban\nGiám đốc Công ty.\nGiữ vững đoàn kết.")
    assert pieces == ["- Chấp hành quyết định của Đảng ủy và Ban Giám đốc Công ty.", "Giữ vững đoàn kết."]


def test_a_wrapped_line_that_opens_with_the_word_phan_goes_on_the_sentence():
    """ "phần" opens a part only with its number ("Phần II", "PHẦN THỨ HAI"): "… có⏎phần lỗi trực tiếp của tôi" is
    one sentence wrapped at a fixed width."""
    pieces = _pieces(
        "1. Tỷ lệ thất thoát toàn Công ty còn 21,4% (vùng Sông Mai 26,3%), trong đó có\n"
        "phần lỗi trực tiếp của tôi: tôi không tổ chức dò tìm rò rỉ ngầm theo kế hoạch.\nPhần II – Hạn chế"
    )
    assert len(pieces) == 2 and pieces[0].endswith("theo kế hoạch.") and pieces[1] == "Phần II – Hạn chế"


def test_a_wrapped_all_caps_heading_is_one_heading():
    text = "V- TRÁCH NHIỆM CỦA CÁ NHÂN ĐỐI VỚI HẠN CHẾ, KHUYẾT ĐIỂM CỦA TẬP\nTHỂ\nTôi chịu trách nhiệm về việc chậm 3 hồ sơ."
    doc = prepare(text)
    assert doc.units[0].kind == "heading" and doc.units[0].section == "collective_responsibility"


def test_cues_still_match_across_a_blanked_page_number():
    text = "Cả hai việc đều do tôi phụ trách, nên tôi chịu trách\n2\nnhiệm chính về việc đơn vị bị hạ mức đánh giá."
    (unit,) = prepare(text).content_units
    assert any(h.phrase == "chịu trách nhiệm" for h in unit.hits)


@pytest.mark.parametrize(
    "line",
    [
        "- Chưa thành lập được chi bộ ở Xưởng kết cấu số 2. Công tác tổ chức do đồng chí Phó Bí thư Đảng ủy phụ trách"
        " và còn chậm so với kế hoạch của Đảng ủy.",
        "- Tiến độ thu nợ còn chậm, nhất là trong quý IV. Công tác kiểm tra do đồng chí Phó Giám đốc phụ trách chưa"
        " sát với thực tế của các đội sản xuất.",
    ],
)
def test_a_number_after_a_word_that_takes_one_is_not_a_run_in_heading(line):
    """A number after "số" or "quý" ends a sentence; it neither opens a heading nor moves the section."""
    text = f"II. HẠN CHẾ, KHUYẾT ĐIỂM\n{line}\n- Hồ sơ đảng viên mới còn thiếu 3 bộ.\n"
    result = analyze(text)
    sentences = [(result.text[s.start : s.end], s.section) for s in result.sentences]
    assert all(section == "shortcomings" for _, section in sentences)
    assert len(sentences) == 4
    assert sentences[2][0].startswith("Công tác") and sentences[2][0].endswith(("Đảng ủy.", "đội sản xuất."))


def test_a_body_named_in_a_ve_opening_stays_in_its_sentence():
    """ "Về phần việc Công đoàn, …" is one sentence: "Công" opens a name, it does not end a title."""
    line = (
        "Về phần việc Công đoàn, bản thân không thấy có hạn chế gì; các phong trào thi đua đều tổ chức đúng kế hoạch."
    )
    result = analyze(f"II. HẠN CHẾ, KHUYẾT ĐIỂM\n- Có lúc còn chậm cập nhật hồ sơ viên chức 10 ngày.\n{line}\n")
    assert [result.text[s.start : s.end] for s in result.sentences][-1] == line


def test_a_numbered_item_that_opens_on_a_fault_is_not_a_heading():
    """ "2. Chưa áp dụng biện pháp cưỡng chế …" is the second shortcoming, not the heading "Biện pháp khắc phục"."""
    text = (
        "II. HẠN CHẾ, KHUYẾT ĐIỂM\n1. Còn 12 hồ sơ xóa nợ chưa hoàn thiện.\n"
        "2. Chưa áp dụng biện pháp cưỡng chế trích tiền từ tài khoản đối với 5 doanh nghiệp ở xã An Cư.\n"
        "Nguyên nhân: ngại va chạm với doanh nghiệp.\n"
    )
    result = analyze(text)
    sentences = [(result.text[s.start : s.end], s.section) for s in result.sentences]
    assert (
        "Chưa áp dụng biện pháp cưỡng chế trích tiền từ tài khoản đối với 5 doanh nghiệp ở xã An Cư.",
        "shortcomings",
    ) in (sentences)


def test_a_year_s_shortcoming_named_by_its_topic_is_an_item_not_a_heading():
    """ "Hạn chế năm 2024 về …" in part III names one of last year's shortcomings: it is not the heading "Hạn chế"
    run into the text, cut before the next capitalised word ("… môn | Tiếng Việt: …")."""
    item = (
        "Hạn chế năm 2024 về học sinh lớp 1 ở Lùng Thàng chưa hoàn thành môn Tiếng Việt: Chi bộ đã chỉ đạo phụ đạo "
        "buổi chiều từ tháng 3/2025 và mở lớp tăng cường tiếng Việt hè, nhưng chưa đạt yêu cầu."
    )
    result = analyze(f"3. Kết quả khắc phục hạn chế, khuyết điểm đã được chỉ ra\n- {item}\n")
    assert [(result.text[s.start : s.end], s.section) for s in result.sentences][-1] == (item, "previous_remediation")


def test_a_name_after_a_place_noun_does_not_end_a_run_in_title():
    """A numbered item opening on a section's words ("6. Kế hoạch kiểm tra, giám sát …") is not a title that ends
    before the next capitalised word when that word is a name after a place noun ("điểm trường Lùng Thàng")."""
    item = (
        "Kế hoạch kiểm tra, giám sát số 03-KH/CB giao kiểm tra 2 đảng viên công tác tại điểm trường Lùng Thàng "
        "trong quý III, nhưng đến tháng 12/2025 vẫn chưa tiến hành."
    )
    result = analyze(f"II. HẠN CHẾ, KHUYẾT ĐIỂM\n5. Chi bộ không kết nạp được đảng viên mới.\n6. {item}\n")
    last = result.sentences[-1]
    assert (result.text[last.start : last.end], last.structural) == (item, False)


def test_a_bullet_that_is_only_a_part_s_title_is_a_heading():
    """ "- Hạn chế, khuyết điểm." and "- Nguyên nhân của hạn chế, khuyết điểm." name parts (no finding is made on
    them, and the causes part opens there); "- Nguyên nhân do thiếu kinh phí." is an item."""
    text = (
        "II. Hạn chế, khuyết điểm và nguyên nhân\n- Hạn chế, khuyết điểm.\n+ Sinh hoạt chuyên đề chưa đều.\n"
        "- Nguyên nhân của hạn chế, khuyết điểm.\n+ Chi ủy chưa chuẩn bị kỹ nội dung.\n- Nguyên nhân do thiếu kinh phí.\n"
    )
    result = analyze(text)
    read = {result.text[s.start : s.end].lstrip("-+ "): (s.structural, s.section) for s in result.sentences}
    assert read["Hạn chế, khuyết điểm."][0] and read["Nguyên nhân của hạn chế, khuyết điểm."][0]
    assert read["Chi ủy chưa chuẩn bị kỹ nội dung."] == (False, "causes")
    assert read["Nguyên nhân do thiếu kinh phí."][0] is False


def test_a_person_s_initials_do_not_end_a_sentence():
    text = (
        "II. HẠN CHẾ\n6. Anh N.V.T. (32 tuổi) cai nghiện về từ tháng 5/2025 nhưng chưa được theo dõi.\n7. Còn nợ quỹ.\n"
    )
    result = analyze(text)
    assert [result.text[s.start : s.end] for s in result.sentences][1].endswith("chưa được theo dõi.")


def test_a_road_code_glued_to_its_number_is_no_sentence_end():
    from nlp.layout import sentence_spans

    body = "Tiến độ bàn giao mặt bằng đường ĐT.652 còn chậm; tuyến QL.1A đã xong. Tôi nhận khuyết điểm."
    assert [body[s:e] for s, e in sentence_spans(body)] == [
        "Tiến độ bàn giao mặt bằng đường ĐT.652 còn chậm; tuyến QL.1A đã xong.",
        "Tôi nhận khuyết điểm.",
    ]
    spaced = "Đã làm việc với UBND. 12 hộ đã nộp."  # a full stop, a space, a number: two sentences
    assert len(sentence_spans(spaced)) == 2


def test_a_number_opening_a_line_is_a_glued_page_number_only_where_a_page_s_number_is_missing():
    """The text numbers its pages on lines of their own (1, 2): "3 tổ chưa …" may open page 3, "27 lái xe …" opens
    no page of it and keeps its number."""
    body = [f"Dòng thứ {i} của báo cáo, viết dài cho đủ một dòng của trang giấy in." for i in range(1, 10)]
    text = "\n".join([*body[:3], "1", *body[3:6], "2", "27 lái xe có đơn phản ánh", *body[6:], "3 tổ chưa nộp"])
    glued = [mark.text.strip() for mark in analyse_layout(text).marks]
    assert "27" not in glued and glued.count("3") == 1


def test_a_hard_wrapped_line_ending_in_a_colon_goes_on_where_the_next_starts_in_small_letters():
    text = (
        "1. Vận động đóng góp xây dựng nhà văn hóa thôn mới chỉ đạt 68% kế\n"
        "hoạch của năm, chậm hơn so với cùng kỳ của các thôn khác trong xã:\n"
        "còn 41 hộ chưa nộp, tương ứng 96 triệu đồng (lĩnh vực do đồng chí\n"
        "trưởng thôn phụ trách), trong đó có 12 hộ thuộc diện khó khăn.\n"
        "2. Chi bộ không kết nạp được đảng viên mới theo chỉ tiêu của năm\n"
        "2025; hồ sơ của 2 quần chúng ưu tú chưa hoàn thiện để trình xét.\n"
        "Nguyên nhân:\n- Chi ủy chưa đôn đốc thường xuyên."
    )
    pieces = _pieces(text)
    assert pieces[0].startswith("1. Vận động") and pieces[0].endswith("khó khăn.")
    assert "Nguyên nhân:" in pieces and pieces[-1] == "- Chi ủy chưa đôn đốc thường xuyên."


def test_header_fields_run_into_one_paragraph_end_at_the_next_label_written_with_a_capital():
    """A header pasted as one paragraph: "Chức vụ chính quyền: Không Công việc: Kỹ thuật viên …" gives no government
    post but "Không" (the member was being read as in charge of the villages of his job); the same words in small
    letters inside a sentence ("… chức trách, nhiệm vụ, công việc: …") cut nothing."""
    header = (
        "BẢN TỰ KIỂM ĐIỂM Năm 2025 Họ và tên: Lò Văn Tú Ngày sinh: 05/5/1993 Chức vụ Đảng: Đảng viên Chức vụ chính "
        "quyền: Không Công việc: Kỹ thuật viên thú y, phụ trách các thôn Khuổi Pất, Nà Tàn Nơi công tác: Trạm thú y "
        "xã Cẩm Sơn\nI. Ưu điểm, kết quả đạt được\n"
    )
    result = analyze(header + "Tôi tiêm phòng đủ 1.030 con trâu, bò ở 3 thôn.\n")
    assert (result.header.party_position, result.header.government_position) == ("Đảng viên", "Không")
    leader = analyze(
        header.replace("quyền: Không Công việc", "quyền: Trưởng thôn Nà Tàn Nơi cư trú: thôn Nà Tàn Công việc")
    )
    assert leader.header.government_position == "Trưởng thôn Nà Tàn"
    sentence = "Tôi hoàn thành các chức trách, nhiệm vụ, công việc: tiêm phòng, khám chữa và báo dịch đúng hạn."
    assert sentence in _content(f"I. Ưu điểm, kết quả đạt được\n{sentence}\n")


def test_a_unit_s_name_in_small_letters_before_a_colon_is_the_sentence_s_word_not_a_header_field():
    """ "Đơn vị:", "Chi bộ:" and "Đảng bộ:" run into a pasted header end the field before them; "… hai việc chưa đạt
    của đơn vị: số tiền thuế nợ …" and "… trong sinh hoạt chi bộ: cả năm tôi …" are words of one sentence (the
    sentence had been cut there, its second half read as a heading and left out of the analysis)."""
    owning = (
        "Với cương vị Bí thư chi bộ, tôi nhận trách nhiệm về hai việc chưa đạt của đơn vị: số tiền thuế nợ còn 18,4 "
        "tỷ đồng vì tôi chưa làm việc với 14 doanh nghiệp; và việc chuyển hộ khoán sang kê khai mới đạt 42%."
    )
    speaking = "Trong sinh hoạt chi bộ: cả năm tôi chỉ phát biểu 3 lần, chưa mạnh dạn góp ý."
    content = _content(f"V. Trách nhiệm cá nhân đối với hạn chế, khuyết điểm của tập thể\n{owning}\n{speaking}\n")
    assert owning in content and speaking in content
    header = "Họ và tên: Lò Văn Tú Chức vụ Đảng: Đảng viên Đơn vị: Chi bộ thôn Nà Tàn\nI. Ưu điểm, kết quả đạt được\n"
    assert analyze(header + "Tôi tiêm phòng đủ 1.030 con trâu, bò ở 3 thôn.\n").header.party_position == "Đảng viên"


def test_full_line_width_is_given_for_a_hard_wrapped_text_only():
    """A PDF's copy wrapped at 70 characters fills its lines to about 70; a text with a sentence a line has none."""
    from nlp.layout import full_line_width
    from nlp.relayout import relayout

    sentences = [
        f"Câu thứ {i} của báo cáo nói về việc thu quỹ, làm đường và sinh hoạt chi bộ ở xóm Bến." for i in range(9)
    ]
    written = "\n".join(sentences) + "\n"
    assert full_line_width(written) is None
    width = full_line_width(relayout(written, "wrap70"))
    assert width is not None and 55 <= width <= 70


def test_an_all_caps_heading_run_into_its_text_keeps_its_colon():
    """ "V. TRÁCH NHIỆM … CỦA TẬP THỂ: Là người đứng đầu …" on one line: the colon ends the heading; the sentence opens
    on "Là", not on ": Là" (which read as structural and was left out of the content)."""
    text = (
        "II. HẠN CHẾ, KHUYẾT ĐIỂM: Năm 2025 tôi để 3 văn bản của Ban Thường vụ ban hành chậm.\n"
        "IV. GIẢI TRÌNH VẤN ĐỀ ĐƯỢC GỢI Ý: Đảng ủy gợi ý làm rõ việc 4 công trình sai phép chưa được xử lý.\n"
    )
    assert _content(text) == [
        "Năm 2025 tôi để 3 văn bản của Ban Thường vụ ban hành chậm.",
        "Đảng ủy gợi ý làm rõ việc 4 công trình sai phép chưa được xử lý.",
    ]
