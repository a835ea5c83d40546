"""A decision is built from a result's own finding and sentence, and anything else is refused clearly."""

from __future__ import annotations

from datetime import datetime

import pytest

from nlp.errors import FeedbackDecisionError
from nlp.feedback.model import MAX_NOTE_CHARS, FindingRef, decision_for, report_hash, validated


def test_decision_takes_the_sentence_and_offsets_from_the_result(result):
    decision = decision_for(result, 0, "dismiss", note="Người viết đã nêu rõ số lần.", config_hash="cfg1")
    finding, sentence = result.findings[0], result.sentences[1]
    assert decision.report_hash == report_hash(result.text)
    assert (decision.rule, decision.category, decision.kind) == ("evasive.hedge", "evasive", "hedge")
    assert (decision.start, decision.end) == (finding.start, finding.end)
    assert (decision.sentence_start, decision.sentence_end) == (sentence.start, sentence.end)
    assert decision.sentence == result.text[sentence.start : sentence.end] == "Đôi lúc tôi còn nể nang trong phê bình."
    assert decision.section == "shortcomings"
    assert (decision.decision, decision.model, decision.config_hash) == ("dismiss", "linear-v1", "cfg1")
    assert decision.created_at.utcoffset().total_seconds() == 0


def test_a_finding_can_be_named_by_rule_and_offsets(result):
    finding = result.findings[2]
    decision = decision_for(result, FindingRef(rule=finding.rule, start=finding.start, end=finding.end), "confirm")
    assert decision.sentence == "Việc chậm trễ là do khách quan."
    assert decision.section == "causes"


def test_a_finding_on_no_sentence_takes_the_line_it_is_on(result):
    decision = decision_for(result, 3, "confirm")
    assert decision.sentence == "II. HẠN CHẾ, KHUYẾT ĐIỂM"
    assert decision.section == "shortcomings"


@pytest.mark.parametrize("finding", [4, -1, FindingRef(rule="evasive.hedge", start=0, end=3)])
def test_a_finding_not_in_the_result_is_refused(result, finding):
    with pytest.raises(FeedbackDecisionError, match=r"not in the result|no finding"):
        decision_for(result, finding, "confirm")


def test_a_bad_decision_is_refused_with_a_bilingual_message(result):
    with pytest.raises(FeedbackDecisionError) as caught:
        decision_for(result, 0, "maybe")
    assert caught.value.code == "KD-E013"
    assert "decision" in caught.value.detail
    assert caught.value.message("vi").startswith("Không ghi nhận được")
    assert caught.value.message("en").startswith("The feedback on this finding")


def test_a_long_note_is_refused_without_repeating_it(result):
    note = "Ghi chú rất dài của người duyệt. " * (MAX_NOTE_CHARS // 10)
    with pytest.raises(FeedbackDecisionError) as caught:
        decision_for(result, 0, "dismiss", note=note)
    assert "note" in caught.value.detail
    assert "Ghi chú" not in str(caught.value.to_dict())


def test_a_blank_note_is_no_note(result):
    assert decision_for(result, 0, "confirm", note="   ").note is None


def test_sentence_text_must_match_its_offsets(result):
    data = decision_for(result, 0, "confirm").model_dump()
    data["sentence"] = "Một câu khác hẳn do máy khách tự gửi lên, không có trong kết quả."
    with pytest.raises(FeedbackDecisionError, match="sentence text does not match"):
        validated(data)


def test_a_time_without_timezone_is_refused(result):
    with pytest.raises(FeedbackDecisionError, match="timezone"):
        decision_for(result, 0, "confirm", at=datetime(2026, 12, 1, 8, 0))
