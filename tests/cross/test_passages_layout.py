"""The passages the checks read are the same sentences however the report is laid out (pasted as one paragraph, a
PDF's text with page numbers between its lines)."""

from __future__ import annotations

import re
from pathlib import Path

from nlp import analyze
from nlp.cross.passages import flat_text, passages
from nlp.cross.responsibility import shortcomings
from nlp.layout import page_marks
from nlp.relayout import one_line, relayout

LINKED_COLLECTIVE = Path(__file__).resolve().parents[2] / "corpus" / "linked" / "L01" / "2025" / "tap-the.txt"
COLLECTIVE = """ĐẢNG BỘ XÃ TÂN LẬP
CHI BỘ TRƯỜNG TIỂU HỌC TÂN LẬP
BÁO CÁO KIỂM ĐIỂM TẬP THỂ CHI BỘ NĂM 2025

Phần I – Ưu điểm, kết quả đạt được
1. Chi bộ lãnh đạo nhà trường hoàn thành 18/20 chỉ tiêu năm học 2024 - 2025.
Phần II – Hạn chế, khuyết điểm và nguyên nhân
1. Hạn chế, khuyết điểm
a) Tỷ lệ học sinh lớp 5 đạt chuẩn đọc hiểu mới 82%, thấp hơn chỉ tiêu 90% (lĩnh vực do đồng chí Phó Hiệu trưởng phụ trách).
b) Bếp ăn bán trú bị Trạm Y tế nhắc nhở 2 lần vì lưu mẫu thức ăn không đủ 24 giờ.
2. Nguyên nhân
Chi ủy chưa kiểm tra thường xuyên việc thực hiện các nghị quyết chuyên đề.
"""


def _items(text: str) -> list[str]:
    return [item.passage.text for item in shortcomings(passages("t.txt", analyze(text)))]


def test_a_part_s_heading_is_not_read_into_its_first_item_when_the_report_is_one_paragraph():
    as_written, pasted = _items(COLLECTIVE), _items(one_line(COLLECTIVE))
    assert [t.split()[0] for t in as_written] == ["Tỷ", "Bếp"]
    assert len(pasted) == 2 and pasted[0].startswith("Tỷ lệ học sinh lớp 5")  # not "1. Hạn chế, khuyết điểm a) Tỷ …"


NUMBERED = """CHI BỘ THÔN KHE MÂY
BÁO CÁO KIỂM ĐIỂM TẬP THỂ CHI BỘ NĂM 2025

I. Ưu điểm, kết quả đạt được
1. Chi bộ sinh hoạt đủ 12/12 kỳ, thôn giữ danh hiệu khu dân cư văn hóa.
II. Hạn chế, khuyết điểm và nguyên nhân
1. Hạn chế, khuyết điểm
1. Quỹ làm đường bê tông xóm Cọ mới thu được 96/140 triệu đồng, còn 23 hộ chưa đóng.
2. Cống thoát nước đầu xóm Trại bị lấp từ tháng 8/2025 mà thôn chưa nạo vét.
- Tổ tự quản môi trường ngừng thu gom rác từ tháng 10.
2. Nguyên nhân
Chi ủy chưa kiểm tra thường xuyên việc thực hiện các nghị quyết chuyên đề.
"""


def test_an_item_s_list_marker_run_into_a_paragraph_is_left_out_of_its_sentence():
    """A part pasted as one paragraph keeps each item's marker in the analysis's sentence ("… chưa đóng. 2. Cống
    …"): the checks read the item from its first word, as when it opens a line, so that its quote and offsets do
    not carry the marker."""
    text = one_line(NUMBERED)
    found = shortcomings(passages("t.txt", analyze(text)))
    assert [item.passage.text for item in found] == _items(NUMBERED)
    assert [item.passage.text.split()[0] for item in found] == ["Quỹ", "Cống", "Tổ"]
    assert all(text[item.passage.start : item.passage.end] == item.passage.text for item in found)


def test_a_page_number_between_two_lines_of_a_sentence_is_left_out_of_its_reading():
    assert flat_text("Trong năm còn 37 hồ sơ bị trả lại,\n2\ntập trung ở các dự án") == (
        "Trong năm còn 37 hồ sơ bị trả lại, tập trung ở các dự án"
    )
    assert flat_text("Đội có\n- 3 -\n12 xe") == "Đội có 12 xe"
    assert flat_text("mới đạt\n2/4 kỳ") == "mới đạt 2/4 kỳ"  # a figure on the sentence's own line stays
    assert flat_text("Một dòng") == "Một dòng"


def test_a_page_number_glued_to_the_next_page_s_first_line_is_left_out_where_the_text_shows_pages():
    """As :mod:`nlp.layout` reads a PDF's text: "2 một phần …" opens a page whose number the extraction glued to
    its first line when the text shows its pages (numbers alone on their lines elsewhere)."""
    lines = [f"Dòng thứ {i} của báo cáo, viết dài cho đủ một dòng của trang giấy in." for i in range(1, 8)]
    text = "\n".join([*lines[:3], "1", *lines[3:], "Nghị quyết chuyên đề mới thực hiện được", "2 một phần: sổ điểm"])
    start = text.index("Nghị quyết")
    marks = [(s - start, e - start) for s, e in page_marks(text) if s >= start]
    assert flat_text(text[start:], marks) == "Nghị quyết chuyên đề mới thực hiện được một phần: sổ điểm"
    assert flat_text("Đội có\n2 xe") == "Đội có 2 xe"  # no page in view: a figure


