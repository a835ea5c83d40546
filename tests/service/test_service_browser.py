"""The reviewers' page in a real browser (Debian chromium driven by playwright), against `kiemdiem serve`.

Skipped, with the reason, only when /usr/bin/chromium is absent (``.ci/install-browser.sh`` installs it).
Set ``KIEMDIEM_SCREENSHOT=docs/screenshots/service.png`` to save the screenshot the docs show.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from service_support import DOCX_EVASIVE, DOCX_FACT, EXAMPLES, PNG, ROOT, WEAK_REPORT, small_report_docx

from nlp import AnalysisResult

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is absent (run .ci/install-browser.sh)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (.ci/install-browser.sh)")

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAIN = {"generic", "evasive", "accountability", "completeness", "consistency"}
WEAK = "02a-ngan-hang-yeu.txt"
DOCX = EXAMPLES / "02b-truong-phong-bang-so-lieu.docx"
EXPECT = yaml.safe_load((EXAMPLES / "expectations.yaml").read_text(encoding="utf-8"))[WEAK]

SENTENCES_JS = """() => Array.from(document.querySelectorAll('#report .s')).map(s => ({
  id: s.id, text: s.textContent, cats: (s.getAttribute('data-categories') || '').split(' ').filter(Boolean),
  show: s.getAttribute('data-show'), off: s.classList.contains('off')}))"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _serve(tmp_path_factory, **env_extra: str):
    """``kiemdiem serve`` in a subprocess on a free loopback port; yields (base URL, path of its log)."""
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIEMDIEM_")}
    env.update(env_extra)
    token = env_extra.get("KIEMDIEM_API_TOKEN")
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "nlp.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"kiemdiem serve exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                request = urllib.request.Request(base + "/v1/health", headers=auth)
                with urllib.request.urlopen(request, timeout=2) as response:
                    if json.load(response)["ready"]:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("kiemdiem serve did not start")
        yield base, log
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with _serve(tmp_path_factory) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, server):
    base, _ = server
    context = browser.new_context(viewport={"width": 1366, "height": 1000}, accept_downloads=True, locale="vi-VN")
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.goto(base + "/")
    tab.wait_for_selector("body[data-ready=true]")
    yield tab
    assert tab.errors == []
    outside = [url for url in tab.requests if not url.startswith((base + "/", "blob:", "data:"))]
    assert outside == [], "the page fetched something from outside the app"
    context.close()


def _sentences(page) -> list[dict]:
    return page.evaluate(SENTENCES_JS)


def _find(sentences: list[dict], fragment: str) -> dict:
    matches = [s for s in sentences if fragment in s["text"]]
    assert len(matches) == 1, f"{fragment!r} is in {len(matches)} sentences"
    return matches[0]


def _wait_for_result(page) -> None:
    page.wait_for_selector("#results:not([hidden]) #report .s")
    page.wait_for_function("() => document.querySelector('#analyze-btn').disabled === false")


