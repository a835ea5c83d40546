"""The HTML page and the terminal view: standalone, escaped, lossless, labelled, and 80 columns wide."""

from __future__ import annotations

import io
import re
from html import escape
from html.parser import HTMLParser

import pytest
from rich.console import Console

from nlp import analyze
from nlp.catalog import label
from nlp.render import render_html, render_terminal
from nlp.schema import Accountability, AnalysisResult, ConfigInfo, Finding, Scores, Section, Sentence
from tests.conftest import EXAMPLES, make_report

WEAK_EXAMPLE = EXAMPLES / "02a-ngan-hang-yeu.txt"
FLAGGED = "Nhìn chung bản thân không có khuyết điểm gì đáng kể."
CLEAN = "Trong năm tôi thẩm định và giải ngân 57 hồ sơ vay mới với tổng số tiền 9,4 tỷ đồng."
HOSTILE = 'Tôi <script>alert("x")</script> & \'trích\' "dẫn" <img src=x onerror=alert(1)> </div></aside> &amp; đủ.'
ANSI = re.compile(r"\x1b\[")


class _Page(HTMLParser):
    """Collects the report text (text nodes of ``#report-text`` outside ``aside.notes``) and the sentence spans."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.report_depth: int | None = None
        self.aside_depth: int | None = None
        self.text: list[str] = []
        self.sentences: list[dict[str, str | None]] = []
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.html_lang: str | None = None
        self.in_summary = 0
        self.summary_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        for name in ("src", "href", "action", "data", "poster"):
            if attributes.get(name) is not None:
                self.urls.append(attributes[name] or "")
        if tag in self.VOID:
            return
        self.stack.append((tag, attributes))
        depth = len(self.stack)
        if attributes.get("id") == "report-text":
            self.report_depth = depth
        if attributes.get("id") == "report-findings":
            self.in_summary = depth
        if tag == "aside" and self.report_depth and self.aside_depth is None:
            self.aside_depth = depth
        if tag == "span" and "s" in (attributes.get("class") or "").split() and self.aside_depth is None:
            self.sentences.append({**attributes, "_offset": str(len("".join(self.text)))})

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        depth = len(self.stack)
        assert self.stack and self.stack[-1][0] == tag, f"unbalanced </{tag}> at {self.getpos()}"
        if self.aside_depth == depth:
            self.aside_depth = None
        if self.report_depth == depth:
            self.report_depth = None
        if self.in_summary == depth:
            self.in_summary = 0
        self.stack.pop()

    def handle_data(self, data):
        if self.report_depth and self.aside_depth is None:
            self.text.append(data)
        if self.in_summary:
            self.summary_text.append(data)


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def weak() -> AnalysisResult:
    return analyze(WEAK_EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def weak_page(weak) -> str:
    return render_html(weak)


def _sentence_attrs(parsed: _Page, result: AnalysisResult, snippet: str) -> dict:
    start = result.text.index(snippet)
    for attributes in parsed.sentences:
        if int(attributes["data-start"]) <= start < int(attributes["data-end"]):
            return attributes
    raise AssertionError(f"no sentence element covers {snippet!r}")


def _expected_categories(result: AnalysisResult, start: int) -> set[str]:
    index = next(i for i, s in enumerate(result.sentences) if s.start <= start < s.end)
    return set(result.sentences[index].labels) | {f.category for f in result.findings if f.sentence == index}


# ---------------------------------------------------------------------------------------------- HTML


def test_page_is_standalone(weak_page):
    parsed = parse(weak_page)
    assert "http://" not in weak_page and "https://" not in weak_page
    assert all(url.startswith("#") for url in parsed.urls), parsed.urls
    assert "link" not in parsed.tags and "iframe" not in parsed.tags
    assert "@import" not in weak_page and "url(" not in weak_page
    assert re.search(r"<script\b[^>]*\bsrc=", weak_page) is None
    assert weak_page.lstrip().lower().startswith("<!doctype html>")


@pytest.mark.parametrize(
    "name",
    ["02a-ngan-hang-yeu.txt", "01-dang-uy-xa-yeu.txt", "02a-cong-an-khong-dau-vua.txt", "2b-chuyen-vien-so-yeu.txt"],
)
def test_body_text_concatenates_back_to_the_report(name):
    result = analyze((EXAMPLES / name).read_text(encoding="utf-8"))
    parsed = parse(render_html(result))
    assert "".join(parsed.text) == result.text
    assert len(parsed.sentences) == len(result.sentences)
    for attributes in parsed.sentences:
        start, end = int(attributes["data-start"]), int(attributes["data-end"])
        assert int(attributes["_offset"]) == start
        assert any(s.start == start and s.end == end for s in result.sentences)


def test_report_text_is_escaped():
    result = analyze(make_report(achievements=HOSTILE))
    page = render_html(result)
    parsed = parse(page)
    assert "<script>alert" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&amp;amp; đủ" in page
    assert "".join(parsed.text) == result.text
    assert parsed.tags.count("script") == 1  # only the page's own script


def test_hostile_header_and_findings_are_escaped():
    text = "ĐẢNG BỘ <b>X</b>\n" + make_report().replace("Lê Văn Kiểm", 'Lê "<Kiểm>" & Co')
    result = analyze(text)
    page = render_html(result)
    assert "<b>X</b>" not in page
    assert 'Lê "<Kiểm>"' not in page
    assert "".join(parse(page).text) == result.text


def test_categories_of_a_flagged_and_a_clean_sentence(weak, weak_page):
    parsed = parse(weak_page)
    flagged = _sentence_attrs(parsed, weak, FLAGGED)
    categories = set(flagged["data-categories"].split())
    assert "evasive" in categories
    assert categories == _expected_categories(weak, weak.text.index(FLAGGED))
    assert "flag" in flagged["class"].split() and "cat-evasive" in flagged["class"].split()
    assert flagged.get("tabindex") == "0"
    clean = _sentence_attrs(parsed, weak, CLEAN)
    assert clean["data-categories"] == ""
    assert "flag" not in clean["class"].split() and clean.get("tabindex") is None


def _synthetic() -> AnalysisResult:
    text = "I. HẠN CHẾ\nCòn để xảy ra sai sót. Tôi nộp muộn 2 báo cáo.\n\nII. KHẮC PHỤC\nSẽ cố gắng."
    flagged = text.index("Còn để")
    clean = text.index("Tôi nộp")
    heading2 = text.index("II.")
    remedy = text.index("Sẽ cố")
    return AnalysisResult(
        text=text,
        sections=[
            Section(id="shortcomings", title="I. HẠN CHẾ", start=0, end=heading2 - 2, heading_end=10),
            Section(id="remedies", title="II. KHẮC PHỤC", start=heading2, end=len(text), heading_end=heading2 + 13),
        ],
        sentences=[
            Sentence(start=0, end=10, section="shortcomings", structural=True, generic=0, evasive=0),
            Sentence(start=flagged, end=clean - 1, section="shortcomings", structural=False, generic=0.2, evasive=0.9, labels=["evasive"]),
            Sentence(start=clean, end=heading2 - 2, section="shortcomings", structural=False, generic=0, evasive=0),
            Sentence(start=heading2, end=heading2 + 13, section="remedies", structural=True, generic=0, evasive=0),
            Sentence(start=remedy, end=len(text), section="remedies", structural=False, generic=0.8, evasive=0.6, labels=["generic"]),
        ],
        findings=[
            Finding(rule="evasive.agentless", category="evasive", severity="high", start=flagged, end=flagged + 13,
                    message="Không rõ ai để xảy ra <sai sót>.", suggestion="Nêu rõ người & việc.", sentence=1, section="shortcomings"),
            Finding(rule="evasive.vague_remedy", category="evasive", severity="medium", start=remedy, end=len(text),
                    message="Biện pháp chung chung.", suggestion="", sentence=4, section="remedies"),
            Finding(rule="consistency.rating_vs_faults", category="consistency", severity="high", start=0, end=5,
                    message="Mâu thuẫn xếp loại.", suggestion="Xem lại.", sentence=None, section=None),
        ],
        accountability=Accountability(status="missing", explanation="Không nhận trách nhiệm."),
        scores=Scores(specificity=40, candor=30, accountability=15, completeness=90, overall=38),
        band="weak",
    )  # fmt: skip


def test_synthetic_result_categories_sections_and_notes():
    result = _synthetic()
    page = render_html(result)
    parsed = parse(page)
    assert "".join(parsed.text) == result.text
    by_start = {int(a["data-start"]): a for a in parsed.sentences}
    assert by_start[result.sentences[1].start]["data-categories"] == "evasive"
    assert by_start[result.sentences[2].start]["data-categories"] == ""
    assert by_start[result.sentences[4].start]["data-categories"] == "generic evasive"
    assert "structural" in by_start[0]["class"].split()
    assert 'data-section="shortcomings"' in page and 'data-section="remedies"' in page
    assert 'data-label="Hạn chế, khuyết điểm"' in page
    # the note of a flagged sentence carries its message and suggestion, escaped
    assert 'id="n-1"' in page and "Không rõ ai để xảy ra &lt;sai sót&gt;." in page
    assert "Nêu rõ người &amp; việc." in page
    # a report-level finding sits in the summary at the top, not beside a sentence
    assert "Mâu thuẫn xếp loại." in "".join(parsed.summary_text)
    assert page.index("Mâu thuẫn xếp loại.") < page.index('id="report-text"')


def test_top_of_page_shows_verdicts(weak, weak_page):
    assert '<html lang="vi">' in weak_page
    assert "Điểm đánh giá" in weak_page and "Trách nhiệm cá nhân" in weak_page
    assert "Yếu" in weak_page and "band-weak" in weak_page
    assert "Mẫu 02A" in weak_page
    for item in weak.score_explanations:
        if item.explanation:
            assert escape(item.explanation) in weak_page
    assert escape(weak.accountability.explanation) in weak_page
    for category in ("Chung chung", "Né tránh", "Trách nhiệm", "Thiếu nội dung", "Mâu thuẫn"):
        assert category in weak_page
    assert weak_page.count('type="checkbox"') >= 5


def test_english_page(weak):
    page = render_html(weak, lang="en")
    assert '<html lang="en">' in page
    assert "Scores (0–100, higher is better)" in page and "Personal responsibility" in page
    assert "Generic" in page and "Evasive" in page and "Weak" in page
    assert "Điểm đánh giá" not in page and "Chung chung" not in page
    assert "".join(parse(page).text) == weak.text


def test_source_notes_and_missing_sections():
    text = (EXAMPLES / "02a-cong-an-khong-dau-vua.txt").read_text(encoding="utf-8")
    result = analyze(text)
    result.source.legacy_font = "TCVN3"
    page = render_html(result)
    assert "TCVN3" in page
    if not result.source.diacritics:
        assert "không dấu" in page
    for section in result.missing_sections:
        assert escape(label("sections", section)) in page


# ------------------------------------------------------------------------------------------ terminal


def _terminal(result: AnalysisResult, width: int = 80, **kwargs) -> str:
    console = Console(width=width, record=True, force_terminal=False, file=io.StringIO())
    render_terminal(result, console, **kwargs)
    return console.export_text()


def test_terminal_fits_80_columns_and_names_things(weak):
    text = _terminal(weak)
    assert max(len(line) for line in text.splitlines()) <= 80
    for expected in ("Phan Quốc Bảo", "Mẫu 02A", "Chung chung", "Né tránh", "Trách nhiệm", "Gợi ý", "Tóm tắt", "Yếu"):
        assert expected in text
    assert "không có khuyết điểm gì đáng kể" in text
    # sections appear in order
    assert text.index("Ưu điểm, kết quả đạt được") < text.index("Hạn chế, khuyết điểm") < text.index("Phần ký tên")


@pytest.mark.parametrize("name", ["01-dang-uy-xa-yeu.txt", "2a-bi-thu-phuong-vua.txt", "2c-huu-tri-khu-pho-tot.txt"])
def test_terminal_other_examples_fit(name):
    result = analyze((EXAMPLES / name).read_text(encoding="utf-8"))
    for width in (60, 80):
        text = _terminal(result, width=width)
        assert max(len(line) for line in text.splitlines()) <= width


def test_terminal_plain_output_has_no_escape_codes(weak):
    buffer = io.StringIO()
    render_terminal(weak, Console(file=buffer, width=80, force_terminal=False))
    output = buffer.getvalue()
    assert output and not ANSI.search(output)
    assert "Chung chung" in output


def test_terminal_english(weak):
    text = _terminal(weak, lang="en")
    assert "Generic" in text and "Summary" in text and "Suggestion" in text
    assert "Tóm tắt" not in text


def test_terminal_synthetic_report_level_finding():
    text = _terminal(_synthetic())
    assert "Mâu thuẫn xếp loại." in text
    assert "Không rõ ai để xảy ra <sai sót>." in text


def test_ingest_notes_are_said_in_vietnamese():
    from nlp.render.common import translate_note

    assert translate_note("converted from TCVN3 (40 lines)", "vi") == "đã chuyển từ phông TCVN3 sang Unicode (40 dòng)"
    assert translate_note("2 tables", "en") == "2 tables"
    assert translate_note("named .docx but holds plain text", "vi") == (
        "tệp mang đuôi .docx nhưng là văn bản thuần (được đọc như tệp .txt)"
    )
    assert translate_note("something new", "vi") == "something new"


def test_terminal_names_the_configuration_in_force_only_when_there_is_one(weak):
    assert "Cấu hình" not in _terminal(weak)
    configured = weak.model_copy(
        update={"config": ConfigInfo(hash="0123456789abcdef", file="/srv/to-chuc/.kiemdiem.yaml")}
    )
    text = _terminal(configured)
    assert "Cấu hình" in text and ".kiemdiem.yaml · 0123456789abcdef" in text and "/srv/to-chuc" not in text
    assert "Configuration" in _terminal(configured, lang="en")
