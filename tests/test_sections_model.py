"""The section tagger (nlp/model/sections.py): sections inferred from content for units without headings."""

from __future__ import annotations

import pytest

from nlp.model.sections import SectionTagger, default_section_tagger, unit_key
from nlp.model.sections_eval import as_sequence, read_split, record_units
from nlp.model.sections_train import fit_tagger
from nlp.normalize import fold
from nlp.schema import SECTION_IDS

ACHIEVEMENTS = [
    "Tôi luôn trung thành với Đảng, chấp hành nghiêm chủ trương, đường lối của Đảng, pháp luật của Nhà nước.",
    "Năm 2025 tôi hoàn thành 46/46 hồ sơ thẩm định đúng hạn, được Sở khen thưởng tháng 11/2025.",
]
SHORTCOMINGS = [
    "Tôi nộp muộn 3 báo cáo tháng của phòng, trễ từ 4 đến 7 ngày so với quy định.",
    "Việc kiểm tra hồ sơ đất đai của tôi còn sai sót, 2 hồ sơ bị Thanh tra huyện trả lại.",
]
CAUSES = [
    "Nguyên nhân chủ quan là do tôi chưa lập kế hoạch công việc hằng tuần, còn chủ quan.",
    "Nguyên nhân khách quan là do khối lượng công việc lớn, biên chế của phòng còn mỏng.",
]
PREVIOUS = ["Năm 2024 chi bộ góp ý tôi chậm trả lời đơn thư; năm nay tôi đã trả lời 27/27 đơn đúng hạn."]
REMEDIES = [
    "Phấn đấu năm 2026 nộp đúng hạn 100% báo cáo tháng, không để chậm báo cáo nào.",
    "Trước 31/3/2026, tôi rà soát lại toàn bộ hồ sơ đất đai đã thẩm định trong năm 2025.",
    "Tăng cường tự học, nâng cao trình độ chuyên môn để thực hiện tốt nhiệm vụ được giao năm 2026.",
]


def positions_of(texts: list[str]) -> list[float]:
    return as_sequence([(t, "", False) for t in texts])[1]


@pytest.fixture(scope="module")
def tagger() -> SectionTagger:
    return default_section_tagger()


def test_shipped_model_loads_and_gives_a_section_per_unit(tagger: SectionTagger) -> None:
    texts = ACHIEVEMENTS + SHORTCOMINGS
    sections = tagger.predict(texts, positions_of(texts), [None] * len(texts))
    assert len(sections) == len(texts)
    assert set(sections) <= set(SECTION_IDS)
    assert default_section_tagger() is tagger  # cached


def test_fixed_units_keep_their_section(tagger: SectionTagger) -> None:
    texts = ["ĐẢNG BỘ XÃ AN HÒA", *SHORTCOMINGS, *CAUSES]
    free = tagger.predict(texts, positions_of(texts), [None] * len(texts))
    assert free[2] == "shortcomings"
    fixed = ["header", None, "causes", None, None]  # a heading said so, whatever the words say
    sections = tagger.predict(texts, positions_of(texts), fixed)
    assert sections[0] == "header"
    assert sections[2] == "causes"
    assert sections[4] == "causes"
    with pytest.raises(ValueError):
        tagger.predict(texts[:1], [0.0], ["not-a-section"])


def headingless_report(tagger: SectionTagger) -> tuple[list[str], list[str]]:
    texts = ACHIEVEMENTS + SHORTCOMINGS + CAUSES + PREVIOUS + REMEDIES
    return texts, tagger.predict(texts, positions_of(texts), [None] * len(texts))


def test_headingless_report_sections_come_out_right(tagger: SectionTagger) -> None:
    texts, sections = headingless_report(tagger)
    expected = (
        [None] * len(ACHIEVEMENTS)
        + ["shortcomings"] * len(SHORTCOMINGS)
        + ["causes"] * len(CAUSES)
        + [None] * len(PREVIOUS)
        + ["remedies"] * len(REMEDIES)
    )
    for got, want, text in zip(sections, expected, texts, strict=True):
        if want is not None:
            assert got == want, text
    assert all(s in {"achievements", "ideology_ethics", "duties", "commitments"} for s in sections[:2])


def test_remedies_fragment_alone_is_remedies(tagger: SectionTagger) -> None:
    fragment = [*REMEDIES, "Mỗi thứ Sáu, tôi rà soát sổ văn bản đến và báo cáo tại sinh hoạt chi bộ quý I/2026."]
    sections = tagger.predict(fragment, positions_of(fragment), [None] * len(fragment))
    assert sections == ["remedies"] * len(fragment)


def test_lower_case_without_diacritics_gives_the_same_sections(tagger: SectionTagger) -> None:
    texts = ACHIEVEMENTS + SHORTCOMINGS + CAUSES + REMEDIES
    positions, fixed = positions_of(texts), [None] * len(texts)
    folded = [fold(t) for t in texts]
    assert unit_key(texts[2]) == unit_key(folded[2].upper())
    assert tagger.predict(folded, positions, fixed) == tagger.predict(texts, positions, fixed)


def test_posteriors_are_distributions_that_respect_fixed_units(tagger: SectionTagger) -> None:
    texts = SHORTCOMINGS + REMEDIES
    fixed = [None, "shortcomings", None, None, None]
    posteriors = tagger.predict_proba(texts, positions_of(texts), fixed)
    assert len(posteriors) == len(texts)
    for row in posteriors:
        assert sum(row.values()) == pytest.approx(1.0, abs=1e-2)
    assert posteriors[1]["shortcomings"] == pytest.approx(1.0)
    assert max(posteriors[-1], key=posteriors[-1].get) == "remedies"


def test_empty_input() -> None:
    assert default_section_tagger().predict([], [], []) == []


def test_tiny_training_run_save_and_load(tmp_path) -> None:
    records = read_split("train")[:3]
    tagger = fit_tagger(records, seed=1, fragments=1)
    units = [u for u in record_units(records[0]) if not u[2]]
    texts, positions, gold = as_sequence(units)
    sections = tagger.predict(texts, positions, [None] * len(texts))
    assert sum(a == b for a, b in zip(sections, gold, strict=True)) / len(gold) > 0.8  # it learned its data
    path = tmp_path / "sections.joblib"
    tagger.save(path)
    again = SectionTagger.load(path)
    assert again.predict(texts, positions, [None] * len(texts)) == sections
    assert again.predict_proba(texts, positions, [None] * len(texts)) == tagger.predict_proba(
        texts, positions, [None] * len(texts)
    )


def test_shipped_model_survives_a_save_load_round_trip(tagger: SectionTagger, tmp_path) -> None:
    texts = ACHIEVEMENTS + SHORTCOMINGS + CAUSES + REMEDIES
    path = tmp_path / "copy.joblib"
    tagger.save(path)
    positions, fixed = positions_of(texts), [None] * len(texts)
    assert SectionTagger.load(path).predict(texts, positions, fixed) == tagger.predict(texts, positions, fixed)


def test_spans_of_one_pasted_paragraph(tagger: SectionTagger) -> None:
    text = " ".join(SHORTCOMINGS + CAUSES)
    spans, start = [], 0
    for sentence in SHORTCOMINGS + CAUSES:
        start = text.index(sentence, start)
        spans.append((start, start + len(sentence)))
    sections = tagger.predict_spans(text, spans)
    assert sections == ["shortcomings"] * len(SHORTCOMINGS) + ["causes"] * len(CAUSES)
    assert tagger.predict_spans(text, spans, ["remedies", None, None, None])[0] == "remedies"