def test_pasted_weak_report_is_highlighted_explained_and_downloadable(page, tmp_path):
    page.fill("#report-text", WEAK_REPORT)
    page.focus("#report-text")
    page.keyboard.press("Control+Enter")
    _wait_for_result(page)

    sentences = _sentences(page)
    for item in EXPECT["must_flag"]:
        found = _find(sentences, item["text"])
        assert set(item["labels"]) <= set(found["cats"]), (item, found)
        assert found["show"] in MAIN
    for fragment in EXPECT["must_not_flag"]:
        assert not MAIN & set(_find(sentences, fragment)["cats"]), fragment

    assert page.get_attribute("#band-badge", "data-band") == "weak"
    assert "Yếu" in page.inner_text("#band-badge")
    assert page.get_attribute("#accountability-status", "data-status") == "missing"
    assert page.locator(".score-row").count() == 5
    assert "trách nhiệm cá nhân" in page.inner_text("#card-report-findings").lower()
    assert "câu được đánh dấu" in page.inner_text("#status")

    # keyboard: Enter on a marked sentence moves focus to its notes, which explain and suggest
    denial = _find(sentences, "Nhìn chung bản thân không có khuyết điểm gì đáng kể")
    page.focus("#" + denial["id"])
    page.keyboard.press("Enter")
    note_id = "note-" + denial["id"].removeprefix("s-")
    assert page.evaluate("() => document.activeElement.id") == note_id
    note = page.inner_text("#" + note_id)
    assert "Né tránh" in note and "Gợi ý" in note
    # the number button of the note leads back to the sentence
    page.click(f"#{note_id} button.num")
    assert page.evaluate("() => document.activeElement.id") == denial["id"]

    # category filter: with "né tránh" off, a sentence that is only evasive is no longer highlighted
    only_evasive = next(s for s in sentences if s["cats"] == ["evasive"])
    page.uncheck("#filter-evasive")
    assert "off" in page.get_attribute("#" + only_evasive["id"], "class")
    page.check("#filter-evasive")
    assert "off" not in page.get_attribute("#" + only_evasive["id"], "class")

    # downloads: the JSON result and the standalone HTML report
    with page.expect_download() as download:
        page.click("#dl-json")
    saved = tmp_path / "result.json"
    download.value.save_as(saved)
    result = AnalysisResult.model_validate_json(saved.read_text(encoding="utf-8"))
    assert result.band == "weak" and result.text.startswith("ĐẢNG BỘ")
    with page.expect_download() as download:
        page.click("#dl-html")
    assert download.value.suggested_filename.endswith(".html")
    html = tmp_path / "report.html"
    download.value.save_as(html)
    page_html = html.read_text(encoding="utf-8")
    assert page_html.lstrip().lower().startswith("<!doctype html")
    assert "Dư nợ do tôi quản lý đến 30/11/2023" in page_html

    # print: only the result
    page.emulate_media(media="print")
    assert not page.is_visible("#input-panel")
    assert not page.is_visible(".toolbar")
    assert page.is_visible("#report")
    page.emulate_media(media="screen")

    shot = os.environ.get("KIEMDIEM_SCREENSHOT")
    first_generic = next(s for s in sentences if s["show"] == "generic")
    page.click("#" + first_generic["id"])  # its note opens with the suggestion
    top = page.evaluate("() => document.getElementById('result-top').getBoundingClientRect().top + window.scrollY")
    clip = {"x": 0, "y": max(0, top - 12), "width": 1366, "height": 1750}
    page.screenshot(path=str(Path(shot) if shot else tmp_path / "service.png"), full_page=True, clip=clip)


def test_uploaded_docx_is_analysed(page, tmp_path):
    if DOCX.exists():
        path, evasive, fact = DOCX, "Công tác phối hợp với các phòng, ban có lúc còn chưa nhịp nhàng", "Là Trưởng phòng"
    else:  # built by examples/build_binary_examples.py; a small one otherwise
        path, evasive, fact = tmp_path / "bao-cao.docx", DOCX_EVASIVE, DOCX_FACT
        path.write_bytes(small_report_docx())
    page.set_input_files("#file-input", str(path))  # choosing a file starts the analysis
    _wait_for_result(page)
    assert path.name in page.inner_text("#file-info")
    assert path.name in page.inner_text("#result-top")

    sentences = _sentences(page)
    assert "evasive" in _find(sentences, evasive)["cats"]
    assert not MAIN & set(_find(sentences, fact)["cats"])
    if path == DOCX:  # the evidence of responsibility links to its sentence
        assert page.get_attribute("#accountability-status", "data-status") == "present"
        page.click("#evidence a >> nth=1", position={"x": 8, "y": 8})  # on its first line of text
        assert page.evaluate("() => document.activeElement.textContent").startswith(fact)


def test_english_page_and_errors_in_the_current_language(page, tmp_path):
    page.click("#lang-toggle")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("#analyze-btn").startswith("Analyse")
    page.click("#analyze-btn")
    assert page.inner_text("#error") == "Paste a report or choose a file first."

    image = tmp_path / "bao-cao.docx"
    image.write_bytes(PNG)
    page.set_input_files("#file-input", str(image))
    page.wait_for_function("() => document.querySelector('#error').textContent.includes('KD-E010')")
    assert "Unsupported file format" in page.inner_text("#error")
    page.click("#remove-file")

    page.fill("#report-text", WEAK_REPORT)
    page.click("#analyze-btn")
    _wait_for_result(page)
    assert "Weak" in page.inner_text("#band-badge")
    assert "Evasive" in page.inner_text("#report")

    page.click("#lang-toggle")  # back to Vietnamese: the findings are asked for again in Vietnamese
    page.wait_for_function("() => document.querySelector('#band-badge').textContent.includes('Yếu')")
    assert "Né tránh" in page.inner_text("#report")


