"""The forms' own instructions (nlp/prompts.py, nlp/detect/form_instructions.py)."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest

from nlp.catalog import rules
from nlp.detect.form_instructions import form_instruction_findings
from nlp.doc import Doc, Unit
from nlp.normalize import fold, normalize
from nlp.prompts import INSTRUCTION_KINDS, all_prompts, find_prompts, is_prompt
from nlp.schema import SECTION_IDS

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-samples"


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _texts(text: str) -> list[str]:
    spans = find_prompts(text)
    return [text[s.start : s.end] for s in spans]


def test_catalogue_is_well_formed():
    prompts = all_prompts()
    assert len({p.id for p in prompts}) == len(prompts)
    for prompt in prompts:
        assert prompt.kind in INSTRUCTION_KINDS | {"item", "placeholder"}
        assert prompt.section is None or prompt.section in SECTION_IDS
        assert prompt.forms
    rule = rules()["input.form_instructions"]
    assert rule["category"] == "input" and rule["severity"] in {"low", "medium"}
    assert "{phrase}" in rule["vi"] and "{phrase}" in rule["en"]


# Written for the test, in the style of a 2025 guide page: a lead-in, then the writer's content on one line.
RUN_IN = (
    "2. Việc thực hiện nhiệm vụ, quyền hạn và kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm, "
    "gắn với hiệu quả, tiến độ, chất lượng công việc. Có thể dựa trên các tiêu chí sau: Năm nay tôi thụ lý "
    "41 hồ sơ đăng ký đất đai, trả đúng hạn 39 hồ sơ."
)


def test_prompt_then_content_on_one_line_ends_where_the_prompt_ends():
    spans = find_prompts(RUN_IN)
    assert [s.prompt_id for s in spans] == ["item.duties_2025", "guide.criteria"]
    item, lead_in = spans
    assert RUN_IN[item.start : item.end].startswith("2. Việc thực hiện nhiệm vụ")
    assert RUN_IN[item.start : item.end].endswith("chất lượng công việc.")
    assert item.section == "duties" and item.kind == "item"
    assert RUN_IN[lead_in.start : lead_in.end] == "Có thể dựa trên các tiêu chí sau:"
    assert RUN_IN[lead_in.end :].strip().startswith("Năm nay tôi thụ lý")


def test_without_diacritics_and_run_together():
    plain = _strip_marks(RUN_IN)
    assert [s.prompt_id for s in find_prompts(plain)] == ["item.duties_2025", "guide.criteria"]
    squeezed = "Co the dua tren cac tieu chi sau:Toi tra cham 2 ho so. Tu tim ra nguyen nhancua nhung han che,khuyet diem vua neu."
    ids = [s.prompt_id for s in find_prompts(squeezed)]
    assert ids == ["guide.criteria", "instruction.find_causes"]
    assert squeezed[find_prompts(squeezed)[0].end :].startswith("Toi tra cham")


@pytest.mark.parametrize(
    ("text", "prompt_id", "section"),
    [
        # HD 43 (2025) individual forms
        (
            "1. Về phẩm chất chính trị, đạo đức, lối sống; tinh thần đoàn kết, thống nhất trong nội bộ; ý thức tổ "
            "chức kỷ luật, trách nhiệm nêu gương, việc thực hiện những điều đảng viên không được làm; tác phong, "
            "lề lối làm việc.",
            "item.ideology_2025",
            "ideology_ethics",
        ),
        ("Liên hệ các biểu hiện về suy thoái, “tự diễn biến”, “tự chuyển hóa”.", "item.relate_degradation", None),
        (
            "2. Việc thực hiện quyền và nghĩa vụ của đảng viên theo các nhiệm vụ chính trị được cấp uỷ, chi bộ "
            "phân công.",
            "item.duties_outside_system",
            "duties",
        ),
        ("Tự xác định nguyên nhân của những hạn chế, khuyết điểm đã nêu.", "instruction.find_causes", "causes"),
        (
            "Kiểm điểm rõ từng hạn chế, khuyết điểm (đã khắc phục; đang khắc phục; chưa khắc phục); những khó "
            "khăn, vướng mắc (nếu có); trách nhiệm của cá nhân.",
            "instruction.previous_remediation",
            "previous_remediation",
        ),
        (
            "Giải trình từng vấn đề được gợi ý kiểm điểm, nêu nguyên nhân, xác định trách nhiệm của cá nhân đối "
            "với từng vấn đề được gợi ý kiểm điểm.",
            "instruction.suggested_issues",
            "suggested_issues",
        ),
        (
            "Trên cơ sở cụ thể hóa khung tiêu chí đánh giá đối với đảng viên không làm việc trong hệ thống chính "
            "trị được quy định tại Phụ lục 5, cá nhân tự đánh giá, chấm điểm theo các tiêu chí được cụ thể hóa "
            "như sau:",
            "instruction.scoring_lead_in",
            "self_rating",
        ),
        ("Nhóm tiêu chí chung: ……/30 điểm", "blank.score", "self_rating"),
        (
            "Tự nhận mức xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ; Hoàn thành tốt nhiệm vụ; Hoàn thành "
            "nhiệm vụ; Không hoàn thành nhiệm vụ.",
            "options.rating",
            "self_rating",
        ),
        # HD 25 (2023) forms
        (
            "2. Việc thực hiện chức trách, nhiệm vụ được giao (kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao "
            "trong năm).",
            "item.duties_2023",
            "duties",
        ),
        ("(Theo 3 nội dung nêu trên)", "instruction.shortcomings_by_parts", "shortcomings"),
        # guide pages' lead-ins and placeholders
        ("Điền các thông tin cơ bản: Họ và tên, Ngày sinh, Chi bộ.", "guide.fill_basic", "header"),
        ("(Tham khảo Phụ lục 3 Quy định 366-QĐ/TW về các biểu hiện suy thoái.)", "guide.reference", None),
        ("(Tên hạn chế số 2 năm trước)", "blank.bracketed", None),
        ("Gợi ý viết:", "guide.suggested_wording", None),
    ],
)
def test_prompts_of_both_regimes(text, prompt_id, section):
    for variant in (text, _strip_marks(text)):
        spans = find_prompts(variant)
        found = [s for s in spans if s.prompt_id == prompt_id]
        assert found, (prompt_id, variant)
        if section is not None:
            assert found[0].section == section
    assert is_prompt(text), text


def test_headings_are_not_prompts():
    for heading in (
        "II. HẠN CHẾ, KHUYẾT ĐIỂM",
        "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)",
        "2. Nguyên nhân của hạn chế, khuyết điểm",
        "VII. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG",
        "Tự nhận mức xếp loại: Hoàn thành tốt nhiệm vụ.",
        "Nhóm tiêu chí chung: 27/30 điểm",
    ):
        assert not [s for s in find_prompts(heading) if s.kind != "placeholder"], heading
        assert not is_prompt(heading), heading


@pytest.mark.parametrize(
    "sentence",
    [
        "Tôi không có biểu hiện suy thoái, “tự diễn biến”, “tự chuyển hóa”; giữ vững lập trường chính trị.",
        "Chi bộ đã xây dựng bộ tiêu chí đánh giá đảng viên gồm 12 tiêu chí, áp dụng từ tháng 3/2025.",
        "Tôi đã dựa trên các tiêu chí của Phòng để chấm điểm 14 sáng kiến, nộp đúng hạn ngày 20/10.",
        "Nguyên nhân chủ quan là tôi chưa lập lịch theo dõi hồ sơ; nguyên nhân khách quan là phần mềm lỗi 2 tuần.",
        "Tôi tự xếp loại hoàn thành tốt nhiệm vụ vì còn trả chậm 2 hồ sơ.",
        "Giải trình vấn đề được gợi ý: khoản tạm ứng 85 triệu đồng đã thu 60 triệu ngày 15/11.",
    ],
)
def test_content_that_mentions_the_words_is_not_a_prompt(sentence):
    assert not is_prompt(sentence)
    assert not [s for s in find_prompts(sentence) if s.kind in INSTRUCTION_KINDS]


def test_prompt_then_content_is_not_a_whole_prompt():
    assert is_prompt("Có thể dựa trên các tiêu chí sau:")
    assert not is_prompt(RUN_IN)


def test_fast_on_a_long_report():
    text = (RUN_IN + "\n" + "Tôi thực hiện 12 cuộc kiểm tra, lập 3 biên bản trong quý II/2025.\n" * 60) * 3
    folded = fold(text)
    find_prompts(text, folded)
    started = time.perf_counter()
    for _ in range(5):
        find_prompts(text, folded)
    assert (time.perf_counter() - started) / 5 < 0.05  # a few ms; generous for shared CI machines


def _unit(text: str, start: int, kind: str, section: str | None, structural: bool) -> Unit:
    return Unit(start, start + len(text), section, structural, kind, text, fold(text))


def _doc(parts: list[tuple[str, str, str | None, bool]]) -> Doc:
    text, units, offset = "", [], 0
    for part, kind, section, structural in parts:
        units.append(_unit(part, offset, kind, section, structural))
        text += part + "\n"
        offset = len(text)
    doc = Doc(text=text)
    doc.units = units
    return doc


def test_one_finding_on_the_first_prompt_unit():
    doc = _doc(
        [
            ("1. Về tư tưởng chính trị", "heading", "ideology_ethics", True),
            ("Có thể dựa trên các tiêu chí sau:", "prompt", "ideology_ethics", True),
            ("Tôi dự đủ 12/12 kỳ sinh hoạt chi bộ.", "content", "ideology_ethics", False),
            ("Tự tìm ra nguyên nhân của những hạn chế, khuyết điểm vừa nêu.", "prompt", "causes", True),
            ("Nhóm tiêu chí chung: …/30", "prompt", "self_rating", True),
        ]
    )
    findings = form_instruction_findings(doc, "vi")
    assert len(findings) == 1
    finding = findings[0]
    assert finding.rule == "input.form_instructions" and finding.category == "input"
    assert (finding.start, finding.end) == (doc.units[1].start, doc.units[1].end)
    assert finding.sentence == 1 and finding.section == "ideology_ethics"
    assert "3 đoạn" in finding.message
    assert "3 passages" in form_instruction_findings(doc, "en")[0].message


def test_no_finding_without_instructions():
    clean = _doc(
        [
            ("II. HẠN CHẾ, KHUYẾT ĐIỂM", "heading", "shortcomings", True),
            ("Tôi trả chậm 6 hồ sơ trong tháng 7 do không theo dõi sổ hẹn.", "content", "shortcomings", False),
        ]
    )
    assert form_instruction_findings(clean) == []
    # an item title of the form kept as a heading is normal: not a sign of a copied template
    item_only = _doc(
        [
            (
                "3. Việc thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu của cá nhân theo quy định.",
                "prompt",
                "commitments",
                True,
            ),
            ("Tôi hoàn thành 3/3 nội dung cam kết đầu năm.", "content", "commitments", False),
        ]
    )
    assert form_instruction_findings(item_only) == []


def test_falls_back_to_the_text_when_no_unit_is_marked():
    doc = _doc(
        [
            ("Có thể dựa trên các tiêu chí sau: Tôi dự đủ 12/12 kỳ sinh hoạt.", "content", "ideology_ethics", False),
        ]
    )
    findings = form_instruction_findings(doc)
    assert len(findings) == 1 and findings[0].start == 0 and findings[0].sentence == 0


# ---- the real published samples (read from ../shared, never copied into the repository) ----------------
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-samples is absent")


def _sentences(text: str) -> list[str]:
    """Rough sentence units for the test: split lines at '. ' and ': ' boundaries."""
    import re

    units = []
    for line in text.split("\n"):
        units.extend(p.strip() for p in re.split(r"(?<=[.:;])\s+(?=[A-ZĐÀ-Ỹ\-])", line) if p.strip())
    return units


@needs_real
@pytest.mark.parametrize("name", ["p04", "p05", "p06", "p07"])
def test_real_samples_prompts_found(name):
    text = normalize((REAL / f"{name}.txt").read_text(encoding="utf-8"))
    spans = find_prompts(text)
    ids = {s.prompt_id for s in spans}
    # the guide's lead-ins, the III/IV instructions, the scoring blanks and the rating options
    assert {"instruction.previous_remediation", "instruction.suggested_issues", "blank.score"} <= ids
    assert "options.rating" in ids
    assert ids & {"guide.criteria", "instruction.find_causes"}
    assert "item.ideology_2025" in ids
    doc = Doc(text=text)
    assert len(form_instruction_findings(doc)) == 1
    # most content sentences are not prompts
    sentences = [s for s in _sentences(text) if len(s) > 40]
    prompts = [s for s in sentences if is_prompt(s)]
    assert len(sentences) - len(prompts) >= 0.75 * len(sentences)
    content_like = [s for s in sentences if s.startswith(("- ", "Thực hiện", "Bản thân", "Tham gia", "Chưa"))]
    assert content_like and not [s for s in content_like if is_prompt(s)]


@needs_real
def test_real_report_filled_by_a_writer_has_no_instructions():
    text = normalize((REAL / "q001.txt").read_text(encoding="utf-8"))
    assert not [s for s in find_prompts(text) if s.kind in INSTRUCTION_KINDS]
