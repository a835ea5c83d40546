"""Legacy fonts: TCVN3 and VNI are detected by score and converted; Unicode Vietnamese never is."""

from __future__ import annotations

import unicodedata

import pytest
from ingest_builders import (
    PARAGRAPHS,
    REPORT,
    dejavu_font,
    docx_bytes,
    legacy_bytes,
    para,
    pdf_bytes,
    run,
    to_legacy,
)

from nlp.ingest import legacy, read_bytes

NFC_REPORT = unicodedata.normalize("NFC", REPORT)

UNICODE_SAMPLES = [
    "Đồng chí Nguyễn Văn Hùng, Bí thư Chi bộ, đã nêu rõ những ưu điểm và khuyết điểm của tập thể; võ đoán là sai.",
    "Ðảng viên phải gương mẫu, ðoàn kết; ðồng chí Lê Thị Hoa ðã hoàn thành tốt nhiệm vụ (chữ Ð gõ nhầm từ Eth).",
    "Kết quả: đạt 95% ¸ vượt kế hoạch; «Chỉ thị số 05» © Ban Tuyên giáo · năm 2024 — § 3 điều lệ ® µ.",
    "HOÀ BÌNH, THUỶ LỢI, KHOẺ MẠNH\nI. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC\nII. HẠN CHẾ, KHUYẾT ĐIỂM",
    unicodedata.normalize("NFD", PARAGRAPHS[0] + " " + PARAGRAPHS[1]),
    "Dong chi Nguyen Van A da hoan thanh tot nhiem vu duoc giao nam 2024, khong co vi pham.",
    "· Hoàn thành chỉ tiêu\n· Sinh hoạt đủ 12/12 kỳ\n· Không vi phạm\n· Tham gia đầy đủ «học tập nghị quyết»\n· Góp ý thẳng thắn",
    "Bà Nguyễn Thị Lan – cán bộ y tế; ông Trần Văn Õ (tên riêng) và bà Hồ Thị Ñ?? — tên nước ngoài: Müller, Ørsted, Ñuñez.",
    REPORT,
]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("text", UNICODE_SAMPLES, ids=[f"sample{i}" for i in range(len(UNICODE_SAMPLES))])
def test_unicode_vietnamese_is_never_converted(text: str) -> None:
    assert legacy.detect(text) is None
    result = read_bytes(text.encode("utf-8"), "bao-cao.txt")
    assert result.text == text
    assert result.legacy_font is None


def test_all_unicode_samples_together_are_not_converted() -> None:
    text = "\n".join(UNICODE_SAMPLES)
    assert legacy.detect(text) is None


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_8bit_file_is_detected_and_converted(read, encoding: str) -> None:
    data = legacy_bytes(REPORT, encoding)
    result = read(data)
    assert result.legacy_font == encoding
    assert result.encoding == encoding
    assert result.text == NFC_REPORT
    assert any(note.startswith(f"converted from {encoding.upper()}") for note in result.notes)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_text_saved_as_utf8_mojibake(read, encoding: str) -> None:
    data = to_legacy(REPORT, encoding).encode("utf-8")
    result = read(data)
    assert result.encoding == "utf-8"
    assert result.legacy_font == encoding
    assert result.text == NFC_REPORT


def test_detection_scores() -> None:
    tcvn3 = legacy.score(to_legacy(REPORT, "tcvn3"))
    vni = legacy.score(to_legacy(REPORT, "vni"))
    unicode = legacy.score(REPORT)
    assert tcvn3.tcvn3 > tcvn3.vni and tcvn3.unicode_only == 0
    assert vni.vni > 0 and vni.tcvn3 == 0
    assert unicode.tcvn3 == unicode.vni == 0 and unicode.unicode_only > 20


def test_short_legacy_fragments_are_left_alone() -> None:
    assert legacy.detect(to_legacy("Chi bộ", "tcvn3")) is None  # too little to judge