def test_text_not_in_vietnamese_is_refused_with_its_message(page):
    page.fill("#report-text", "I completed most of my tasks this year, but I was sometimes late with my reports.")
    page.click("#analyze-btn")
    page.wait_for_function("() => document.querySelector('#error').textContent.includes('KD-E011')")
    assert "không phải tiếng Việt" in page.inner_text("#error")
    assert page.is_hidden("#band-badge") or not page.inner_text("#band-badge").strip()


def test_server_log_holds_no_report_text(server, page):
    page.fill("#report-text", WEAK_REPORT)
    page.click("#analyze-btn")
    _wait_for_result(page)
    _, log = server
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "POST /v1/analyze 200" in text
    for fragment in ("Phan Quốc Bảo", "Khánh Xuân", "không có khuyết điểm"):
        assert fragment not in text


def test_page_asks_for_the_api_token_when_the_server_wants_one(browser, tmp_path_factory):
    with _serve(tmp_path_factory, KIEMDIEM_API_TOKEN="ma-bi-mat-123") as (base, _):
        context = browser.new_context(viewport={"width": 1366, "height": 1000})
        tab = context.new_page()
        tab.goto(base + "/")
        tab.wait_for_selector("#token-box:not([hidden])")
        assert "KD-A005" in tab.inner_text("#error")
        tab.fill("#token-input", "ma-bi-mat-123")
        tab.keyboard.press("Enter")
        tab.wait_for_selector("body[data-ready=true]")
        assert tab.is_hidden("#token-box")
        tab.fill("#report-text", WEAK_REPORT)
        tab.click("#analyze-btn")
        _wait_for_result(tab)
        assert tab.get_attribute("#band-badge", "data-band") == "weak"
        context.close()


PASTED_PARAGRAPH = (
    "Trong năm, việc phối hợp với các bộ phận có thời điểm chưa đạt hiệu quả như yêu cầu. "
    "Nguyên nhân chủ yếu là do khối lượng công việc nhiều, địa bàn rộng. "
    "Ngày 14/3/2025 tôi trả hồ sơ đất của hộ ông Lê Văn T. chậm 12 ngày vì tôi không lập sổ theo dõi hạn."
)


@pytest.mark.parametrize(
    "text",
    [
        PASTED_PARAGRAPH,  # one flattened paragraph, as copied from a web page or a chat
        "\n".join(textwrap.wrap(PASTED_PARAGRAPH, 64)),  # hard-wrapped mid-sentence, as copied from a PDF
    ],
    ids=["flattened", "wrapped"],
)
def test_a_pasted_paragraph_is_read_by_its_sentences_whatever_the_line_breaks(page, text):
    page.fill("#report-text", text)
    page.click("#analyze-btn")
    _wait_for_result(page)
    sentences = [{**s, "text": " ".join(s["text"].split())} for s in _sentences(page)]
    assert len(sentences) == 3  # three sentences, not one paragraph and not one per line
    hedge = _find(sentences, "có thời điểm chưa đạt")
    assert "evasive" in hedge["cats"]
    cause = _find(sentences, "khối lượng công việc nhiều")
    assert "evasive" in cause["cats"]
    owned = _find(sentences, "không lập sổ theo dõi hạn")
    assert not {"generic", "evasive"} & set(owned["cats"])
    # a fragment: no band, and the page says why
    assert page.get_attribute("#band-badge", "data-band") == "fragment"
    assert page.get_attribute("#band-badge", "data-scope") == "fragment"
    assert "Đoạn trích" in page.inner_text("#band-badge")
    assert "Đoạn trích" in page.inner_text("#missing-list")


def test_without_a_feedback_store_the_page_says_so_and_offers_no_buttons(page):
    assert page.inner_text("#feedback-mode") == "Máy chủ này không lưu ý kiến phản hồi."
    page.fill("#report-text", WEAK_REPORT)
    page.click("#analyze-btn")
    _wait_for_result(page)
    assert page.locator("#report li.f").count() > 0
    assert page.locator("button[data-review]").count() == 0
    assert page.locator(".fb-note").count() == 0


