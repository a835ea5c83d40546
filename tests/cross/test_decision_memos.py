"""What the decisions remember (issue 13's cost at 10,000 reports) gives what asking again gives: the reading of a
shortcoming against every writer of the unit, once a shortcoming; a matcher's cosines and baselines, once a pair."""

from __future__ import annotations

import numpy as np

from nlp.cross.identity import bodies_of
from nlp.cross.match import Matcher, median_of
from nlp.cross.passages import make_passage
from nlp.cross.records import Identity
from nlp.cross.responsibility import _opening, _opens_a_clause, _Scene, in_area


def _writer(file: str, party_post: str | None = None, gov_post: str | None = None, **extra) -> Identity:
    return Identity(
        file=file, role="leader", form="2A", name=file, key=file, party_post=party_post, gov_post=gov_post, **extra
    )


WRITERS = [
    _writer("kiem-tra", party_post="Chủ nhiệm Ủy ban Kiểm tra Đảng ủy"),
    _writer("xi-nghiep", gov_post="Giám đốc Xí nghiệp nước Sông Mai", places=["xi nghiep nuoc song mai"]),
    _writer("mau-giao", gov_post="Tổ trưởng tổ Mẫu giáo"),
    _writer("mat-tran", gov_post="Trưởng Ban công tác Mặt trận khu phố", places=["khu pho cay gao"]),
    _writer("dang-vien"),
]
ITEMS = [
    "Ủy ban Kiểm tra Đảng ủy chưa giám sát chi tiêu nội bộ tại Xí nghiệp nước Sông Mai.",
    "Quỹ Vì người nghèo mới đạt 62,8% chỉ tiêu; Ban công tác Mặt trận khu phố chưa đến từng hộ vận động.",
    "Còn 41 hồ sơ trẻ thiếu mã định danh: 33 hồ sơ thuộc các lớp của Tổ Mẫu giáo.",
    "Khu phố Cây Gáo còn 15 hộ lấn chiếm vỉa hè; Xí nghiệp nước Sông Mai chậm sửa đường ống.",
]


def test_a_scene_answers_for_each_writer_what_asking_every_other_writer_answers():
    for text in ITEMS:
        folded = make_passage(text, "shortcomings").folded
        scene = _Scene(folded, WRITERS)
        for person in WRITERS:
            others = [p for p in WRITERS if p is not person]
            assert scene.subject_of_another(person) == any(in_area(_opening(folded), bodies_of(p)) for p in others)
            assert scene.names_body_of_another(person) == (
                not _opens_a_clause(folded, bodies_of(person))
                and any(_opens_a_clause(folded, bodies_of(p)) for p in others)
            )
            assert scene.here(person) == in_area(folded, person.places)
            assert scene.elsewhere(person) == any(in_area(folded, p.places) for p in others)
    first = _Scene(make_passage(ITEMS[0], "shortcomings").folded, WRITERS)
    assert first.subject_of_another(WRITERS[1]) and not first.subject_of_another(WRITERS[0])
    assert first.here(WRITERS[1]) and first.elsewhere(WRITERS[0]) and not first.elsewhere(WRITERS[1])


def test_a_writer_listed_twice_is_no_other_writer_of_his_own_unit():
    inspector = WRITERS[0]
    scene = _Scene(make_passage(ITEMS[0], "shortcomings").folded, [inspector, inspector, WRITERS[4]])
    assert not scene.subject_of_another(inspector)


def test_a_matcher_remembers_cosines_and_baselines_as_computed(matcher: Matcher):
    query = make_passage("Tỷ lệ thất thoát nước còn 21,4%, cao hơn chỉ tiêu.", "shortcomings")
    baseline = [
        make_passage("Tôi luôn chấp hành nghiêm chủ trương của Đảng.", "ideology_ethics"),
        make_passage("Thất thoát nước năm 2025 là 21,4%, tôi nhận trách nhiệm.", "shortcomings"),
        make_passage("Hoàn thành tốt nhiệm vụ được giao.", "achievements"),
    ]
    fresh = Matcher()
    first = matcher.same_item(query, baseline[1:], baseline)
    again = matcher.same_item(query, baseline[1:], baseline)
    assert [(m.passage.text, m.score) for m in first] == [(m.passage.text, m.score) for m in again]
    assert [(m.passage.text, m.score) for m in first] == [
        (m.passage.text, m.score) for m in fresh.same_item(query, baseline[1:], baseline)
    ]
    values = [fresh.cosine(query, p) for p in baseline]
    assert matcher._baseline(query, baseline) == (median_of(values), float(np.std(np.array(values))))
    # a vector seeded for a text is the one its cosines use from then on
    seeded = Matcher()
    before = seeded.cosine(query, baseline[0])
    seeded.seed({baseline[0].text: -seeded._cache[baseline[0].text]})
    assert seeded.cosine(query, baseline[0]) != before
    assert seeded._baseline(query, baseline) != fresh._baseline(query, baseline)
