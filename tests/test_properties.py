"""Properties that hold for any input: offsets index the returned text, nothing but InputError escapes."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp import InputError, analyze
from nlp.normalize import fold, normalize
from tests.conftest import make_report

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
report_like = st.lists(
    st.one_of(
        st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " .,;:-()/%0123456789", min_size=0, max_size=80),
        st.sampled_from(
            ["I. ƯU ĐIỂM", "II. HẠN CHẾ, KHUYẾT ĐIỂM", "Nguyên nhân:", "- ", "1) ", "a. ", "Họ và tên: A", "\n", "\t"]
        ),
    ),
    max_size=40,
).map("\n".join)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_offsets(result) -> None:
    n = len(result.text)
    previous_end = 0
    for sentence in result.sentences:
        assert 0 <= sentence.start < sentence.end <= n
        assert sentence.start >= previous_end
        previous_end = sentence.end
        assert 0.0 <= sentence.generic <= 1.0 and 0.0 <= sentence.evasive <= 1.0
        assert not (sentence.structural and sentence.labels)
    for finding in result.findings:
        assert 0 <= finding.start <= finding.end <= n
        if finding.sentence is not None:
            sentence = result.sentences[finding.sentence]
            assert sentence.start <= finding.start and finding.end <= sentence.end
    for section in result.sections:
        assert 0 <= section.start <= section.heading_end <= section.end <= n
    for span in result.accountability.evidence:
        assert 0 <= span.start < span.end <= n
    for value in result.scores.model_dump().values():
        assert 0.0 <= value <= 100.0


@SETTINGS
@given(st.text(max_size=400))
def test_any_unicode_is_analysed_or_refused(text):
    try:
        result = analyze(text)
    except InputError:
        return
    _check_offsets(result)
    assert result.text == normalize(text)


@SETTINGS
@given(report_like)
def test_report_shaped_text_keeps_offsets_valid(text):
    try:
        result = analyze(text)
    except InputError:
        return
    _check_offsets(result)


@SETTINGS
@given(st.text(max_size=300))
def test_normalize_is_idempotent_and_nfc(text):
    once = normalize(text)
    assert normalize(once) == once
    assert unicodedata.is_normalized("NFC", once)


@SETTINGS
@given(st.text(max_size=300))
def test_fold_keeps_length(text):
    assert len(fold(text)) == len(text)


def test_decomposed_input_gives_the_same_analysis():
    text = make_report()
    decomposed = unicodedata.normalize("NFD", text)
    assert analyze(decomposed).model_dump() == analyze(text).model_dump()


def test_old_style_tone_marks_are_normalised():
    # "hoà", "thuý" (old placement) become "hòa", "thúy"; the analysis does not depend on the style
    result = analyze(make_report(shortcomings="Tôi để hồ sơ của bà Hoà, thôn Thuỷ Lợi, quá hạn 12 ngày trong tháng 7."))
    assert "Hòa" in result.text and "Thủy" in result.text


def test_every_finding_has_a_message_and_suggestion_in_both_languages():
    text = make_report(shortcomings="Đôi lúc còn chưa quyết liệt. Một số đồng chí còn nể nang.")
    for lang in ("vi", "en"):
        result = analyze(text, lang=lang)
        assert result.findings
        assert all(f.message and f.suggestion is not None for f in result.findings)