def test_a_reviewer_dismisses_a_finding_and_the_store_keeps_it(browser, tmp_path_factory):
    from nlp.feedback import FeedbackStore

    folder = tmp_path_factory.mktemp("config")
    (folder / "kho").mkdir()
    config = folder / ".kiemdiem.yaml"
    config.write_text("feedback: kho/phan-hoi.sqlite\n", encoding="utf-8")
    store = FeedbackStore(folder / "kho" / "phan-hoi.sqlite")
    with _serve(tmp_path_factory, KIEMDIEM_CONFIG=str(config)) as (base, log):
        context = browser.new_context(viewport={"width": 1366, "height": 1000})
        tab = context.new_page()
        requests: list[str] = []
        tab.on("request", lambda request: requests.append(request.url))
        tab.goto(base + "/")
        tab.wait_for_selector("body[data-ready=true]")
        assert "Ý kiến của bạn được lưu trên máy chủ này" in tab.inner_text("#feedback-mode")
        tab.fill("#report-text", WEAK_REPORT)
        tab.click("#analyze-btn")
        _wait_for_result(tab)

        denial = _find(_sentences(tab), "Nhìn chung bản thân không có khuyết điểm gì đáng kể")
        tab.click("#" + denial["id"])  # its note opens, with the note field
        item = tab.locator(f"#note-{denial['id'].removeprefix('s-')} li.f").first
        index = item.get_attribute("data-f")
        rule = item.get_attribute("data-rule")
        item.locator(".fb-note").fill("Câu này tôi thấy chấp nhận được.")
        dismiss = item.get_by_role("button", name="Không đúng")
        assert dismiss.get_attribute("aria-pressed") == "false"
        dismiss.click()
        tab.wait_for_selector(f'li.f.review-dismissed[data-f="{index}"]')
        assert "đã bác bỏ" in item.inner_text()
        assert dismiss.get_attribute("aria-pressed") == "true"
        assert "bác bỏ" in tab.inner_text("#status")

        kept = store.decisions()
        assert [(d.rule, d.decision, d.note) for d in kept] == [(rule, "dismiss", "Câu này tôi thấy chấp nhận được.")]
        assert "Nhìn chung bản thân không có khuyết điểm gì đáng kể" in kept[0].sentence

        # keyboard: Tab reaches another finding's "Đúng", Enter confirms it
        other = tab.locator("#report li.f:not(.review-dismissed) button[data-review=confirm]").first
        other_index = other.get_attribute("data-f")
        other.focus()
        assert tab.locator(f"#fb-note-{other_index}").is_visible()  # focus opened its note: the field shows
        tab.keyboard.press("Shift+Tab")
        assert tab.evaluate("() => document.activeElement.id") == f"fb-note-{other_index}"
        tab.keyboard.press("Tab")
        tab.keyboard.press("Enter")
        tab.wait_for_selector(f'li.f.review-confirmed[data-f="{other_index}"]')
        assert sorted(d.decision for d in store.decisions()) == ["confirm", "dismiss"]

        # the same report analysed again (a reloaded page) shows the earlier decisions
        tab.reload()
        tab.wait_for_selector("body[data-ready=true]")
        tab.fill("#report-text", WEAK_REPORT)
        tab.click("#analyze-btn")
        _wait_for_result(tab)
        again = tab.locator(f'li.f[data-f="{index}"]')
        assert "review-dismissed" in again.get_attribute("class")
        assert "đã bác bỏ" in again.inner_text()
        assert "review-confirmed" in tab.locator(f'li.f[data-f="{other_index}"]').get_attribute("class")
        context.close()
        server_log = log.read_text(encoding="utf-8", errors="replace")
    assert "POST /v1/feedback 201" in server_log
    assert "chấp nhận được" not in server_log and "Nhìn chung bản thân" not in server_log
    outside = [url for url in requests if not url.startswith((base + "/", "blob:", "data:"))]
    assert outside == []


TREE = ROOT / "tests" / "cross" / "data" / "tree" / "dong-lac"


