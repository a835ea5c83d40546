"""Mẫu 2C (members who do not work in the political system) recognised from the content; the opening of a
report pasted on one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.doc import Doc, Line
from nlp.form import OPENING_CHARS, opening_text, outside_system_from_content
from nlp.normalize import fold
from nlp.pipeline import prepare

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-samples"


def _report(body: str, year: int = 2025, posts: str = "") -> str:
    """An individual report with a header that names no post (unless ``posts``) and no role in its title."""
    return (
        f"ĐẢNG BỘ PHƯỜNG HÒA AN\nCHI BỘ SỐ 4\nHòa An, ngày 10 tháng 12 năm {year}\n\n"
        f"BẢN KIỂM ĐIỂM CÁ NHÂN\nNăm {year}\n"
        f"Họ và tên: Trần Thị Mai\n{posts}Chi bộ: Chi bộ số 4\n\n"
        "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\n"
        f"{body}\n"
        "II. HẠN CHẾ, KHUYẾT ĐIỂM\n"
        "Tôi vắng 2 kỳ sinh hoạt chi bộ (tháng 4 và tháng 9) mà không báo trước.\n"
        "VI. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC\n"
        "Từ tháng 1/2026 tôi dự đủ các kỳ sinh hoạt, vắng thì báo bí thư trước 1 ngày.\n"
        "VII. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG\nHoàn thành tốt nhiệm vụ.\n"
    )


STUDENT = (
    "Tôi là sinh viên năm thứ ba ngành Luật, sinh hoạt tại Chi bộ sinh viên Khoa Luật. "
    "Kết quả học tập học kỳ I đạt điểm trung bình 3,4/4; tôi tham gia 2 đợt tình nguyện hè."
)
RETIREE = (
    "Tôi nghỉ hưu từ năm 2019, sinh hoạt tại chi bộ tổ dân phố 5. Năm 2025 tôi vận động 14 hộ "
    "trong khu dân cư đóng góp làm đường ngõ 7."
)
PRIVATE = (
    "Tôi làm việc tại Công ty TNHH May Hòa Bình, phụ trách kho thành phẩm. Năm 2025 tôi tham gia "
    "kiểm kê 4 đợt, không để thất thoát hàng."
)
FREELANCE = "Tôi là lao động tự do, sửa chữa điện dân dụng; năm 2025 tôi sửa miễn phí đèn đường cho 3 tổ dân phố."
UNSAID = (
    "Tôi tham gia đầy đủ sinh hoạt chi bộ nơi cư trú. Tôi nhận phụ trách 12 hộ ở khu dân cư số 3. "
    "Tôi vận động tổ dân phố thu gom rác 2 lần mỗi tuần. Tôi tham gia hòa giải 2 vụ ở nơi cư trú."
)


@pytest.mark.parametrize("body", [STUDENT, RETIREE, PRIVATE, FREELANCE, UNSAID])
def test_member_outside_the_political_system_from_content(body):
    doc = prepare(_report(body))
    assert doc.guidance == "HD43-2025"
    assert (doc.role, doc.form) == ("member_outside_system", "02C")


def test_regime_2023_has_no_2c():
    doc = prepare(_report(RETIREE, year=2024))
    assert doc.guidance == "HD25-2023"
    assert (doc.role, doc.form) == ("member", "02A")


def test_fragment_without_year_or_header():
    text = (
        "Là đảng viên sinh hoạt tại chi bộ khu dân cư, không công tác trong cơ quan nhà nước, tôi tự nhận thấy "
        "còn 2 lần đến muộn buổi sinh hoạt chi bộ. Tôi chưa phát biểu ở 3 kỳ họp. Từ tháng 1/2026 tôi đến đúng giờ."
    )
    doc = prepare(text)
    assert doc.guidance is None
    assert doc.role == "member_outside_system"


def test_teacher_who_mentions_pupils_stays_member():
    body = (
        "Tôi chủ nhiệm lớp 9A có 38 học sinh; 12 học sinh đạt học sinh giỏi cấp huyện. "
        "Tôi giảng dạy đủ 19 tiết mỗi tuần và hướng dẫn 3 sinh viên thực tập sư phạm. "
        "Tôi giữ mối liên hệ với chi ủy nơi cư trú và được chi ủy nơi cư trú nhận xét tốt."
    )
    doc = prepare(_report(body, posts="Chức vụ: Giáo viên\n"))
    assert (doc.role, doc.form) == ("member", "02B")


def test_ward_leader_who_mentions_retirees_stays_leader():
    body = (
        "Là Chủ tịch UBND phường, tôi chỉ đạo 12 tổ dân phố hoàn thành thu gom rác thải. "
        "Tôi phối hợp với Hội cán bộ hưu trí phường và các chi bộ khu dân cư vận động 40 đảng viên nghỉ hưu "
        "tham gia tổ hòa giải ở nơi cư trú. Đảng viên sinh hoạt nơi cư trú được phân công phụ trách hộ."
    )
    doc = prepare(_report(body))
    assert doc.role == "leader" and doc.form == "02A"
    # the same leader with the post in the header
    doc = prepare(_report(body.replace("Là Chủ tịch UBND phường, tôi", "Tôi"), posts="Chức vụ: Chủ tịch UBND\n"))
    assert doc.role == "leader"


def test_content_cues_alone():
    assert outside_system_from_content(fold("Do đã nghỉ hưu nên tôi ít theo dõi văn bản mới."))
    assert outside_system_from_content(fold("Đảng viên không làm việc trong hệ thống chính trị."))
    assert not outside_system_from_content(fold("Tôi vận động 9 hộ kinh doanh nộp thuế đúng hạn."))
    assert not outside_system_from_content(fold("Tôi để 9 hộ kinh doanh nợ thuế quá 90 ngày."))
    assert not outside_system_from_content(fold("Tôi hướng dẫn 20 học sinh ôn thi; phối hợp với cán bộ hưu trí."))


def _doc_of_lines(lines: list[str]) -> Doc:
    text = "\n".join(lines)
    doc = Doc(text=text)
    offset = 0
    for line in lines:
        doc.lines.append(Line(offset, offset + len(line), line, fold(line)))
        offset += len(line) + 1
    return doc


def test_opening_of_a_report_pasted_on_one_line():
    long_line = "BẢN KIỂM ĐIỂM CÁ NHÂN Năm 2025 " + "Tôi tham gia đầy đủ sinh hoạt chi bộ. " * 300
    doc = _doc_of_lines([long_line])
    opening = opening_text(doc)
    assert opening.startswith("ban kiem diem ca nhan nam 2025")
    assert len(opening) <= OPENING_CHARS
    # a normal layout: the first 40 lines as before
    lines = [f"Dòng {i} của phần đầu báo cáo." for i in range(60)]
    doc = _doc_of_lines(lines)
    assert opening_text(doc) == "\n".join(fold(line) for line in lines[:40])


def test_a_scoring_block_at_the_end_of_a_one_line_report_is_not_its_title():
    body = " ".join([RETIREE] * 40)
    text = (
        "BẢN KIỂM ĐIỂM CÁ NHÂN Năm 2025 Họ và tên: Trần Thị Mai. " + body + " Trên cơ sở cụ thể hóa khung tiêu chí"
        " đánh giá đối với cá nhân không giữ chức vụ lãnh đạo, quản lý: …/30 …/70 …/100"
    )
    doc = prepare(text)
    assert doc.role == "member_outside_system"


needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-samples is absent")


@needs_real
@pytest.mark.parametrize(
    ("name", "role", "form"),
    [
        ("p04", "member", "02B"),
        ("p05", "member", "02B"),
        ("p06", "member_outside_system", "02C"),
        ("p07", "member_outside_system", "02C"),
        ("p01", "member_outside_system", "02C"),
        ("q004", "member_outside_system", "02C"),
    ],
)
def test_real_samples_form_and_role(name, role, form):
    doc = prepare((REAL / f"{name}.txt").read_text(encoding="utf-8"))
    assert (doc.role, doc.form) == (role, form)