def test_vni_bang_with_hook_breve_round_trips() -> None:
    text = "Mặt bằng phẳng, sẵn sàng; Đà Nẵng và Cần Thơ. ẲNG"
    assert legacy.convert(to_legacy(text, "vni"), "vni") == text


def test_unicode_lines_inside_legacy_text_are_kept() -> None:
    text = to_legacy(PARAGRAPHS[0], "tcvn3") + "\n" + PARAGRAPHS[1] + "\n" + to_legacy(PARAGRAPHS[2], "tcvn3")
    result = read_bytes(text.encode("utf-8"))
    assert result.legacy_font == "tcvn3"
    assert result.text.split("\n") == [_nfc(p) for p in PARAGRAPHS[:3]]


def test_forcing_tcvn3_on_unicode_would_corrupt_it() -> None:
    # Why detection comes first: the explicit table mangles genuine Unicode.
    assert legacy.convert("cá nhân", "tcvn3") != "cá nhân"


@pytest.mark.parametrize(
    ("font", "encoding"),
    [(".VnTime", "tcvn3"), ("VNI-Times", "vni"), ("ABCDEF+.VnArial", "tcvn3"), ("Times New Roman", None), (None, None)],
)
def test_font_names(font: str | None, encoding: str | None) -> None:
    assert legacy.font_encoding(font) == encoding


def test_docx_runs_in_legacy_fonts_are_converted_by_font() -> None:
    body = (
        para(run(to_legacy("Họ và tên: ", "tcvn3"), font=".VnTime"), run("Nguyễn Văn An", font="Times New Roman"))
        + para(run(to_legacy("ưu điểm, kết quả", "tcvn3"), font=".VnTimeH"))
        + para(run(to_legacy("Bản kiểm điểm cá nhân", "vni"), font="VNI-Times"))
        + para(run("cá nhân", font="Times New Roman"))
    )
    result = read_bytes(docx_bytes(body), "bao-cao.docx")
    assert result.text.split("\n") == [
        "Họ và tên: Nguyễn Văn An",
        "ƯU ĐIỂM, KẾT QUẢ",
        "Bản kiểm điểm cá nhân",
        "cá nhân",
    ]
    assert result.legacy_font == "tcvn3"
    assert any("TCVN3" in note for note in result.notes) and any("VNI" in note for note in result.notes)


def test_docx_legacy_font_from_the_normal_style() -> None:
    styles = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr></w:style></w:styles>'
    )
    body = "".join(para(to_legacy(p, "tcvn3")) for p in PARAGRAPHS[:2])
    result = read_bytes(docx_bytes(body, styles_xml=styles))
    assert result.text.split("\n") == [_nfc(p) for p in PARAGRAPHS[:2]]
    assert result.legacy_font == "tcvn3"


def test_docx_legacy_text_without_font_evidence_is_caught_by_the_heuristic() -> None:
    body = "".join(para(run(to_legacy(p, "vni"), font="Times New Roman")) for p in PARAGRAPHS)
    result = read_bytes(docx_bytes(body))
    assert result.text == NFC_REPORT
    assert result.legacy_font == "vni"


def test_docx_unicode_with_edge_characters_is_not_converted() -> None:
    body = "".join(para(text) for text in UNICODE_SAMPLES[:4])
    result = read_bytes(docx_bytes(body))
    assert result.text == "\n".join(UNICODE_SAMPLES[:4])
    assert result.legacy_font is None


def test_pdf_with_legacy_glyph_codes_is_converted() -> None:
    font = dejavu_font()
    if font is None:
        pytest.skip("no Unicode TTF font on this machine")
    # A .VnTime PDF shows TCVN3's ư (0xAD, the soft-hyphen slot) as U+2212; fpdf2 would drop a soft hyphen.
    surface = to_legacy(REPORT, "tcvn3").replace("\u00ad", "\u2212")
    result = read_bytes(pdf_bytes([surface], font=font))
    assert result.legacy_font == "tcvn3"
    assert " ".join(result.text.split()) == " ".join(NFC_REPORT.split())