def _expected_cross() -> list[tuple[str, str, str, int]]:
    """(this report's sentence, the other report's quote, verdict, year) of each cross finding, as the library
    finds them for the head's report with the collective report and his report of last year."""
    from nlp import analyze
    from nlp.cross import AnalysedReport
    from nlp.cross.pair import check_pair

    def read(path: Path) -> AnalysedReport:
        return AnalysedReport(path.name if path.parent.name == "2025" else "previous", analyze(path.read_text("utf-8")))

    report = read(TREE / "2025" / "hoang-van-quy.txt")
    checked = check_pair(
        report, collective=read(TREE / "2025" / "tap-the.txt"), previous=read(TREE / "2024" / "hoang-van-quy.txt")
    )
    result = checked.result
    found = []
    for finding in (f for f in result.findings if f.category == "cross_report"):
        sentence = result.sentences[finding.sentence]
        text = result.text[sentence.start : sentence.end]
        found.append((" ".join(text.split()), finding.evidence.quote, finding.evidence.verdict, finding.evidence.year))
    return found


def test_compare_area_adds_the_collective_and_last_year_s_report(page, tmp_path):
    expected = _expected_cross()
    assert len(expected) == 3
    # keyboard: the closed "Đối chiếu" area opens with Enter on its title
    assert not page.is_visible("#cmp-collective-text")
    page.focus("#compare summary")
    page.keyboard.press("Enter")
    assert page.is_visible("#cmp-collective-text")
    page.fill("#report-text", (TREE / "2025" / "hoang-van-quy.txt").read_text(encoding="utf-8"))
    page.set_input_files("#cmp-collective-file", str(TREE / "2025" / "tap-the.txt"))  # a file: not analysed yet
    assert "tap-the.txt" in page.inner_text("#cmp-collective-info")
    assert page.is_hidden("#results")
    page.fill("#cmp-previous-text", (TREE / "2024" / "hoang-van-quy.txt").read_text(encoding="utf-8"))
    page.focus("#report-text")
    page.keyboard.press("Control+Enter")
    _wait_for_result(page)

    sentences = [{**s, "text": " ".join(s["text"].split())} for s in _sentences(page)]
    verdicts = {"diffused": "chỉ nhận trách nhiệm chung", "repeated": "chép lại gần nguyên văn"}
    for text, quote, verdict, year in expected:
        sentence = _find(sentences, text)
        assert "cross_report" in sentence["cats"]
        note = page.locator("#note-" + sentence["id"].removeprefix("s-"))
        # one sentence may answer two collective shortcomings: the evidence is the one quoting this finding's
        evidence = note.locator(f'.evidence-quote[data-verdict="{verdict}"]').filter(has_text=quote[:60]).first
        assert evidence.locator("q").inner_text() == quote
        said = evidence.inner_text()
        assert verdicts[verdict] in said and f"năm {year}" in said
        assert ("Báo cáo tập thể (năm 2025), tap-the.txt:" if verdict == "diffused" else "trước (năm 2024):") in said
    assert "Đối chiếu báo cáo" in page.inner_text("#result-toolbar")
    card = page.inner_text("#card-compare")
    assert "tap-the.txt" in card and "văn bản dán vào" in card and "3 nhận xét đối chiếu" in card
    assert page.locator('#card-compare li[data-verdict="repeated"]').count() >= 1

    # keyboard: Enter on a marked sentence focuses its note, which quotes the other report
    first = _find(sentences, expected[0][0])
    page.focus("#" + first["id"])
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "note-" + first["id"].removeprefix("s-")

    # English, like the rest of the page: the comparison is asked for again
    page.click("#lang-toggle")
    page.wait_for_function(
        "() => document.querySelector('#card-compare h3').textContent === 'Compared with other reports'"
    )
    assert "only shared responsibility" in page.inner_text("#report")
    assert "Last year's report" in page.inner_text("#report")
    page.click("#lang-toggle")
    page.wait_for_function(
        "() => document.querySelector('#card-compare h3').textContent === 'Đối chiếu với báo cáo khác'"
    )

    # a refused file is named in the error
    image = tmp_path / "tap-the.docx"
    image.write_bytes(PNG)
    page.set_input_files("#cmp-collective-file", str(image))
    page.click("#analyze-btn")
    page.wait_for_function("() => document.querySelector('#error').textContent.includes('KD-E010')")
    assert page.inner_text("#error").startswith("Báo cáo tập thể:")
    # Xóa empties the comparison as well: the next analysis is a plain one
    page.click("#clear-btn")
    assert page.input_value("#cmp-previous-text") == "" and page.is_hidden("#cmp-collective-info")
