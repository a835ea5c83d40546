"""What the checks now remember or leave out for their cost at 10,000 reports (issue 13, session 10) gives what
computing it afresh gives: a matcher's score of a pair of passages, and a report's accountability when it is
given only its own collective rows."""

from __future__ import annotations

import dataclasses

from nlp import analyze
from nlp.cross.findings import apply_findings, collective_finding
from nlp.cross.match import Matcher
from nlp.cross.passages import make_passage
from nlp.cross.records import CollectiveRow, Identity, Quote

QUERY = "Tỷ lệ thất thoát nước còn 21,4%, cao hơn chỉ tiêu 18%."
SAID = "Thất thoát nước năm 2025 là 21,4%, tôi nhận trách nhiệm chính."


def test_a_remembered_score_is_the_score_of_a_fresh_matcher(matcher: Matcher):
    query, said = make_passage(QUERY, "shortcomings"), make_passage(SAID, "shortcomings")
    first = matcher.score(query, said)
    assert matcher.score(query, said) is first  # the same pair: remembered
    fresh = Matcher().score(query, said)
    assert (first.score, first.cosine, first.overlap) == (fresh.score, fresh.cosine, fresh.overlap)
    assert first.passage is said


def test_a_score_is_remembered_for_the_passage_objects_not_their_text(matcher: Matcher):
    query = make_passage(QUERY, "shortcomings")
    one, other = make_passage(SAID, "shortcomings", file="a.txt"), make_passage(SAID, "shortcomings", file="b.txt")
    assert matcher.score(query, one).passage is one
    assert matcher.score(query, other).passage is other  # same text, another sentence: its own match
    reversed_pair = matcher.score(one, query)
    assert reversed_pair.passage is query


def test_a_seed_forgets_the_scores(matcher: Matcher):
    seeded = Matcher()
    query, said = make_passage(QUERY, "shortcomings"), make_passage(SAID, "shortcomings")
    before = seeded.score(query, said)
    seeded.seed({said.text: -seeded._cache[said.text]})
    after = seeded.score(query, said)
    assert after is not before and after.cosine != before.cosine


def test_the_pairs_asked_are_counted_whether_remembered_or_not():
    counting = Matcher()
    query, said = make_passage(QUERY, "shortcomings"), make_passage(SAID, "shortcomings")
    counting.score(query, said)
    counting.score(query, said)
    assert counting.pairs == 2


REPORT = """BẢN KIỂM ĐIỂM CÁ NHÂN
Họ và tên: Nguyễn Văn An
Chức vụ: Bí thư Chi bộ

II. HẠN CHẾ, KHUYẾT ĐIỂM
Việc thu đảng phí còn chậm.
"""


def _row(file: str, verdict: str, rule: str | None) -> CollectiveRow:
    item = Quote(file="tap-the.txt", start=0, end=20, text="Thu đảng phí còn chậm, 3 đảng viên nợ đảng phí.")
    return CollectiveRow(
        unit="Chi bộ", shortcoming=item, person="Nguyễn Văn An", file=file, verdict=verdict, rule=rule, why=["head"]
    )


def test_a_report_given_its_own_rows_gets_what_it_gets_among_every_row():
    result = analyze(REPORT)
    writer = Identity(file="an.txt", role="leader", form="2A", name="Nguyễn Văn An", head=True)
    mine = [_row("an.txt", "absent", "cross.collective_fault_not_owned")]
    others = [_row("binh.txt", "owned", None), _row("binh.txt", "owned", None)]
    findings = [collective_finding(mine[0], result, 2025, "vi")]
    alone = apply_findings(result, findings, writer, mine)
    among = apply_findings(result, findings, writer, [*others, *mine])
    assert alone.model_dump_json() == among.model_dump_json()
    assert alone.accountability.status == "missing"  # owns none of its own rows: another writer's owning counts not


def test_a_reading_of_one_sentence_is_made_once_a_sentence():
    from nlp.cross.passages import per_passage

    read: list[str] = []

    @per_passage
    def claims_a_result(item) -> bool:
        read.append(item.file)
        return "đúng kế hoạch" in item.text

    one = make_passage("Công tác thu quỹ hoàn thành đúng kế hoạch.", "results", file="a.txt")
    other = make_passage("Công tác thu quỹ hoàn thành đúng kế hoạch.", "results", file="b.txt")
    assert claims_a_result(one) and claims_a_result(one) and claims_a_result(other)
    assert read == ["a.txt", "b.txt"]  # once for each sentence, not once for each question
    twin = make_passage("Công tác thu quỹ hoàn thành đúng kế hoạch.", "results", file="a.txt")
    assert one == twin and not twin.memo  # what was remembered is not part of the sentence
    moved = dataclasses.replace(one, section="causes")
    assert not moved.memo and claims_a_result(moved)  # a sentence made from another is read afresh
    assert read == ["a.txt", "b.txt", "a.txt"]


def test_the_verdicts_readings_remembered_give_what_a_fresh_sentence_gives():
    from nlp.cross import verdict

    texts = [
        "Tôi chịu trách nhiệm chính về việc chậm giải ngân vốn đầu tư công.",
        "Việc chậm giải ngân không thuộc trách nhiệm của tôi.",
        "Công tác thu ngân sách đạt 105% dự toán, không để xảy ra sai sót.",
        "Bản thân cùng chịu trách nhiệm chung với tập thể.",
    ]
    readings = (verdict.owns, verdict.denies, verdict.contrary, verdict.denial_cue, verdict.clean_claim)
    for text in texts:
        asked = make_passage(text, "shortcomings")
        first = [reading(asked) for reading in readings]
        assert [reading(asked) for reading in readings] == first
        assert [reading(make_passage(text, "shortcomings")) for reading in readings] == first
    said = make_passage(texts[1], "shortcomings")
    assert verdict.denies(said) and not verdict.owns(said)