def _copied_from_a_viewer(text: str) -> str:
    """A PDF's text as a viewer's copy gives it: the lines that open in small letters after an unfinished line are
    joined to it, the other breaks kept, so the text no longer looks hard-wrapped to the layout stage."""
    out: list[str] = []
    for line in text.split("\n"):
        if out and line.strip()[:1].islower() and not out[-1].rstrip().endswith((".", ":", ";", "!", "?")):
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line)
    return "\n".join(out)


def test_a_sentence_the_analysis_cut_where_a_pdf_broke_its_line_is_one_passage():
    """A PDF's text copied half unwrapped keeps some of a paragraph's line breaks; the analysis starts a sentence at
    those where the line before ends on a colon and the line after opens in small letters ("… đạt 68% kế
    hoạch:⏎còn 41 hộ …"): the checks read one shortcoming, not two."""
    text = _copied_from_a_viewer(relayout(LINKED_COLLECTIVE.read_text(encoding="utf-8"), "pdf"))
    assert "kế hoạch:\ncòn 41 hộ" in text
    items = _items(text)
    assert any("68% kế hoạch" in item and "còn 41 hộ" in item for item in items)
    assert not any(item.startswith("còn 41 hộ") for item in items)


def test_a_numbered_line_cut_by_a_pdf_s_line_break_goes_on_into_the_sentence_after_it():
    """ "4. Giải ngân … đến ngày 30/11/2025 mới đạt" alone on its line of a PDF's text copied half unwrapped reads as
    a numbered heading; the figure that opens the next line goes on its sentence, which is one shortcoming."""
    collective = LINKED_COLLECTIVE.parents[2] / "L12" / "2025" / "tap-the.txt"
    text = _copied_from_a_viewer(relayout(collective.read_text(encoding="utf-8"), "pdf"))
    assert re.search(r"mới\s+đạt[ \t]*\n[ \t]*61,4%", text)  # the break the PDF kept
    assert any("mới đạt" in item and "61,4%" in item for item in _items(text))


COUNTED_IN_WORDS = """CHI BỘ TRƯỜNG TIỂU HỌC ĐỒNG LỆ
BÁO CÁO KIỂM ĐIỂM TẬP THỂ CHI BỘ NĂM 2025

I. Ưu điểm, kết quả đạt được
Chi bộ lãnh đạo nhà trường hoàn thành 18/20 chỉ tiêu năm học, duy trì sĩ số ở cả điểm trường chính và điểm trường \
Bản Chài, không có học sinh bỏ học; 97,5% học sinh hoàn thành chương trình lớp học, 71/71 học sinh lớp 5 hoàn thành \
chương trình tiểu học; tổ chức đủ 12 kỳ sinh hoạt chi bộ thường kỳ và 4 kỳ chuyên đề, kết nạp 1 đảng viên mới, giới \
thiệu 2 quần chúng ưu tú đi học lớp bồi dưỡng nhận thức về Đảng; phối hợp với Ban đại diện cha mẹ học sinh vận động \
được 46 bộ bàn ghế, 120 bộ sách giáo khoa cho học sinh khó khăn ở thôn Bản Chài và thôn Khuổi Mằn.
II. Hạn chế, khuyết điểm: Năm 2025 Chi bộ còn những hạn chế sau. Một là, chất lượng đọc, viết của học sinh lớp 1 ở \
điểm trường Bản Chài thấp: 8/28 em chưa đọc thông. Hai là, sinh hoạt chuyên môn ở tổ khối 4–5 chỉ thực hiện được 5/9 \
chuyên đề. Ba là, tiền hỗ trợ ăn trưa cho 43 học sinh điểm trường Bản Chài chậm gần 3 tháng.
III. Nguyên nhân
Chi ủy chưa kiểm tra thường xuyên.
"""


def test_a_list_counted_in_words_gives_its_items_however_the_text_is_laid_out():
    """ "Một là, … Hai là, … Ba là, …" in one paragraph: each opens an item, as a list marker does, also where a PDF's
    line breaks fall elsewhere; the sentence that only announces the list ("… còn những hạn chế sau.") is none."""
    for layout in ("as_written", "wrap70", "pdf"):
        text = COUNTED_IN_WORDS if layout == "as_written" else relayout(COUNTED_IN_WORDS, layout)
        items = [" ".join(t.split()) for t in _items(text)]
        assert [t.split(",")[0] for t in items] == ["Một là", "Hai là", "Ba là"], layout


def test_an_item_counted_in_words_opens_wherever_the_line_breaks_fall():
    """In a hard-wrapped text a sentence opening a line after a full one opens no item, and one in the middle of a line
    opens none without a list marker; "Hai là, …", "Thứ ba: …" open theirs either way."""
    from nlp.cross.passages import _opens_line

    full_line = "Một là, chất lượng đọc, viết của học sinh lớp 1 ở điểm trường Bản Chài thấp"
    text = f"{full_line}\nvà chưa đạt. Hai là, sinh hoạt chuyên môn chỉ được 5/9 chuyên đề theo kế hoạch của\nBa là, tiền ăn"
    width = int(0.88 * len(full_line))  # the width a line of the wrapped text counts as full from
    assert _opens_line(text, text.index("Hai là"), width)
    assert _opens_line(text, text.index("Ba là"), width)
    plain = text.replace("Hai là, sinh", "Sinh").replace("Ba là, tiền", "Tiền")
    assert not _opens_line(plain, plain.index("Sinh hoạt"), width)
    assert not _opens_line(plain, plain.index("Tiền ăn"), width)
    assert _opens_line("Đã nêu trên. Thứ ba: chậm chi trả.", 13, None)
