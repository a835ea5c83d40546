"""Text that is not Vietnamese is refused (KD-E011, exit 20, HTTP 422, a batch error row), never analysed as
"Vietnamese typed without diacritics"; every Vietnamese report of the corpus, the examples and the real samples
is accepted. The texts below are written for this test."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp import analyze
from nlp.errors import INPUT_ERRORS, EmptyInputError, NotVietnameseError
from nlp.ingest import legacy, read_file
from nlp.language import MIN_WORDS, detect_language, require_vietnamese
from nlp.normalize import fold, normalize

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REAL_SAMPLES = Path(os.environ.get("KIEMDIEM_REAL_SAMPLES", ROOT.parent / "shared" / "real-samples"))

VI = (
    "Năm 2024, tôi hoàn thành 14 hồ sơ thẩm định trước hạn. Tuy nhiên, tôi còn chậm nộp báo cáo tháng, "
    "chưa chủ động phối hợp với các đồng chí trong tổ."
)
VI_NO_DIACRITICS = (
    "Nam 2024, toi hoan thanh 14 ho so tham dinh truoc han. Tuy nhien, toi con cham nop bao cao thang, "
    "chua chu dong phoi hop voi cac dong chi trong to. Nguyen nhan chu quan la do ban than chua sap xep cong viec."
)
VI_WITH_FOREIGN_BITS = (
    "Năm 2024, tôi phụ trách hệ thống quản lý chất lượng ISO 9001:2015 và báo cáo KPI hằng tháng gửi qua email "
    "to.chuc@donvi.gov.vn (xem https://donvi.gov.vn/bao-cao). Trong đợt dịch COVID-19, đơn vị họp trực tuyến "
    'bằng Microsoft Teams và Zalo. Theo khẩu hiệu "Think global, act local" của Tổng công ty, tôi đã đề xuất '
    "3 sáng kiến; doanh thu đạt 12,5 tỷ đồng (tăng 8%), nợ xấu 1,2%."
)
VI_TABLE = (
    "| STT | Chỉ tiêu | Kế hoạch | Thực hiện |\n| 1 | Doanh thu (tỷ đồng) | 120 | 126,4 |\n"
    "| 2 | Nợ xấu (%) | 1,5 | 1,2 |\n| 3 | Khách hàng mới (CIF) | 2.000 | 2.315 |"
)
VI_NO_DIACRITICS_FOREIGN_BITS = (
    "Nam 2024 toi phu trach he thong ISO 9001, gui bao cao KPI hang thang qua email abc@donvi.vn. "
    "Trong dich COVID-19 don vi dung Microsoft Teams de hop truc tuyen."
)
VI_SENTENCE = "Tôi còn chậm nộp báo cáo, chưa sâu sát cơ sở."
VI_SENTENCE_NO_DIACRITICS = "Toi con cham nop bao cao, chua sau sat co so."
VI_PLAIN_SPELLINGS = "(Ky, ghi ro ho ten)"  # no nh-, ng-, oa, ươ... in it: judged by its syllables alone

EN = (
    "In 2024 I completed most of the tasks assigned to me by the branch. However, I was sometimes slow in "
    "submitting reports and did not always prepare well for meetings. Next year I will improve my time "
    "management and take responsibility for the shortcomings of our team."
)
EN_REPORT = (
    "SELF-CRITIQUE REPORT\nYear 2024\nFull name: John Smith\nPosition: Head of the Finance Department\n"
    "I. STRENGTHS\n1. Political ideology: I always uphold the principles of the Party.\n"
    "2. Results: the department processed 1,240 invoices and closed the books on time every month.\n"
    "II. WEAKNESSES\nSome reports were submitted late; coordination with other departments was not effective.\n"
    "III. REMEDIES\nI will review the workflow by March 2025."
)
FR = (
    "Au cours de l'année 2024, j'ai accompli la plupart des tâches qui m'ont été confiées. Cependant, j'ai "
    "parfois été lent à remettre mes rapports et je ne me suis pas toujours bien préparé aux réunions."
)
ZH = "在2024年，我完成了党支部分配给我的大部分任务。但是，我有时提交报告比较慢，会议准备也不够充分。"
JA = "2024年、私は支部から割り当てられた仕事のほとんどを完了しました。しかし、報告書の提出が遅れることがありました。"
LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
    "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip."
)
DE = (
    "Im Jahr 2024 habe ich die meisten der mir übertragenen Aufgaben erfüllt. Allerdings war ich manchmal "
    "langsam bei der Abgabe von Berichten."
)
# Monosyllabic English: 70% of its words happen to spell Vietnamese syllables, none with a Vietnamese-only spelling.
EN_SIMPLE = "I am not sure that he can go to the bank in time, but we will try to get him there by ten."
EN_SIMPLE_2 = "Do not go to the hotel in the city at night, my son. It is a bad place to be in when the men get drunk."
RU = "В 2024 году я выполнил большинство поставленных задач, однако иногда медленно сдавал отчёты."

ACCEPTED = {
    "diacritics": VI,
    "no_diacritics": VI_NO_DIACRITICS,
    "foreign_bits": VI_WITH_FOREIGN_BITS,
    "table": VI_TABLE,
    "no_diacritics_foreign_bits": VI_NO_DIACRITICS_FOREIGN_BITS,
    "sentence": VI_SENTENCE,
    "sentence_no_diacritics": VI_SENTENCE_NO_DIACRITICS,
    "plain_spellings": VI_PLAIN_SPELLINGS,
    "tcvn3_converted": legacy.convert(legacy.encode(VI, legacy.TCVN3), legacy.TCVN3),
    "vni_converted": legacy.convert(legacy.encode(VI, legacy.VNI), legacy.VNI),
    "tcvn3_pasted_unconverted": legacy.encode(VI, legacy.TCVN3),
    "vni_pasted_unconverted": legacy.encode(VI, legacy.VNI),
    "too_short_english": "Annual report 2024, OK",
    "too_short_title": "Hello world!",
}
REFUSED = {
    "en": EN,
    "en_report": EN_REPORT,
    "en_simple": EN_SIMPLE,
    "en_simple_2": EN_SIMPLE_2,
    "fr": FR,
    "zh": ZH,
    "ja": JA,
    "lorem": LOREM,
    "de": DE,
    "ru": RU,
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_vietnamese_and_unjudgeable_texts_are_accepted(name):
    check = detect_language(normalize(ACCEPTED[name]))
    assert check.is_vietnamese, check.detail
    require_vietnamese(normalize(ACCEPTED[name]))  # does not raise


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_other_languages_are_refused(name):
    check = detect_language(normalize(REFUSED[name]))
    assert not check.is_vietnamese, check.detail
    assert check.words >= MIN_WORDS and check.share < 0.8 and check.marked_share < 0.3
    with pytest.raises(NotVietnameseError):
        require_vietnamese(normalize(REFUSED[name]))


def test_shares_separate_the_languages():
    no_diacritics = detect_language(VI_NO_DIACRITICS)
    assert no_diacritics.share >= 0.95 and no_diacritics.marked_share == 0
    assert no_diacritics.distinctive_share >= 0.4
    simple = detect_language(EN_SIMPLE)  # syllables alone would not tell: the spellings do
    assert simple.share >= 0.65 and simple.distinctive_share <= 0.05
    marked = detect_language(VI)
    assert marked.share >= 0.95 and marked.marked_share >= 0.6
    assert detect_language(EN).share <= 0.35
    assert "another script" in detect_language(ZH).detail


def test_detail_holds_counts_never_text():
    check = detect_language(EN_REPORT)
    words = {w.lower().strip(".,:;") for w in EN_REPORT.split()} - {"words", "with", "another"}
    assert not {w.lower().strip(",") for w in check.detail.split()} & {w for w in words if len(w) > 3}
    assert check.detail.startswith(f"{check.words} words")


def test_error_is_documented():
    assert NotVietnameseError in INPUT_ERRORS
    assert NotVietnameseError.exit_code == 20 and NotVietnameseError.http_status == 422
    assert NotVietnameseError.code == "KD-E011"
    assert "tiếng Việt" in NotVietnameseError.message_vi and "Vietnamese" in NotVietnameseError.message_en
    assert "KD-E011" in (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert "| 20 | not Vietnamese" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_pipeline_refuses_english_and_still_reports_empty_first():
    with pytest.raises(NotVietnameseError) as refused:
        analyze(EN_REPORT)
    assert "John" not in str(refused.value.to_dict())
    with pytest.raises(EmptyInputError):
        analyze("  12 345 \n -- ")
    result = analyze(VI_NO_DIACRITICS)
    assert result.sentences and any(f.rule == "input.no_diacritics" for f in result.findings)


# ---------------------------------------------------------------- nothing Vietnamese is refused


def test_every_corpus_report_is_accepted():
    refused = []
    count = 0
    with (ROOT / "corpus" / "data" / "reports.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            count += 1
            check = detect_language(normalize(record["text"]))
            if not check.is_vietnamese or check.share < 0.9:
                refused.append((record["id"], check.detail))
    assert count >= 200
    assert not refused


def test_every_corpus_line_is_accepted_with_and_without_diacritics():
    """Fragments: each line of every corpus report, as written and folded to no diacritics (about 18,000)."""
    refused = judged = 0
    with (ROOT / "corpus" / "data" / "reports.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            text = normalize(json.loads(line)["text"])
            for variant in (text, fold(text)):
                for fragment in variant.split("\n"):
                    check = detect_language(fragment)
                    judged += check.judged
                    refused += not check.is_vietnamese
    assert judged > 15000
    assert refused == 0


def _example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*") if p.suffix in {".txt", ".docx", ".pdf"})


def test_every_example_is_accepted():
    files = _example_files()
    assert len(files) >= 16
    for path in files:
        check = detect_language(normalize(read_file(path).text))
        assert check.is_vietnamese and check.share >= 0.9, (path.name, check.detail)


@pytest.mark.skipif(not REAL_SAMPLES.is_dir(), reason="../shared/real-samples is not present")
def test_every_real_sample_is_accepted():
    files = sorted(REAL_SAMPLES.glob("*.txt"))
    assert files
    for path in files:
        text = normalize(read_file(path).text)
        check = detect_language(text)
        assert check.is_vietnamese, (path.name, check.detail)  # counts only: no sample text in the message
        folded = detect_language(fold(text))  # the same report typed without diacritics
        assert folded.is_vietnamese, (path.name, folded.detail)


# ---------------------------------------------------------------- CLI, API, batch


def test_cli_exit_code_and_bilingual_message(tmp_path):
    from nlp.cli import app

    path = tmp_path / "report.txt"
    path.write_text(EN_REPORT, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", str(path)], catch_exceptions=False)
    assert result.exit_code == 20
    assert "KD-E011" in result.output
    assert NotVietnameseError.message_vi in result.output and NotVietnameseError.message_en in result.output
    assert "John Smith" not in result.output
    as_json = runner.invoke(app, ["analyze", str(path), "--format", "json"], catch_exceptions=False)
    assert as_json.exit_code == 20
    error = json.loads(as_json.stdout)["error"]
    assert error["code"] == "KD-E011" and error["exit_code"] == 20
    ok = runner.invoke(app, ["analyze", "-", "--format", "json"], input=VI_NO_DIACRITICS.encode())
    assert ok.exit_code == 0, ok.output


def test_api_status_and_error_code():
    from fastapi.testclient import TestClient

    from service import Settings, create_app

    with TestClient(create_app(Settings(warmup=False)), raise_server_exceptions=False) as client:
        response = client.post("/v1/analyze", json={"text": FR})
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "KD-E011" and error["status"] == 422
        assert error["message_vi"] == NotVietnameseError.message_vi
        assert error["message_en"] == NotVietnameseError.message_en
        assert "confiées" not in response.text
        upload = client.post("/v1/analyze", files={"file": ("bao-cao.txt", EN.encode(), "text/plain")})
        assert upload.status_code == 422 and upload.json()["error"]["code"] == "KD-E011"
        assert client.post("/v1/analyze", json={"text": VI_NO_DIACRITICS}).status_code == 200


def test_batch_writes_an_error_row(tmp_path):
    from nlp.batch import BatchOptions, run_batch

    tree = tmp_path / "bao-cao" / "chi-bo-a"
    tree.mkdir(parents=True)
    (tree / "english.txt").write_text(EN_REPORT, encoding="utf-8")
    (tree / "tieng-viet.txt").write_bytes((EXAMPLES / "02a-ngan-hang-yeu.txt").read_bytes())
    out = tmp_path / "ket-qua"
    report = run_batch([tmp_path / "bao-cao"], out, BatchOptions(jobs=1))
    assert report.files == 2 and report.results == 1 and report.errors == 1
    errors = (out / "tep-loi.csv").read_text(encoding="utf-8-sig")
    assert "KD-E011" in errors and "english.txt" in errors
    assert "John Smith" not in errors
