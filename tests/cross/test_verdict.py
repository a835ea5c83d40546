"""Verdicts on hand-made pairs: a collective shortcoming against a person's sentences, last year's shortcoming
against this year's report."""

from __future__ import annotations

import pytest

from nlp.cross.match import syllable_overlap
from nlp.cross.passages import make_passage
from nlp.cross.records import Identity
from nlp.cross.responsibility import Shortcoming, responsible, shortcomings
from nlp.cross.verdict import (
    clean_claim,
    collective_verdict,
    denies,
    outcome,
    owns,
    previous_verdict,
    reads_as,
    speaks_to,
)
from nlp.normalize import fold

FUND = shortcomings(
    [
        make_passage(
            "Thu quỹ Quốc phòng - an ninh năm 2025 mới đạt 68% kế hoạch, còn 41 hộ chưa nộp; việc này do đồng chí "
            "Trưởng thôn trực tiếp phụ trách.",
            "shortcomings",
        )
    ]
)[0]
ROAD = Shortcoming(
    make_passage(
        "Tuyến đường bê tông nội đồng xóm Bến dài 1,2 km khởi công chậm 4 tháng so với kế hoạch.", "shortcomings"
    )
)
PARTY = Shortcoming(
    make_passage("Chi bộ không kết nạp được đảng viên mới, chỉ tiêu là 2 quần chúng ưu tú.", "shortcomings")
)
OTHERS = [FUND, ROAD, PARTY]

FILLER = [
    ("Chủ trì dồn điền đổi thửa 46 ha cánh đồng Bãi Giữa, xong trước ngày 30/4/2025.", "achievements"),
    ("Tổ chức 3 đợt tổng vệ sinh đường làng, thu gom 14 tấn rác thải.", "achievements"),
    ("Dự đủ 12 kỳ sinh hoạt chi bộ trong năm.", "achievements"),
    ("Từ tháng 1/2026, mỗi tháng nghe báo cáo số hộ đã nộp quỹ.", "remedies"),
]


def _report(*sentences: tuple[str, str]) -> list:
    return [make_passage(text, section) for text, section in [*FILLER, *sentences]]


def _person(posts: list[str], head: bool = False, areas: list[str] | None = None) -> Identity:
    return Identity(
        file="x.txt", role="leader", form="02A", name="A", key="a", posts=posts, head=head, areas=areas or []
    )


def test_responsible_head_named_area_never_a_member_without_post():
    head = _person(["bi_thu"], head=True)
    village = _person(["truong_thon"], areas=["giao thong", "duong be tong", "thu quy"])
    member = _person([])
    assert [r.why for r in responsible(FUND, [head, village, member])] == [["head"], ["named"]]
    assert [r.why for r in responsible(ROAD, [head, village, member])] == [["head"], ["area"]]
    assert [r.why for r in responsible(PARTY, [head, village, member])] == [["head"]]


def test_owned(matcher):
    report = _report(
        (
            "Tôi để thu quỹ Quốc phòng - an ninh chỉ đạt 68%, 41 hộ chưa nộp, vì không kiểm tra tiến độ thu hằng tháng.",
            "shortcomings",
        ),
    )
    decision = collective_verdict(FUND, ["head"], [], report, OTHERS, matcher)
    assert decision.verdict == "owned" and "41 hộ" in decision.passage.text


def test_owned_with_a_hedge_inside(matcher):
    report = _report(
        (
            "Có lẽ tôi đã tin vào báo cáo quá lâu, nhưng việc để 41 hộ chưa nộp quỹ Quốc phòng - an ninh đến cuối năm "
            "là trách nhiệm của tôi.",
            "collective_responsibility",
        ),
    )
    assert collective_verdict(FUND, ["head"], [], report, OTHERS, matcher).verdict == "owned"


def _plan(reason: str) -> tuple[str, str]:
    return f"Từ tháng 1/2026 tôi sẽ trực tiếp đôn đốc thu quỹ Quốc phòng - an ninh từng xóm, {reason}", "remedies"


@pytest.mark.parametrize(
    "reason, verdict",
    [
        ("vì năm qua tôi đã để 41 hộ chưa nộp đến cuối năm mà không nhắc.", "owned"),
        # the fault a few words on
        (
            "vì năm qua tôi đã giao hết việc thu cho các trưởng xóm mà không hỏi lại lần nào, để 41 hộ chưa nộp.",
            "owned",
        ),
        ("vì năm qua tôi đã giao hết việc thu cho các trưởng xóm.", "absent"),  # no fault in the reason
        ("vì tôi đã đề nghị xã cho thu theo quý.", "absent"),  # a proposal: "đề" folds like "để"
    ],
)
def test_owned_by_a_plan_whose_reason_is_the_writers_past_fault(matcher, reason, verdict):
    """A remedy that gives the writer's own fault of the year as its reason owns the item, though it stands among the
    remedies (the fault may come a few words after "tôi đã"); a plan alone owns nothing, nor does a reason that gives
    no fault or is a proposal."""
    decision = collective_verdict(FUND, ["head"], [], _report(_plan(reason)), OTHERS, matcher)
    assert decision.verdict == verdict
    assert verdict == "absent" or decision.passage.section == "remedies"
    assert collective_verdict(FUND, ["head"], [], _report(), OTHERS, matcher).verdict == "absent"


def test_owned_when_the_next_sentence_takes_this_fault_after_a_few_words(matcher):
    """The sentence "Là bí thư chi bộ, tôi nhận khuyết điểm này: …" opens on the sentence before it though it does not begin with
    "Khuyết điểm này": the item named there is owned."""
    named = ("Tuyến đường bê tông nội đồng xóm Bến dài 1,2 km năm nay khởi công chậm 4 tháng.", "shortcomings")
    part = (
        "Là bí thư chi bộ, tôi nhận khuyết điểm này: tôi không đôn đốc các hộ ký biên bản hiến đất từ đầu năm.",
        "shortcomings",
    )
    assert collective_verdict(ROAD, ["head"], [], _report(named, part), OTHERS, matcher).verdict == "owned"


def test_owned_when_the_next_sentence_gives_the_writer_s_part(matcher):
    """The item named in one sentence, the writer's own part in the next, which opens on it ("Một phần do …, nhưng chủ
    yếu là do tôi …"); a next sentence that does not open on it ("Tôi đã tổ chức 3 đợt …") owns nothing of it."""
    named = ("Tuyến đường bê tông nội đồng xóm Bến dài 1,2 km năm nay khởi công chậm 4 tháng.", "shortcomings")
    part = (
        "Một phần do vướng giải phóng mặt bằng, nhưng chủ yếu là do tôi không đôn đốc các hộ ký biên bản hiến đất.",
        "shortcomings",
    )
    decision = collective_verdict(ROAD, ["head"], [], _report(named, part), OTHERS, matcher)
    assert decision.verdict == "owned"
    other = ("Tôi đã tổ chức 3 đợt tổng vệ sinh, không để tồn đọng rác.", "shortcomings")
    assert collective_verdict(ROAD, ["head"], [], _report(named, other), OTHERS, matcher).verdict == "diffused"


def test_owned_when_the_next_sentence_opens_on_the_writer_s_own_failure(matcher):
    """ "Có bốn kỳ … phải hoãn." then "Tôi đã không gặp riêng những đồng chí vắng nhiều …": a sentence that opens on
    what the writer failed to do goes on from the item named before it."""
    named = ("Tuyến đường bê tông nội đồng xóm Bến dài 1,2 km năm nay khởi công chậm 4 tháng.", "shortcomings")
    part = (
        "Tôi đã không đôn đốc các hộ ký biên bản hiến đất làm đường từ đầu năm, cũng không báo cáo xã xin lùi tiến độ.",
        "shortcomings",
    )
    assert collective_verdict(ROAD, ["head"], [], _report(named, part), OTHERS, matcher).verdict == "owned"
    field = ("Đây là phần việc tôi trực tiếp theo dõi nhưng cả năm tôi chỉ xuống hiện trường một lần.", "shortcomings")
    assert collective_verdict(ROAD, ["head"], [], _report(named, field), OTHERS, matcher).verdict == "owned"


def test_diffused_when_named_without_own_part(matcher):
    report = _report(
        (
            "Về việc thu quỹ Quốc phòng - an ninh chỉ đạt 68% kế hoạch, bản thân cùng chịu trách nhiệm chung với tập thể "
            "chi ủy.",
            "collective_responsibility",
        ),
    )
    decision = collective_verdict(FUND, ["head"], [], report, OTHERS, matcher)
    assert decision.verdict == "diffused" and "68%" in decision.passage.text


def test_diffused_by_a_general_line(matcher):
    report = _report(
        (
            "Bản thân cùng chịu trách nhiệm chung với tập thể chi bộ về các hạn chế nêu trên.",
            "collective_responsibility",
        )
    )
    decision = collective_verdict(ROAD, ["head"], [], report, OTHERS, matcher)
    assert decision.verdict == "diffused" and decision.passage.text.startswith("Bản thân cùng")


def test_absent(matcher):
    report = _report(("Tôi chưa nộp bài thu hoạch chuyên đề quý III đúng hạn, chậm 2 tuần.", "shortcomings"))
    assert collective_verdict(ROAD, ["head"], [], report, OTHERS, matcher).verdict == "absent"


def test_denied_area(matcher):
    report = _report(
        (
            "Trong lĩnh vực được phân công, bản thân không có khuyết điểm; các khoản thu của thôn đều đạt kết quả tốt.",
            "shortcomings",
        ),
    )
    decision = collective_verdict(FUND, ["named"], ["thu quy"], report, OTHERS, matcher)
    assert decision.verdict == "denied" and decision.passage.text.startswith("Trong lĩnh vực")


def test_denied_with_do_toi_phu_trach_inside(matcher):
    report = _report(
        (
            "Lĩnh vực thu quỹ do tôi phụ trách trong năm không để xảy ra sai sót nào, sổ sách rõ ràng.",
            "shortcomings",
        ),
    )
    assert collective_verdict(FUND, ["named"], ["thu quy"], report, OTHERS, matcher).verdict == "denied"


def test_a_post_clause_leading_into_shared_responsibility_does_not_own():
    shared = make_passage(
        "Là bí thư chi bộ, bản thân cùng chịu trách nhiệm chung với tập thể chi ủy về các hạn chế trên.",
        "collective_responsibility",
    )
    own = make_passage(
        "Là bí thư chi bộ, tôi đã không đôn đốc việc thu quỹ hằng tháng nên để tồn 41 hộ chưa nộp.", "shortcomings"
    )
    assert not owns(shared) and owns(own)


def test_denied_not_my_area(matcher):
    report = _report(
        (
            "Việc thu quỹ Quốc phòng - an ninh ở các xóm không thuộc phần việc của tôi mà do các tổ trưởng thu.",
            "collective_responsibility",
        ),
    )
    assert collective_verdict(FUND, ["named"], ["thu quy"], report, OTHERS, matcher).verdict == "denied"


LAST_YEAR = Shortcoming(
    make_passage(
        "Chi bộ chỉ tổ chức 2/4 kỳ sinh hoạt chuyên đề theo quy định, chưa chuẩn bị nội dung từ đầu năm.",
        "shortcomings",
    )
)
MINUTES = Shortcoming(
    make_passage(
        "Biên bản sinh hoạt chi bộ ghi còn sơ sài, nhiều kỳ không ghi ý kiến thảo luận của đảng viên.", "shortcomings"
    )
)


def test_reported_fixed(matcher):
    report = _report(
        (
            "Sinh hoạt chuyên đề: năm 2025 chi bộ đã tổ chức đủ 4/4 kỳ, mỗi kỳ có báo cáo chuyên đề viết sẵn.",
            "previous_remediation",
        ),
    )
    decision = previous_verdict(LAST_YEAR, report, matcher, [LAST_YEAR, MINUTES])
    assert (decision.verdict, decision.outcome) == ("reported", "fixed")


def test_outcomes():
    def of(text: str) -> str:
        return outcome(make_passage(text, "previous_remediation"))

    assert of("Đã tổ chức 1 buổi đối thoại ngày 15/3/2025 với 14/22 hộ.") == "partly"
    assert of("Đến nay chưa ban hành quy chế vì chưa tổ chức được hội nghị cán bộ.") == "not_fixed"
    assert of("Hòa giải thành ngày 14/3/2025; tuy nhiên đến nay một hộ vẫn chưa tháo dỡ cổng.") == "partly"
    assert of("Nhà vệ sinh khu B đã sửa chữa xong ngày 15/8/2025.") == "fixed"
    assert of("Quỹ khuyến học năm 2025 thu được 41,5/40 triệu đồng kế hoạch.") == "fixed"  # over the whole
    assert of("Đã khám sàng lọc cho 1.034/1.120 người cao tuổi.") == "partly"
    assert of("Đã thu hồi 3 tỷ đồng tiền nước tồn đọng, còn 2,6 tỷ đồng chưa thu được.") == "partly"


def test_stock_line(matcher):
    report = _report(("Các hạn chế, khuyết điểm năm 2024 đã cơ bản được khắc phục.", "previous_remediation"))
    decision = previous_verdict(LAST_YEAR, report, matcher, [LAST_YEAR, MINUTES])
    assert decision.verdict == "stock_line" and "cơ bản" in decision.passage.text


def test_not_mentioned(matcher):
    report = _report(("Tôi chưa nộp bài thu hoạch chuyên đề quý III đúng hạn, chậm 2 tuần.", "shortcomings"))
    assert previous_verdict(LAST_YEAR, report, matcher, [LAST_YEAR, MINUTES]).verdict == "not_mentioned"


def test_repeated(matcher):
    report = _report(
        (
            "Biên bản sinh hoạt chi bộ vẫn còn ghi sơ sài, nhiều kỳ không ghi ý kiến thảo luận của đảng viên.",
            "shortcomings",
        ),
    )
    decision = previous_verdict(MINUTES, report, matcher, [LAST_YEAR, MINUTES])
    assert decision.verdict == "repeated"


def test_shortcomings_leave_out_causes_and_attach_attributions():
    items = shortcomings(
        [
            make_passage("Thu quỹ khuyến học mới đạt 65% kế hoạch.", "shortcomings"),
            make_passage("Việc này do đồng chí Chi hội trưởng Chi hội Khuyến học phụ trách.", "shortcomings"),
            make_passage("Nguyên nhân chủ quan: chi ủy chưa giao việc cụ thể.", "shortcomings"),
            make_passage("Đường nội đồng khởi công chậm 4 tháng.", "shortcomings"),
        ]
    )
    assert [i.passage.text[:12] for i in items] == ["Thu quỹ khuy", "Đường nội đồ"]
    assert "chi hoi truong" in items[0].attribution


def test_responsibility_statements_one_per_clause():
    from nlp.cross.responsibility import responsibility_statements

    text = (
        "Đồng chí Bí thư chịu trách nhiệm người đứng đầu; đồng chí Kế toán trưởng chịu trách nhiệm trực tiếp về "
        "thu hồi công nợ."
    )
    statement = make_passage(text, "collective_responsibility", start=100)
    clauses = responsibility_statements([statement])
    assert [c.passage.text for c in clauses] == [
        "Đồng chí Bí thư chịu trách nhiệm người đứng đầu",
        "đồng chí Kế toán trưởng chịu trách nhiệm trực tiếp về thu hồi công nợ.",
    ]
    assert all(text[c.passage.start - 100 : c.passage.end - 100] == c.passage.text for c in clauses)


def test_a_sentence_that_only_says_whose_area_it_is_is_attached_even_without_an_opening():
    items = shortcomings(
        [
            make_passage("Tỷ lệ nước thất thoát toàn Công ty còn 21,4%, không đạt chỉ tiêu 18%.", "shortcomings"),
            make_passage(
                "Lĩnh vực giảm thất thoát do đồng chí Phó Giám đốc phụ trách kỹ thuật trực tiếp chỉ đạo từ tháng 3/2025.",
                "shortcomings",
            ),
            make_passage(
                "Dự án do Giám đốc chỉ đạo, đồng chí Trưởng Ban Quản lý dự án trực tiếp điều hành.", "shortcomings"
            ),
        ]
    )
    assert len(items) == 1 and "pho giam doc phu trach ky thuat" in items[0].attribution


def _holder(file: str, post_ids: list[str], gov_post: str, **extra) -> Identity:
    return Identity(
        file=file, role="leader", form="2A", name=file, key=file, posts=post_ids, gov_post=gov_post, **extra
    )


def test_a_post_named_with_its_charge_does_not_name_a_holder_charged_with_another_field():
    """ "… do đồng chí Phó Trưởng Công an xã phụ trách an ninh trật tự theo dõi": the deputy for traffic and fire (the
    only deputy who wrote, as in one reviewer's pair check) is not meant; the deputy for public order is."""
    traffic = _holder(
        "a", ["truong_cong_an"], "Phó Trưởng Công an xã, phụ trách trật tự an toàn giao thông, phòng cháy, chữa cháy"
    )
    order = _holder("b", ["truong_cong_an"], "Phó Trưởng Công an xã, phụ trách an ninh trật tự")
    drugs = Shortcoming(
        make_passage("Số người sử dụng trái phép chất ma túy tăng từ 11 lên 17 người.", "shortcomings"),
        "linh vuc nay do dong chi pho truong cong an xa phu trach an ninh trat tu theo doi",
    )
    assert [r.identity.file for r in responsible(drugs, [traffic])] == []
    assert [r.identity.file for r in responsible(drugs, [traffic, order])] == ["b"]


def test_the_most_specific_holder_of_a_named_post_and_a_name_over_a_post():
    technical = _holder("a", ["pho_giam_doc"], "Phó Giám đốc phụ trách kỹ thuật – sản xuất")
    business = _holder("b", ["pho_giam_doc"], "Phó Giám đốc phụ trách kinh doanh")
    loss = Shortcoming(
        make_passage("Tỷ lệ thất thoát nước còn 21,4%.", "shortcomings"),
        "do dong chi pho giam doc phu trach ky thuat - san xuat truc tiep chi dao",
    )
    assert [r.identity.file for r in responsible(loss, [technical, business])] == ["a"]
    named = Shortcoming(
        make_passage("Hồ sơ đất đai quá hạn 27 hồ sơ.", "shortcomings"),
        "linh vuc nay do dong chi ha van minh, pho giam doc, duoc phan cong theo doi",
    )
    minh = _holder("ha văn minh", ["pho_giam_doc"], "Phó Giám đốc")
    assert [r.identity.file for r in responsible(named, [technical, minh])] == ["ha văn minh"]


def test_a_sub_unit_s_place_is_its_manager_s_area():
    manager = _holder("k", ["giam_doc"], "Giám đốc Xí nghiệp nước Sông Mai", places=["xi nghiep nuoc song mai"])
    there = Shortcoming(make_passage("Tai nạn lao động tại Xí nghiệp nước Sông Mai ngày 14/8/2025.", "shortcomings"))
    elsewhere = Shortcoming(make_passage("Khách hàng ở khu vực Sông Mai nợ 1,1 tỷ đồng.", "shortcomings"))
    assert [r.why for r in responsible(there, [manager])] == [["area"]]
    assert responsible(elsewhere, [manager]) == []


def test_a_claim_about_one_s_own_area_is_a_denial(matcher):
    report = _report(
        (
            "Công tác phát triển đảng viên do tôi trực tiếp chỉ đạo đạt kết quả tốt, kết nạp 2 quần chúng ưu tú.",
            "achievements",
        ),
    )
    assert collective_verdict(PARTY, ["head"], [], report, OTHERS, matcher).verdict == "denied"


def test_a_line_scoped_to_other_topics_is_not_a_general_diffusion(matcher):
    report = _report(
        (
            "Về tuyến đường bê tông nội đồng xóm Bến: bản thân cùng chịu trách nhiệm chung với tập thể chi bộ.",
            "collective_responsibility",
        ),
    )
    assert collective_verdict(PARTY, ["head"], [], report, OTHERS, matcher).verdict == "absent"


def test_handing_a_case_on_is_not_fixing_it():
    text = "Vụ tranh chấp đất đã được tôi chuyển hồ sơ sang Phòng Kinh tế từ tháng 8/2025, đến nay chưa có kết quả."
    assert outcome(make_passage(text, "previous_remediation")) == "not_fixed"


def test_a_line_scoped_to_another_item_neither_owns_nor_denies_this_one(matcher):
    owning_elsewhere = (
        "Về tuyến đường bê tông nội đồng xóm Bến: tôi nhận trách nhiệm trực tiếp như đã nêu ở phần II.",
        "collective_responsibility",
    )
    assert collective_verdict(FUND, ["head"], [], _report(owning_elsewhere), OTHERS, matcher).verdict == "absent"
    # a line naming two topics is about each of them
    both = (
        "Về thu quỹ Quốc phòng - an ninh và tuyến đường bê tông nội đồng: tôi nhận trách nhiệm trực tiếp.",
        "collective_responsibility",
    )
    assert collective_verdict(FUND, ["head"], [], _report(both), OTHERS, matcher).verdict == "owned"


def test_a_direct_fault_of_mine_owns():
    text = "Tôi trình hồ sơ thanh toán chậm 2 tháng; đây là lỗi trực tiếp của tôi chứ không chỉ do vướng thủ tục."
    assert owns(make_passage(text, "shortcomings"))


def test_a_specific_account_that_looks_back_counts_wherever_it_is(matcher):
    looking_back = (
        "Năm 2025 chi bộ tổ chức đủ 4/4 kỳ sinh hoạt chuyên đề, khắc phục được tình trạng năm 2024 chỉ tổ chức 2/4 kỳ.",
        "achievements",
    )
    decision = previous_verdict(LAST_YEAR, _report(looking_back), matcher, [LAST_YEAR, MINUTES])
    assert decision.verdict == "reported" and "khắc phục" in decision.passage.text
    # the same figures without looking back are this year's achievement, not an account of last year's shortcoming
    plain = ("Năm 2025 chi bộ tổ chức đủ 4/4 kỳ sinh hoạt chuyên đề theo kế hoạch.", "achievements")
    assert previous_verdict(LAST_YEAR, _report(plain), matcher, [LAST_YEAR, MINUTES]).verdict == "not_mentioned"


def test_an_account_elsewhere_that_says_the_fault_is_gone_or_not_fixed_counts(matcher):
    """Outside part III, "… không còn … như năm 2024" and "… năm nay … chưa khắc phục được" look back at last year's
    shortcoming: a specific account of it, not this year's shortcoming again nor an achievement."""
    gone = (
        "Năm 2025 chi bộ tổ chức đủ 4 kỳ sinh hoạt chuyên đề, không còn bỏ kỳ nào như năm 2024.",
        "achievements",
    )
    decision = previous_verdict(LAST_YEAR, _report(gone), matcher, [LAST_YEAR, MINUTES])
    assert decision.verdict == "reported" and decision.outcome == "fixed"
    kept = (  # last year's words again, but said of last year, with this year's result: not a copy
        "Chi bộ chỉ tổ chức 2/4 kỳ sinh hoạt chuyên đề theo quy định, chưa chuẩn bị nội dung từ đầu năm; năm nay "
        "tôi có cố gắng nhưng vẫn chưa khắc phục được.",
        "shortcomings",
    )
    decision = previous_verdict(LAST_YEAR, _report(kept), matcher, [LAST_YEAR, MINUTES])
    assert decision.verdict == "reported" and decision.outcome == "not_fixed"


def test_lessons_drawn_is_a_stock_line(matcher):
    """ "Các hạn chế khác năm trước đã được rút kinh nghiệm." says nothing of what became of the shortcoming."""
    stock = ("Các hạn chế khác năm trước đã được rút kinh nghiệm.", "previous_remediation")
    assert previous_verdict(LAST_YEAR, _report(stock), matcher, [LAST_YEAR, MINUTES]).verdict == "stock_line"


def test_a_statement_naming_its_topics_is_about_those_items_only():
    from nlp.cross.responsibility import responsibility_statements, statements_for

    loss = Shortcoming(make_passage("Tỷ lệ thất thoát nước còn 21,4%, không đạt chỉ tiêu 18%.", "shortcomings"))
    debts = Shortcoming(
        make_passage("Nợ đọng tiền nước còn 3,46 tỷ đồng, 608 khách hàng nợ quá 3 tháng.", "shortcomings")
    )
    text = "Đồng chí Phó Giám đốc kỹ thuật chịu trách nhiệm trực tiếp về thất thoát nước và an toàn lao động."
    statements = responsibility_statements([make_passage(text, "collective_responsibility")])

    class Always:  # an encoder that finds every pair the same item: only the topics decide
        def score(self, a, b):
            return type("M", (), {"score": 1.0})()

    assert statements_for(loss, statements, Always()) == statements
    assert statements_for(debts, statements, Always()) == []


def test_a_body_another_writer_heads_as_subject_and_a_sub_unit_manager_s_post_areas():
    from nlp.cross.identity import find_posts

    manager = _holder(
        "k", ["giam_doc"], "Giám đốc Xí nghiệp nước Sông Mai", places=["xi nghiep nuoc song mai"],
        areas=find_posts(None, "Giám đốc Xí nghiệp nước Sông Mai")[1],
    )  # fmt: skip
    inspector = _holder(
        "n", ["uy_ban_kiem_tra"], None, party_post="Chủ nhiệm Ủy ban Kiểm tra Đảng ủy",
        areas=find_posts("Chủ nhiệm Ủy ban Kiểm tra Đảng ủy", None)[1],
    )  # fmt: skip
    supervision = Shortcoming(
        make_passage(
            "Ủy ban Kiểm tra Đảng ủy chưa giám sát chi tiêu nội bộ tại Xí nghiệp nước Sông Mai.", "shortcomings"
        )
    )
    assert [r.identity.file for r in responsible(supervision, [manager, inspector])] == ["n"]
    # a village head's post areas are his village's: a road in another village is not his
    gò_dầu = _holder("t", ["truong_thon"], "Trưởng thôn Gò Dầu", places=["thon go dau"], areas=["duong giao thong"])
    bàu_sen = _holder("h", ["bi_thu_chi_bo"], None, places=["thon bau sen"])
    road = Shortcoming(make_passage("Thôn Bàu Sen còn 1,2 km đường giao thông chưa cứng hóa.", "shortcomings"))
    assert [r.identity.file for r in responsible(road, [gò_dầu, bàu_sen])] == ["h"]


def test_more_stock_lines_and_claims_of_good_results(matcher):
    stock = ("Những hạn chế năm trước, bản thân đã nghiêm túc tiếp thu và từng bước khắc phục.", "previous_remediation")
    assert previous_verdict(LAST_YEAR, _report(stock), matcher, [LAST_YEAR, MINUTES]).verdict == "stock_line"
    from nlp.cross.verdict import contrary

    claim = "Tôi trực tiếp giải quyết kịp thời các đơn thư của phụ huynh, không để tồn đọng."
    assert contrary(make_passage(claim, "achievements"))
    assert not contrary(make_passage("Trung thực, cẩn thận; không để xảy ra thất thoát.", "ideology_ethics"))
    # a claim that things were done on time, settled for good, with nothing left over, or without an incident
    for said in (
        "Các kiến nghị của hộ kinh doanh đều được tôi trả lời đúng thời hạn, dứt điểm.",
        "Đến cuối năm không còn đơn nào chưa xử lý, không còn tồn đọng.",
        "Kho thuốc thú y được kiểm kê hằng quý, không để xảy ra hư hỏng.",
        "Công tác tiếp dân năm 2025 không có gì phải kiểm điểm.",
        "Việc mua sắm vật tư thú y thực hiện đúng quy trình, bảo đảm đủ hóa chất cho các đợt tiêu độc.",
        "Các kiến nghị của hộ chăn nuôi đều được giải quyết đúng trình tự, không có đơn tồn đọng.",
    ):
        assert contrary(make_passage(said, "achievements")), said
    assert not contrary(make_passage("Hồ sơ vay vốn còn chậm, chưa đúng hạn ở 2 tổ.", "shortcomings"))
    # a good word taken back a word or two before it is no claim ("chưa ứng dụng tốt"), unlike "không để … , tốt"
    assert not contrary(make_passage("Việc tự học tin học chưa ứng dụng tốt vào giảng dạy.", "shortcomings"))
    assert contrary(make_passage("Không để xảy ra sai sót, công tác kế toán được đánh giá tốt.", "achievements"))


def test_a_division_of_fields_in_the_collective_report_gives_areas(matcher):
    from nlp.cross.responsibility import responsibility_statements, statements_for

    text = (
        "Phân công trong Ban Chấp hành: đồng chí Bí thư phụ trách chung; đồng chí Lê Thị Hoa, Phó Bí thư, phụ trách "
        "công tác tư tưởng và công tác kiểm soát nhiễm khuẩn."
    )
    statements = responsibility_statements([make_passage(text, None)])
    assert [s.fields.text for s in statements if s.fields] == [
        "chung",
        "công tác tư tưởng và công tác kiểm soát nhiễm khuẩn.",
    ]
    infection = Shortcoming(
        make_passage(
            "Công tác kiểm soát nhiễm khuẩn còn yếu: tháng 8/2025 xảy ra chùm 4 ca nhiễm khuẩn bệnh viện.",
            "shortcomings",
        )
    )
    fund = Shortcoming(make_passage("Quỹ Tương trợ thu 34,5 triệu đồng nhưng chưa công khai.", "shortcomings"))
    assert [s.passage.text[:22] for s in statements_for(infection, statements, matcher)] == ["đồng chí Lê Thị Hoa, P"]
    assert statements_for(fund, statements, matcher) == []  # "tư tưởng" shares one syllable with "Tương trợ"


def test_owning_an_area_and_claiming_it_went_well_is_a_denial(matcher):
    """ "Tôi trực tiếp chịu trách nhiệm về X; X đã làm đúng quy định" takes the area, not the fault."""
    claim = (
        "Tôi trực tiếp chịu trách nhiệm về công tác thu quỹ của thôn; năm 2025 các khoản thu đều thực hiện đúng quy "
        "định, sổ sách công khai.",
        "shortcomings",
    )
    assert not owns(make_passage(*claim))
    assert collective_verdict(FUND, ["named"], ["thu quy"], _report(claim), OTHERS, matcher).verdict == "denied"
    admits = make_passage("Tôi trực tiếp chịu trách nhiệm về thu quỹ; tôi chưa đôn đốc 41 hộ chậm nộp.", "shortcomings")
    assert owns(admits)


def test_an_explicit_denial_of_the_item_outweighs_an_owned_side_fault(matcher):
    report = _report(
        ("Tôi chưa kịp nhắc các hộ xóm Bến dọn đất đá lấn ra đường nội đồng sau mùa mưa.", "shortcomings"),
        (
            "Việc đường bê tông xóm Bến khởi công chậm, đúng là có khuyết điểm, nhưng vốn do Ban phát triển thôn thu "
            "nên phần này không thuộc trách nhiệm của tôi.",
            "shortcomings",
        ),
    )
    decision = collective_verdict(ROAD, ["area"], ["duong be tong"], report, OTHERS, matcher)
    assert decision.verdict == "denied" and decision.passage.text.startswith("Việc đường bê tông")


def test_shared_responsibility_for_the_item_itself_outweighs_a_claim_found_through_the_area(matcher):
    report = _report(
        ("Hướng dẫn 3 quần chúng ưu tú học lớp nhận thức về Đảng, sinh hoạt chi bộ đều đặn, nền nếp.", "duties"),
        (
            "Là chi ủy viên phụ trách công tác tổ chức, bản thân cùng chịu trách nhiệm chung với tập thể về việc chi bộ "
            "không kết nạp được đảng viên mới.",
            "collective_responsibility",
        ),
    )
    areas = ["sinh hoat chi bo", "ket nap dang", "dang vien moi"]
    assert collective_verdict(PARTY, ["area"], areas, report, OTHERS, matcher).verdict == "diffused"


def test_a_body_named_in_the_item_and_a_body_opening_another_clause():
    kindergarten = _holder("t", ["to_truong"], "Tổ trưởng tổ Mẫu giáo")
    deputy = _holder("p", ["pho_hieu_truong"], "Phó Hiệu trưởng phụ trách chuyên môn")
    records = shortcomings(
        [
            make_passage(
                "Còn 41 hồ sơ trẻ thiếu mã định danh, trong đó 33 hồ sơ thuộc các lớp của Tổ Mẫu giáo; việc cập nhật do "
                "đồng chí Phó Hiệu trưởng phụ trách chuyên môn chỉ đạo.",
                "shortcomings",
            )
        ]
    )[0]
    assert {r.identity.file for r in responsible(records, [kindergarten, deputy])} == {"t", "p"}
    village = _holder("v", ["truong_thon"], "Trưởng khu phố", areas=["quy vi nguoi ngheo", "dong gop"])
    front = _holder("m", ["mat_tran"], "Trưởng Ban công tác Mặt trận khu phố")
    fund = Shortcoming(
        make_passage(
            "Quỹ Vì người nghèo mới đạt 62,8% chỉ tiêu; Ban công tác Mặt trận khu phố chưa đến từng hộ vận động.",
            "shortcomings",
        )
    )
    assert [r.identity.file for r in responsible(fund, [village, front])] == ["m"]


def test_a_person_named_after_a_comma_as_the_one_in_charge():
    item = shortcomings(
        [
            make_passage(
                "Lấn chiếm vỉa hè đường Cây Gáo vẫn tái diễn, còn 15 hộ vi phạm; đồng chí Trưởng khu phố, người được "
                "giao trực tiếp theo dõi việc này, chưa phối hợp với Công an phường.",
                "shortcomings",
            )
        ]
    )[0]
    village = _holder("v", ["truong_thon"], "Trưởng khu phố")
    assert [r.why for r in responsible(item, [village])] == [["named"]]


def test_more_ways_of_saying_the_item_is_not_the_writer_s_fault(matcher):
    for said in (
        "Về thu quỹ Quốc phòng - an ninh mà tập thể nêu: việc thu do Ban tài chính xã trực tiếp làm, nên đây không phải "
        "khuyết điểm thuộc trách nhiệm của Trưởng thôn.",
        "Riêng việc 41 hộ chưa nộp quỹ Quốc phòng - an ninh: thôn không được giao nhiệm vụ này nên tôi không có khuyết "
        "điểm ở nội dung đó.",
        "Thu quỹ Quốc phòng - an ninh đạt 68% là do kinh tế các hộ khó khăn, không phải do thôn thiếu trách nhiệm.",
    ):
        report = _report((said, "shortcomings"))
        assert collective_verdict(FUND, ["named"], ["thu quy"], report, OTHERS, matcher).verdict == "denied", said


def test_a_claim_about_one_activity_is_not_held_against_an_item_of_another_field(matcher):
    union = Shortcoming(
        make_passage(
            "Chi bộ không kết nạp được đảng viên mới; 2 quần chúng ưu tú chưa được Ban Chấp hành Công đoàn họp xét.",
            "shortcomings",
        )
    )
    activity = ("Phối hợp tổ chức hội nghị người lao động tháng 01/2025 đúng quy định.", "duties")
    decision = collective_verdict(union, ["area"], ["cong doan", "nguoi lao dong"], _report(activity), [union], matcher)
    assert decision.verdict == "absent"
    field = ("Công tác công đoàn năm 2025 thực hiện đúng quy định, không có sai sót.", "duties")
    decision = collective_verdict(union, ["area"], ["cong doan", "nguoi lao dong"], _report(field), [union], matcher)
    assert decision.verdict == "denied"


def test_the_writer_s_own_conclusion_decides_the_outcome():
    def said(text: str) -> str:
        return outcome(make_passage(text, "previous_remediation"))

    assert said("Tỷ lệ làm rõ án năm 2025 đạt 55% (11/20 vụ), vẫn chưa đạt 65%; hạn chế này chưa khắc phục được.") == (
        "not_fixed"
    )
    assert said(
        "Sinh hoạt chuyên đề: năm 2025 chi bộ tổ chức đủ 4/4 kỳ, còn lại 2 kỳ ghép; hạn chế này đã khắc phục."
    ) == ("fixed")
    assert said("Số hóa hồ sơ: năm 2024 mới đạt 40%, đến tháng 5/2025 đã hoàn thành 100% (3.420 bộ).") == "fixed"
    assert said("Hai giáo trình đến nay vẫn chưa hoàn thành, mới có bản thảo 5/8 bài.") == "not_fixed"
    assert said("Đã khắc phục một phần: thu được 1,5 tỷ đồng, còn 2,6 tỷ đồng chưa thu.") == "partly"


def test_a_clause_that_opens_on_the_writer_s_own_chi_bo_is_hers_whoever_opens_the_sentence():
    committee = _holder("k", ["uy_ban_kiem_tra"], "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy")
    branch = _holder("n", ["bi_thu_chi_bo"], "Đội trưởng Đội Quản lý nợ", places=["chi bo quan ly no ke khai"])
    dues = Shortcoming(
        make_passage(
            "Ủy ban Kiểm tra Đảng ủy mới thực hiện 1/2 cuộc kiểm tra; Chi bộ Quản lý nợ – Kê khai nộp đảng phí quý II "
            "chậm 27 ngày.",
            "shortcomings",
        )
    )
    assert {r.identity.file for r in responsible(dues, [committee, branch])} == {"k", "n"}


def test_a_field_is_named_by_its_words_in_a_row_not_by_stray_syllables():
    from nlp.cross.responsibility import _shares_a_phrase

    fields = make_passage("công tác phát triển số lượng, tuyển sinh và phổ cập", "shortcomings")
    stray = make_passage("Việc cập nhật dữ liệu do đồng chí Phó Hiệu trưởng chỉ đạo còn chậm.", "shortcomings")
    named = make_passage("Tỷ lệ phổ cập giáo dục mầm non cho trẻ 5 tuổi chưa đạt.", "shortcomings")
    assert not _shares_a_phrase(stray, fields) and _shares_a_phrase(named, fields)


def _result(text: str):
    from nlp import analyze

    return analyze(text)


def test_a_list_item_of_two_sentences_is_one_shortcoming_and_its_second_sentence_names_who():
    from nlp.cross.passages import passages

    text = (
        "ĐẢNG BỘ XÃ AN PHÚ\nCHI BỘ TRƯỜNG MẦM NON AN PHÚ\nBÁO CÁO KIỂM ĐIỂM TẬP THỂ CHI BỘ NĂM 2025\n"
        "II. HẠN CHẾ, KHUYẾT ĐIỂM\n"
        "1. Kiểm tra phòng cháy tháng 10/2025 phát hiện 2 bình chữa cháy hết hạn ở bếp ăn. Mô hình bếp an toàn Chi bộ "
        "giao Ban Chấp hành Công đoàn trường chủ trì không duy trì được việc kiểm tra hằng tuần.\n"
        "2. Tỷ lệ huy động trẻ 3 tuổi ra lớp đạt 84,7%, thấp hơn nghị quyết 92%.\n"
    )
    found = shortcomings(passages("t.txt", _result(text)))
    assert [s.passage.text[:22] for s in found] == ["Kiểm tra phòng cháy th", "Tỷ lệ huy động trẻ 3 t"]
    union = _holder("u", ["chu_tich_cong_doan"], "Chủ tịch Công đoàn trường")
    assert [r.why for r in responsible(found[0], [union])] == [["named"]]
    pasted = text.replace("\n1. ", " ").replace("\n2. ", " ").replace("ĐIỂM\n", "ĐIỂM\n")
    assert len(shortcomings(passages("t.txt", _result(pasted)))) == 3  # one paragraph: read sentence by sentence
    numbered = text.replace("\n1. ", " 1. ").replace("\n2. ", " 2. ")  # the part as one paragraph, its numbers kept
    found = shortcomings(passages("t.txt", _result(numbered)))
    assert [s.passage.text.removeprefix("2. ")[:22] for s in found] == [
        "Kiểm tra phòng cháy th",
        "Tỷ lệ huy động trẻ 3 t",
    ]
    assert [r.why for r in responsible(found[0], [union])] == [["named"]]


def test_a_job_in_charge_of_a_field_answers_for_it_without_a_post():
    from nlp.cross.identity import find_posts

    found, areas = find_posts(None, "Cán bộ tín dụng phụ trách xã Thạch Liễn và xã Phú Nham")
    assert found == [] and {"xa thach lien", "xa phu nham"} <= set(areas)
    officer = _holder("c", [], "Cán bộ tín dụng phụ trách xã Thạch Liễn và xã Phú Nham", areas=areas)
    member = _holder("m", [], "Giao dịch viên", areas=[])
    debt = Shortcoming(make_passage("Nợ quá hạn tại xã Thạch Liễn 1,84%, vượt mức trần 1%.", "shortcomings"))
    assert [r.identity.file for r in responsible(debt, [officer, member])] == ["c"]
    _, areas = find_posts(None, "Tổ trưởng Tổ Kiểm tra – kiểm soát nội bộ")
    assert "kiem tra kiem soat noi bo" in areas


def test_still_more_denials_and_claims(matcher):
    for said in (
        "Về thu quỹ Quốc phòng - an ninh: thôn đã thu đúng quy trình, còn việc đôn đốc các hộ là trách nhiệm của tổ "
        "trưởng tổ tự quản.",
        "Về thu quỹ Quốc phòng - an ninh là phần việc tôi trực tiếp phụ trách, tôi đã làm hết trách nhiệm.",
        "Thu quỹ Quốc phòng - an ninh của thôn vẫn duy trì hoạt động bình thường, không có hộ nào bỏ nộp kéo dài.",
    ):
        report = _report((said, "shortcomings"))
        assert collective_verdict(FUND, ["named"], ["thu quy"], report, OTHERS, matcher).verdict == "denied", said


def test_a_post_after_a_name_is_that_person_s_and_a_post_on_its_own_still_names_its_holder():
    deputy = _holder("d", ["pho_giam_doc"], "Phó Giám đốc phụ trách tín dụng")
    officer = _holder("nguyễn văn khôi", [], "Cán bộ tín dụng phụ trách hai xã", areas=["hai xa"])
    women = _holder("hà thị piềng", ["chi_hoi_truong_phu_nu"], "Chi hội trưởng Chi hội Phụ nữ")
    farmers = _holder("n", ["chi_hoi_truong_nong_dan"], "Chi hội trưởng Chi hội Nông dân")
    debt = Shortcoming(
        make_passage("Nợ quá hạn tại hai xã vượt mức trần 1%.", "shortcomings"),
        "day la linh vuc tin dung do dong chi pho giam doc phu trach; can bo tin dung truc tiep theo doi hai xa la "
        "dong chi nguyen van khoi.",
    )
    assert {r.identity.file for r in responsible(debt, [deputy, officer])} == {"d", "nguyễn văn khôi"}
    census = Shortcoming(
        make_passage("Công tác dân số: 3 hộ sinh con thứ ba.", "shortcomings"),
        "dong chi ha thi pieng, chi uy vien, chi hoi truong chi hoi phu nu, duoc chi bo phan cong phu trach cong tac "
        "dan so.",
    )
    assert [r.identity.file for r in responsible(census, [women, farmers])] == ["hà thị piềng"]


def test_a_good_result_taken_back_claims_nothing_and_a_plain_own_fault_owns():
    from nlp.cross.verdict import contrary

    assert not contrary(
        make_passage("Việc kiểm soát tin, bài có lúc chưa chặt chẽ, còn để xảy ra sai sót.", "shortcomings")
    )
    assert contrary(make_passage("Việc kiểm soát tin, bài chặt chẽ, không để xảy ra sai sót.", "shortcomings"))
    for text in (
        "Công nợ của các công ty lữ hành quá hạn thu hồi còn lớn, chưa có biện pháp xử lý dứt điểm.",
        "Tình trạng lấn chiếm vỉa hè còn tái diễn, không có giải pháp xử lý dứt điểm.",
        "Kết quả phát triển đảng viên chưa đạt chỉ tiêu là trách nhiệm của cả Đảng bộ, các chi bộ cần quyết liệt hơn.",
    ):  # no remedy yet, a wish: the words of a good result, taken back
        assert not contrary(make_passage(text, "shortcomings")), text
    assert contrary(make_passage("Khoản nợ của Công ty Cánh Diều đã được xử lý dứt điểm.", "achievements"))
    for text in (
        "Công tác phòng cháy được tôi trực tiếp chỉ đạo; năm 2025 bệnh viện không để xảy ra cháy, nổ.",
        "Qua kiểm tra của Sở Tài chính, quỹ phúc lợi của Trung tâm không bị xử phạt.",
    ):
        assert contrary(make_passage(text, "collective_responsibility")), text
    signed = make_passage(
        "Tôi ký ban hành quy chế chi nhuận bút mới chậm 3 tháng, nên nhuận bút quý II bị trả chậm.", "shortcomings"
    )
    assert owns(signed)
    shared = make_passage(
        "Bản thân tôi cùng chịu trách nhiệm chung với tập thể về việc chậm trả nhuận bút.", "shortcomings"
    )
    assert not owns(shared)
    elsewhere = make_passage(
        "Về việc chi trợ cấp quý II chậm 23 ngày, tôi xin nói rõ: khâu chi tiền do kế toán làm, còn phần việc tôi phụ "
        "trách là xét duyệt danh sách thì đã xong đúng hạn, không để chậm.",
        "collective_responsibility",
    )
    assert not owns(elsewhere)  # "không để chậm" denies the fault word it holds


def test_a_division_of_work_that_gives_a_field_to_a_body(matcher):
    from nlp.cross.responsibility import responsibility_statements, statements_for

    office = _holder("h", ["truong_phong"], "Trưởng phòng Hành chính – Trị sự")
    other = _holder("t", ["truong_phong"], "Trưởng phòng Kỹ thuật – Công nghệ")
    lines = [
        make_passage(
            "Từ tháng 8/2025, Ban Biên tập giao Phòng Hành chính – Trị sự làm đầu mối khai thác quảng cáo, tài trợ.",
            "duties",
        )
    ]
    revenue = Shortcoming(
        make_passage("Doanh thu quảng cáo, tài trợ cả năm đạt 11,2 tỷ đồng, bằng 74,7% kế hoạch.", "shortcomings")
    )
    statements = statements_for(revenue, responsibility_statements(lines), matcher)
    assert [r.identity.file for r in responsible(revenue, [office, other], statements)] == ["h"]


def test_learning_lessons_with_the_collective_is_not_sharing_responsibility(matcher):
    from nlp.cross.verdict import _diffuse_only

    assert not _diffuse_only(fold("Bản thân cùng tập thể nghiêm túc rút kinh nghiệm."))
    assert _diffuse_only(fold("Bản thân cùng tập thể chi ủy chịu trách nhiệm về các hạn chế trên."))


def test_a_claim_that_meets_the_requirement_admits_no_fault_and_no_direct_responsibility_denies():
    from nlp.cross.verdict import clean_claim, contrary

    met = make_passage(
        "Tôi chịu trách nhiệm trực tiếp chỉ đạo ôn thi và kết quả đạt yêu cầu đề ra, không có học sinh bị đình chỉ thi.",
        "achievements",
    )
    assert clean_claim(met) and contrary(met) and not owns(met)
    assert contrary(make_passage("Phòng chỉ làm nhiệm vụ tham mưu, nên tôi không có trách nhiệm trực tiếp.", "causes"))


def test_more_stock_lines_on_last_year(matcher):
    from nlp.cross.verdict import previous_verdict

    item = Shortcoming(make_passage("Sắp xếp hồ sơ trong kho còn lộn xộn, chưa lập danh mục.", "shortcomings"))
    for said in (
        "Về việc sắp xếp hồ sơ trong kho, bản thân đã tiếp thu và khắc phục.",
        "Về việc sắp xếp hồ sơ trong kho, bản thân đã quan tâm chỉ đạo, đôn đốc các bộ phận liên quan.",
    ):
        decision = previous_verdict(item, [make_passage(said, "previous_remediation")], matcher)
        assert decision.verdict == "stock_line", said


def test_not_the_team_s_part_and_a_plain_own_fault_beside_a_shared_part(matcher):
    said = (
        "Về thu quỹ Quốc phòng - an ninh: tổ đã thu đúng quy trình; việc đôn đốc các hộ chậm nộp thuộc khâu của bộ phận "
        "tài chính xã, không phải phần việc của tổ.",
        "shortcomings",
    )
    assert collective_verdict(FUND, ["named"], ["thu quy"], _report(said), OTHERS, matcher).verdict == "denied"
    signed = make_passage(
        "Chính tôi đã ký giấy chứng nhận khi chưa xem phiếu kiểm tra, để giấy ghi thừa 236 m2; tôi nhận phần trách "
        "nhiệm của người ký.",
        "shortcomings",
    )
    assert owns(signed)


def test_a_plain_not_fixed_is_reported_and_more_stock(matcher):
    from nlp.cross.verdict import previous_verdict

    item = Shortcoming(make_passage("Đường điện chiếu sáng xóm Đồng chưa làm được.", "shortcomings"))
    said = make_passage(
        "Đường điện chiếu sáng xóm Đồng: chưa thực hiện được do không huy động được kinh phí, đến nay vẫn chưa có điện.",
        "previous_remediation",
    )
    decision = previous_verdict(item, [said], matcher)
    assert (decision.verdict, decision.outcome) == ("reported", "not_fixed")
    stock = make_passage(
        "Việc làm đường điện chiếu sáng xóm Đồng đã được quan tâm hơn so với năm trước.", "previous_remediation"
    )
    assert previous_verdict(item, [stock], matcher).verdict == "stock_line"


def test_taking_one_s_own_part_owns_and_personal_conduct_is_no_claim_about_an_item(matcher):
    took = make_passage(
        "Tôi nhận phần trách nhiệm vì đã đồng ý để thôn thu quỹ theo từng hộ thay vì làm việc với các tổ từ đầu năm.",
        "collective_responsibility",
    )
    assert owns(took)
    conduct = (
        "Giữ vững lập trường tư tưởng, không có biểu hiện suy thoái, thu quỹ gia đình đóng đầy đủ, đúng hạn.",
        "ideology_ethics",
    )
    assert collective_verdict(FUND, ["head"], [], _report(conduct), OTHERS, matcher).verdict == "absent"


def test_a_writer_named_in_the_item_itself_answers_for_it():
    liaison = _holder("hoàng văn thắm", ["cong_an"], "Công an viên thôn")
    warning = Shortcoming(
        make_passage(
            "Cảnh báo sạt lở chiều 14/8/2025 không được truyền kịp thời đến 9 hộ; đồng chí Hoàng Văn Thắm nhận tin qua "
            "nhóm Zalo nhưng đến sáng hôm sau các hộ mới được báo.",
            "shortcomings",
        )
    )
    assert [r.why for r in responsible(warning, [liaison])] == [["named"]]


def test_a_report_that_takes_the_item_up_as_its_own_makes_its_writer_answer(matcher):
    """Neither the collective text nor the post names the writer, but the writer's own report does."""
    owning = _report(
        (
            "Tôi được chi bộ giao vận động làm tuyến đường bê tông nội đồng xóm Bến dài 1,2 km nhưng để khởi công "
            "chậm 4 tháng vì tôi không họp các hộ hiến đất sớm.",
            "shortcomings",
        )
    )
    denying = _report(
        (
            "Việc tuyến đường bê tông nội đồng xóm Bến khởi công chậm 4 tháng không thuộc phần việc tôi được phân "
            "công.",
            "collective_responsibility",
        )
    )
    sharing = _report(
        (
            "Tuyến đường bê tông nội đồng xóm Bến khởi công chậm là trách nhiệm chung của cả chi bộ.",
            "collective_responsibility",
        )
    )
    in_general = _report(
        (
            "Bản thân tôi cùng chi ủy chịu trách nhiệm chung về những hạn chế, khuyết điểm của chi bộ trong năm.",
            "collective_responsibility",
        )
    )
    pointing_away = _report(
        (
            "Tuyến đường bê tông nội đồng xóm Bến khởi công chậm là trách nhiệm chung của Ban phát triển thôn, không "
            "thuộc phần việc tôi được phân công.",
            "collective_responsibility",
        )
    )
    assert speaks_to(ROAD, owning, OTHERS, matcher)
    assert speaks_to(ROAD, denying, OTHERS, matcher)
    assert speaks_to(ROAD, pointing_away, OTHERS, matcher)  # a denial, though worded as a shared responsibility
    # a post holder who names the item and calls it shared answers for it (only a post holder is asked: _speaking)
    assert speaks_to(ROAD, sharing, OTHERS, matcher)
    assert not speaks_to(ROAD, in_general, OTHERS, matcher)  # the collective's shortcomings in general: no item
    assert not speaks_to(FUND, owning, OTHERS, matcher)  # another item
    assert not speaks_to(FUND, sharing, OTHERS, matcher)


def test_a_denial_only_the_stance_model_reads_speaks_where_the_report_answers_for_faults(matcher):
    """No denial cue, but the model reads the sentence as one: in part V (the writer's part in the collective's
    faults) the writer takes the item up; the same words among the duties done are a claim, not an answer."""
    from nlp.cross.verdict import denial_cue, denies

    text = (
        "Tuyến đường bê tông nội đồng xóm Bến khởi công chậm 4 tháng là do các hộ chưa thống nhất hiến đất; Ban "
        "phát triển thôn đã làm đúng và đủ phần việc được giao."
    )
    answering = _report((text, "collective_responsibility"))
    listed = _report((text, "duties"))
    said = answering[-1]
    assert denies(said) and not denial_cue(said)  # the model's reading, not a cue
    assert speaks_to(ROAD, answering, OTHERS, matcher)
    assert not speaks_to(ROAD, listed, OTHERS, matcher)


def test_a_division_of_three_fields_names_an_item_that_names_one_of_them_whole(matcher):
    """A list of fields is never close in meaning to one sentence about one of them: naming a field whole is enough,
    and the field then counts as the writer's area for the claims of his or her report."""
    from nlp.cross.responsibility import responsibility_statements, statements_for

    division = make_passage(
        "Theo phân công đầu năm, đồng chí Phó Hiệu trưởng phụ trách chuyên môn, công tác bán trú và việc duy trì sĩ "
        "số học sinh.",
        None,
    )
    statements = responsibility_statements([division])
    kitchen = Shortcoming(
        make_passage(
            "Tháng 10/2025 đoàn kiểm tra của xã phát hiện bếp ăn bán trú ở điểm trường chính lưu mẫu thức ăn "
            "không đủ 24 giờ.",
            "shortcomings",
        )
    )
    assert len(statements_for(kitchen, statements, matcher)) == 1
    deputy = Identity(file="d.txt", role="leader", form="2A", name="B", key="b", posts=["pho_hieu_truong"], head=False)
    (duty,) = responsible(kitchen, [deputy], statements_for(kitchen, statements, matcher))
    assert duty.why == ["named"] and "ban tru" in duty.fields
    claim = (
        "Công tác bán trú do tôi phụ trách được duy trì nền nếp, cả năm không để xảy ra ngộ độc thực phẩm.",
        "achievements",
    )
    decision = collective_verdict(kitchen, duty.why, duty.fields, _report(claim), [kitchen, FUND], matcher)
    assert decision.verdict == "denied"


def test_a_shared_responsibility_put_on_bodies_is_no_denial():
    shared = make_passage(
        "Những thiếu sót ở bếp ăn bán trú thuộc trách nhiệm chung của Ban giám hiệu và tổ nuôi dưỡng.",
        "collective_responsibility",
    )
    other = make_passage(
        "Việc lưu mẫu thức ăn thuộc trách nhiệm của tổ nuôi dưỡng, không thuộc phần việc tôi được phân công.",
        "collective_responsibility",
    )
    assert not denies(shared) and denies(other)


def test_a_division_of_work_replaces_the_default_areas_of_the_posts_it_names():
    """Two deputies of a police station: each answers by area for the fields the division gives, not for every
    police matter; the head keeps all."""
    from nlp.cross.responsibility import responsibility_statements, with_divided_fields

    division = make_passage(
        "Chi bộ phân công: đồng chí Phó Bí thư Phùng Văn Thịnh phụ trách an toàn giao thông và phòng cháy, "
        "chữa cháy; đồng chí Hoàng Thị Sương phụ trách an ninh nông thôn và tệ nạn ma túy.",
        None,
    )
    people = [
        Identity(file=f"{k}.txt", role="leader", form="2A", name=n, key=n.casefold(), posts=["truong_cong_an"],
                 areas=["an ninh", "ma tuy", "an toan giao thong", "phong chay"])
        for k, n in (("t", "Phùng Văn Thịnh"), ("s", "Hoàng Thị Sương"))
    ]  # fmt: skip
    thinh, suong = with_divided_fields(people, responsibility_statements([division]))
    assert "ma tuy" not in thinh.areas and any("giao thong" in a for a in thinh.areas)
    assert "ma tuy" in " ".join(suong.areas) and not any("giao thong" in a for a in suong.areas)


def test_a_claim_only_the_stance_model_reads_counts_when_it_plainly_names_the_item(matcher):
    fees = Shortcoming(
        make_passage("Có 5 đảng viên nộp đảng phí chậm từ 2 đến 3 tháng trong năm 2025.", "shortcomings")
    )
    claim = ("Việc thu, nộp đảng phí được duy trì đầy đủ, đúng kỳ; không có đảng viên nào nộp đảng phí chậm.", "duties")
    vague = ("Thực hiện đầy đủ như đã đăng ký với chi bộ.", "commitments")
    assert collective_verdict(fees, ["head"], [], _report(claim), [fees, FUND], matcher).verdict == "denied"
    assert collective_verdict(fees, ["head"], [], _report(vague), [fees, FUND], matcher).verdict == "absent"


def test_an_item_named_with_an_outside_cause_is_diffused_not_denied():
    """Naming the fault and an outside cause, with no claim of good results and no word of whose duty it was, does not
    deny it, though the stance model reads these as denials; saying whose duty or fault it was does."""
    for said in (
        "Thù lao cộng tác viên thú y quý III chi trả chậm do kinh phí tỉnh phân bổ muộn.",
        "Việc tiêm phòng dại ở bản Pá Hốc chậm là do nhiều hộ đi làm nương xa, không nhốt được chó.",
    ):
        assert reads_as(make_passage(said, "collective_responsibility"), "denied")
        assert not denies(make_passage(said, "collective_responsibility")), said
    for said in (
        "Tiêm phòng dại ở bản Pá Hốc chậm là do bản chưa vận động các hộ, việc vận động là nhiệm vụ của Ban quản lý bản.",
        "Tiêm phòng dại ở bản Pá Hốc chậm là do nhiều hộ không nhốt chó, lỗi của các hộ chăn nuôi chứ không phải của trạm.",
    ):
        assert denies(make_passage(said, "collective_responsibility")), said


def test_not_seeing_a_shortcoming_in_ones_own_field_denies():
    said = make_passage(
        "Về công tác kiểm tra do tôi trực tiếp phụ trách, bản thân không thấy có hạn chế đáng kể.",
        "collective_responsibility",
    )
    assert denies(said) and not owns(said)


def test_a_division_of_work_that_gives_a_charge_on_top_of_a_post_keeps_the_posts_areas():
    """A charge ("được giao làm Tổ trưởng Tổ mua sắm") adds to the post; the finance head still answers for disbursement."""
    from nlp.cross.responsibility import responsibility_statements, with_divided_fields

    division = make_passage(
        "Theo phân công của chi ủy: đồng chí Lò Thị Mến, Trưởng phòng Kế hoạch – Tài chính, được giao làm Tổ trưởng Tổ "
        "mua sắm hóa chất của Trạm.",
        None,
    )
    person = Identity(file="m.txt", role="leader", form="2A", name="Lò Thị Mến", key="lo thi men",
                      posts=["truong_phong"], areas=["ke hoach tai chinh", "giai ngan"])  # fmt: skip
    (men,) = with_divided_fields([person], responsibility_statements([division]))
    assert "giai ngan" in men.areas and any("mua sam" in a for a in men.areas)


def test_a_division_of_work_keeps_the_fields_the_writers_own_post_names():
    """The collective gives the deputy the party's recruitment; her own header says she is in charge of vaccination:
    both are hers."""
    from nlp.cross.responsibility import responsibility_statements, with_divided_fields

    division = make_passage(
        "Phân công: đồng chí Phó Bí thư chi bộ phụ trách phát triển đảng viên, giúp đỡ quần chúng ưu tú.", None
    )
    deputy = Identity(file="d.txt", role="leader", form="2A", name="Hà Thị Mơ", key="ha thi mo",
                      posts=["pho_bi_thu", "pho_truong_phong"], party_post="Phó Bí thư Chi bộ",
                      gov_post="Phó Trạm trưởng, phụ trách tiêm phòng và chẩn đoán xét nghiệm",
                      areas=["sinh hoat chi bo", "tiem phong"])  # fmt: skip
    (mo,) = with_divided_fields([deputy], responsibility_statements([division]))
    assert "tiem phong" in mo.areas and any("phat trien dang vien" in a for a in mo.areas)
    assert "sinh hoat chi bo" not in mo.areas  # the post's default area gives way to the division


class _CauseMatcher:
    """Reads every cause line as naming the road, sharing ``overlap`` of its words."""

    def __init__(self, overlap: float) -> None:
        self.overlap = overlap

    def same_item(self, query, candidates, baseline, strictness="same_item"):
        from nlp.cross.match import Match

        return [Match(c, 1.0, 1.0, self.overlap) for c in candidates if c.section == "causes" and query is ROAD.passage]

    def score(self, a, b):
        from nlp.cross.match import Match

        return Match(b, 1.0 if a is ROAD.passage else 0.5, 0.5, 0.0)


def test_a_cause_line_that_shares_no_words_with_the_item_does_not_diffuse_it():
    """A cause line the encoder puts near the item names it only when it shares its words too."""
    cause = ("Khách quan: biên chế của thôn thiếu 2 người; khối lượng việc tăng.", "causes")
    assert collective_verdict(ROAD, ["head"], [], _report(cause), OTHERS, _CauseMatcher(0.1)).verdict == "absent"
    assert collective_verdict(ROAD, ["head"], [], _report(cause), OTHERS, _CauseMatcher(0.5)).verdict == "diffused"


def test_a_sentence_stating_the_writers_own_part_is_no_denial_however_the_model_leans():
    """The stance model reads both as denials; the first says the writer's own part outright and disowns nothing."""
    said = make_passage(
        "Là Bí thư chi bộ, tôi đã để sinh hoạt chi bộ 3 tháng 8, 9, 10 ghép với giao ban cơ quan và không chỉ đạo thực "
        "hiện được cuộc giám sát chuyên đề nào theo Chương trình 05-CTr/CB; lỗi này do tôi đặt việc chuyên môn lên "
        "trước việc Đảng.",
        "collective_responsibility",
    )
    disowning = make_passage(
        "Riêng việc số hóa hồ sơ bệnh án, tôi cho rằng không phải là chậm tiến độ, vì kế hoạch số hóa là kế hoạch 3 năm "
        "và 1.200 hồ sơ đã số hóa năm nay là đúng lộ trình đã báo cáo Sở.",
        "collective_responsibility",
    )
    assert reads_as(said, "denied") and reads_as(disowning, "denied")
    assert owns(said) and not denies(said)
    assert not owns(disowning)


def test_a_sentence_sharing_most_words_with_an_item_is_about_it_though_the_encoder_puts_it_nearer_another():
    from nlp.cross.match import Match
    from nlp.cross.verdict import _mutual

    said = make_passage("Cuộc giám sát chế độ trực ban của đảng viên tôi phụ trách chưa thực hiện.", "shortcomings")

    class _Near:
        def __init__(self, rival_overlap: float) -> None:
            self.rival_overlap = rival_overlap

        def score(self, a, b):
            return Match(b, 1.0, 1.0, self.rival_overlap)  # the encoder scores the rival above the match

    match = Match(said, 0.93, 0.9, 0.62)
    assert _mutual(match, PARTY, OTHERS, _Near(0.1))
    assert not _mutual(match, PARTY, OTHERS, _Near(0.4))  # the rival shares words too: the encoder decides


class _FarMatcher:
    """Puts no sentence near any item: only the words decide."""

    def same_item(self, query, candidates, baseline, strictness="same_item"):
        return []

    def score(self, a, b):
        from nlp.cross.match import Match

        return Match(b, 0.5, 0.5, syllable_overlap(a, b))


def test_a_shared_responsibility_line_about_another_item_does_not_diffuse_this_one():
    """Outside its shared-responsibility words the first line names the defence fund, though the encoder does not."""
    about_fund = (
        "Việc thu quỹ Quốc phòng - an ninh còn 41 hộ chưa nộp, tôi cùng tập thể chi ủy chịu trách nhiệm chung.",
        "collective_responsibility",
    )
    general = (
        "Đối với các hạn chế của chi bộ, tôi cùng tập thể chi ủy chịu trách nhiệm chung.",
        "collective_responsibility",
    )
    far = _FarMatcher()
    assert collective_verdict(ROAD, ["head"], [], _report(about_fund), OTHERS, far).verdict == "absent"
    assert collective_verdict(ROAD, ["head"], [], _report(general), OTHERS, far).verdict == "diffused"


def test_not_accepting_a_fault_as_ones_own_denies():
    said = make_passage(
        "Vụ ngừng việc ở xưởng phát sinh do chủ doanh nghiệp chậm trả lương, nên tôi không nhận đây là khuyết điểm của "
        "Phòng.",
        "collective_responsibility",
    )
    assert denies(said) and not owns(said)


def test_the_stance_model_reads_no_denial_in_the_writers_own_faults_unless_one_disowns():
    """In the writer's own list of faults a sentence the model reads as a denial is one only when it disowns
    something; elsewhere the model's reading stands."""
    said = "Việc tiêm phòng dại ở bản Pá Hốc là phần việc của thú y viên bản."
    assert reads_as(make_passage(said, "shortcomings"), "denied")
    assert not denies(make_passage(said, "shortcomings"))
    assert denies(make_passage(said, "collective_responsibility"))
    disowning = "Việc tiêm phòng dại ở bản Pá Hốc chậm không phải do trạm mà do hộ chăn nuôi đi nương xa."
    assert denies(make_passage(disowning, "shortcomings"))


def test_a_line_naming_one_other_item_in_fewer_words_than_half_its_own_is_still_about_that_item():
    """A shared-responsibility line with many words of its own ("… trong công tác quản lý, giáo dục …") names the
    party item clearly more than any other: it does not diffuse the road; a line naming no item does."""
    about_party = (
        "Để chưa kết nạp được đảng viên mới là trách nhiệm của cả chi ủy trong công tác quản lý, giáo dục, bồi "
        "dưỡng, theo dõi, đôn đốc, tạo nguồn, rèn luyện, thử thách, giới thiệu, xét duyệt hồ sơ.",
        "collective_responsibility",
    )
    far = _FarMatcher()
    assert collective_verdict(ROAD, ["head"], [], _report(about_party), OTHERS, far).verdict == "absent"
    assert collective_verdict(PARTY, ["head"], [], _report(about_party), OTHERS, far).verdict == "diffused"


def test_a_denial_naming_another_item_in_its_words_is_not_held_against_this_one():
    denial = (
        "Việc kết nạp đảng viên mới và tạo nguồn quần chúng ưu tú không thuộc nhiệm vụ của tôi nên tôi không có "
        "trách nhiệm.",
        "shortcomings",
    )
    far = _FarMatcher()
    assert collective_verdict(ROAD, ["area"], ["duong be tong"], _report(denial), OTHERS, far).verdict == "absent"
    assert collective_verdict(PARTY, ["area"], [], _report(denial), OTHERS, far).verdict == "denied"


def test_a_line_opening_on_a_topic_that_another_item_holds_more_of_is_that_item_s():
    """ "Về việc thu quỹ Quốc phòng:" shares half its words with the road item too ("thu … quỹ"), but the fund
    item holds all of the topic: the owning line is the fund's, not the road's."""
    road = Shortcoming(
        make_passage(
            "Tuyến đường bê tông nội đồng xóm Bến chậm 4 tháng; việc thu đóng góp của các hộ cho quỹ làm đường còn chậm.",
            "shortcomings",
        )
    )
    line = (
        "Về việc thu quỹ Quốc phòng: tôi nhận khuyết điểm vì không kiểm tra tiến độ thu hằng tháng.",
        "shortcomings",
    )
    decision = collective_verdict(road, ["head"], [], _report(line), [FUND, road, PARTY], _NearMatcher())
    assert decision.verdict != "owned"
    assert collective_verdict(FUND, ["head"], [], _report(line), [FUND, road, PARTY], _NearMatcher()).verdict == "owned"


class _NearMatcher(_FarMatcher):
    """Puts every sentence near every item: only the topic decides."""

    def same_item(self, query, candidates, baseline, strictness="same_item"):
        from nlp.cross.match import Match

        return [Match(c, 0.99, 0.99, syllable_overlap(query, c)) for c in candidates]

    def score(self, a, b):
        from nlp.cross.match import Match

        return Match(b, 0.99, 0.99, syllable_overlap(a, b))


def test_a_division_of_work_among_the_shortcomings_is_no_shortcoming_but_says_whose_area_items_are():
    from nlp.cross.responsibility import responsibility_statements

    division = make_passage(
        "Trong năm, Ban Giám đốc đã phân công đồng chí Phó Giám đốc trực tiếp phụ trách hệ thống trạm quan trắc tự "
        "động và việc đôn đốc thu tiền các hợp đồng dịch vụ; các phòng chuyên môn thực hiện theo chức năng.",
        "shortcomings",
    )
    fault = make_passage("Trạm quan trắc tự động Bến Lội mất số liệu 23 ngày trong tháng 8/2025.", "shortcomings")
    attribution = make_passage("Đây là lĩnh vực do đồng chí Phó Giám đốc phụ trách trực tiếp chỉ đạo.", "shortcomings")
    found = shortcomings([fault, attribution, division])
    assert [s.passage.text for s in found] == [fault.text]  # the attribution joins the fault; the division is none
    assert "pho giam doc" in found[0].attribution
    statements = responsibility_statements([fault, attribution, division])
    assert [s.fields is not None for s in statements] == [True]  # the division gives fields, the attribution none


def test_a_post_named_with_its_part_is_not_another_part_s_head_and_prevention_is_no_department():
    from nlp.cross.identity import find_posts

    section_head = Identity(
        file="h.txt",
        role="leader",
        form="2A",
        name="Nông Đức Lực",
        key="nông đức lực",
        party_post="Chi ủy viên",
        gov_post="Hạt trưởng Hạt Quản lý đường bộ số 2",
        posts=["chi_uy_vien", "truong_phong"],
        head=False,
        areas=["hat quan ly duong bo so 2"],
    )
    corridor = shortcomings(
        [
            make_passage(
                "Còn 38 trường hợp lấn chiếm hành lang an toàn đường bộ chưa xử lý; việc này do đồng chí Trưởng phòng "
                "Kế hoạch – Kỹ thuật trực tiếp theo dõi.",
                "shortcomings",
            )
        ]
    )[0]
    assert responsible(corridor, [section_head]) == []  # alone in a pair check, still not the named office's head
    assert find_posts(None, "Chỉ huy trưởng phòng, chống thiên tai của Đoạn")[0] != ["truong_phong"]


def test_a_post_named_with_its_field_is_not_the_holder_of_that_post_in_charge_of_another_field():
    losses = shortcomings(
        [
            make_passage(
                "Tỷ lệ nước thất thoát năm 2025 là 21,4%, không đạt chỉ tiêu dưới 18%. Lĩnh vực giảm thất thoát do đồng "
                "chí Phó Giám đốc phụ trách kỹ thuật – sản xuất trực tiếp chỉ đạo.",
                "shortcomings",
            )
        ]
    )[0]
    business = _holder("b", ["pho_giam_doc"], "Phó Giám đốc phụ trách kinh doanh")
    technical = _holder("t", ["pho_giam_doc"], "Phó Giám đốc Công ty phụ trách kỹ thuật – sản xuất")
    unsaid = _holder("u", ["pho_giam_doc"], "Phó Giám đốc Công ty")
    assert [r.why for r in responsible(losses, [business])] == []  # alone in a pair check: another field's deputy
    assert [r.why for r in responsible(losses, [technical])] == [["named"]]
    assert [r.why for r in responsible(losses, [unsaid])] == [["named"]]  # a header without a field: still the post
    assert [r.identity.file for r in responsible(losses, [business, technical])] == ["t"]


def test_a_post_named_with_its_rank_is_not_the_holder_without_it():
    insurance = shortcomings(
        [
            make_passage(
                "Tỷ lệ người tham gia bảo hiểm xã hội tự nguyện mới đạt 8,7% (chỉ tiêu 12%); Đảng ủy đã phân công đồng "
                "chí Phó Bí thư Thường trực Đảng ủy trực tiếp chỉ đạo nhiệm vụ này.",
                "shortcomings",
            )
        ]
    )[0]

    chair = _holder("c", ["pho_bi_thu"], "", party_post="Phó Bí thư Đảng ủy xã")
    standing = _holder("s", ["pho_bi_thu"], "", party_post="Phó Bí thư Thường trực Đảng ủy xã")
    assert [r.why for r in responsible(insurance, [chair])] == []  # alone in a pair check: the other deputy
    assert [r.why for r in responsible(insurance, [standing])] == [["named"]]


def test_a_post_with_a_second_post_in_apposition_is_not_the_holder_of_the_first_alone():
    works = shortcomings(
        [
            make_passage(
                "Công trình đường liên thôn Bàu Sen – Gò Dầu chậm tiến độ 5 tháng, do đồng chí Phó Bí thư Đảng ủy, Chủ "
                "tịch Ủy ban nhân dân xã trực tiếp chỉ đạo.",
                "shortcomings",
            )
        ]
    )[0]
    standing = _holder("s", ["pho_bi_thu"], "", party_post="Phó Bí thư Thường trực Đảng ủy xã")
    chair = _holder("c", ["pho_bi_thu", "chu_tich"], "Chủ tịch Ủy ban nhân dân xã", party_post="Phó Bí thư Đảng ủy xã")
    assert [r.why for r in responsible(works, [standing])] == []  # alone in a pair check: not the chairman
    assert [r.why for r in responsible(works, [chair])] == [["named"]]
    two = shortcomings(
        [
            make_passage(
                "Công trình đường liên thôn chậm tiến độ 5 tháng, do đồng chí Phó Bí thư Đảng ủy, đồng chí Chủ tịch Ủy "
                "ban nhân dân xã cùng chỉ đạo.",
                "shortcomings",
            )
        ]
    )[0]
    assert [r.why for r in responsible(two, [standing])] == [["named"]]  # two people: the deputy is one of them


def test_a_mass_organisation_s_shortcoming_is_not_in_a_post_s_area_by_its_topic():
    union = shortcomings(
        [
            make_passage(
                "Ban Chấp hành Công đoàn cơ sở quyết toán kinh phí công đoàn năm 2024 chậm đến tháng 5/2025.",
                "shortcomings",
            )
        ]
    )[0]
    accountant = _person(["ke_toan"], areas=["tai chinh", "quyet toan", "kinh phi"])
    chair = _person(["chu_tich_cong_doan"], areas=["cong doan", "nguoi lao dong"])
    assert [r.why for r in responsible(union, [accountant])] == []  # alone, as in a reviewer's pair check
    assert [r.why for r in responsible(union, [chair])] == [["area"]]


def test_a_number_that_only_names_something_is_no_figure_of_a_result(matcher):
    """ "Về hồ sơ thu hồi đất làm đường ĐH.12, … đang tích cực khắc phục": the road's number is no result; "mục II.2"
    still points to where the result is."""
    from nlp.cross.verdict import _has_result

    assert not _has_result(
        make_passage(
            "Về hồ sơ thu hồi đất làm đường ĐH.12, bản thân đã tiếp thu và đang tích cực khắc phục.", "remedies"
        )
    )
    assert not _has_result(make_passage("Việc máy hút ẩm kho số 2 đã được quan tâm, khắc phục.", "remedies"))
    assert _has_result(make_passage("Việc sửa máy hút ẩm đã được khắc phục: 3/3 máy chạy từ tháng 4.", "remedies"))


def test_a_line_naming_last_year_s_item_with_only_a_remedial_verb_is_a_stock_line():
    from nlp.cross.verdict import _has_result

    for line in (
        "Về quyết toán các công trình hoàn thành, Ban tiếp tục quan tâm chỉ đạo.",
        "Về công khai tài chính: bản thân đã tiếp thu, rút kinh nghiệm.",
        "Về tỷ lệ dân quân hoàn thành huấn luyện, Ban đã tập trung chỉ đạo khắc phục.",
        "Hạn chế về lưu trữ hồ sơ bồi thường đã được chấn chỉnh.",
    ):
        assert not _has_result(make_passage(line, "remedies")), line
    assert _has_result(
        make_passage(
            "Về quyết toán: đã quyết toán xong 7/9 công trình, 2 công trình trình trong tháng 1/2026.", "remedies"
        )
    )


def test_an_area_or_a_step_said_to_be_another_s_denies():
    """ "không thuộc khu vực tôi được phân công", "trách nhiệm chính thuộc lực lượng …", "không có việc nào chậm do
    lỗi của …" and "không phải do khâu kiểm tra của Tổ" say the item is not the writer's, however they open."""
    for text in (
        "Đường mòn khe Nậm Cọ không thuộc khu vực tôi được phân công nắm địa bàn, nên trách nhiệm chính thuộc lực "
        "lượng Công an xã.",
        "Tôi xin nhận trách nhiệm với địa bàn được giao, song 21 việc còn lại đều do người phải thi hành án đi làm ăn "
        "xa; không có việc nào chậm do lỗi của Chấp hành viên.",
        "Lô hàng bị trả về là do gỗ hút ẩm khi chờ tàu ở cảng, không phải do khâu kiểm tra của Tổ.",
    ):
        said = make_passage(text, "shortcomings")
        assert denies(said) and not owns(said), text


def test_a_posts_responsibility_with_nothing_gone_wrong_owns_no_fault():
    """ "tôi chịu trách nhiệm trực tiếp" over an area whose work the sentence says was done right claims the area; the
    same phrase over a fault owns it."""
    claim = make_passage(
        "Công tác quản lý mốc giới được giao, tôi chịu trách nhiệm trực tiếp và đã chỉ đạo kiểm tra đủ 4 cột mốc khu "
        "vực phía Bắc theo quy định, các mốc giữ nguyên vị trí, không bị xê dịch.",
        "achievements",
    )
    fault = make_passage(
        "Tôi chịu trách nhiệm trực tiếp về việc kiểm tra 4 cột mốc phía Bắc chậm 2 tháng so với kế hoạch.",
        "shortcomings",
    )
    assert not owns(claim) and denies(claim)
    assert owns(fault) and not denies(fault)


PREAMBLE_REPORT = """ĐẢNG BỘ ỦY BAN MTTQ VIỆT NAM VÀ CÁC ĐOÀN THỂ TỈNH KIM SA
CHI BỘ CUNG VĂN HÓA THIẾU NHI TỈNH KIM SA
BÁO CÁO KIỂM ĐIỂM TẬP THỂ CHI BỘ NĂM 2025
Đặc điểm tình hình: Chi bộ có 11 đảng viên trong tổng số 38 viên chức. Phân công trong Ban Giám đốc: đồng chí Giám đốc phụ trách chung và công tác tổ chức cán bộ; đồng chí Phó Giám đốc phụ trách hành chính, tài chính, cơ sở vật chất và công tác phòng cháy, chữa cháy.
I. ƯU ĐIỂM
Tổ chức 14 chương trình biểu diễn phục vụ thiếu nhi trong năm.
II. HẠN CHẾ, KHUYẾT ĐIỂM
Đợt kiểm tra tháng 8/2025 phát hiện 26/40 bình chữa cháy đã quá hạn nạp, hệ thống báo cháy hỏng chưa sửa.
"""


def test_a_division_of_work_before_the_first_part_adds_its_fields_to_the_posts_areas():
    """The paragraph before part I may divide the work ("Phân công trong Ban Giám đốc: đồng chí Phó Giám đốc phụ trách
    … phòng cháy, chữa cháy"): the deputy then answers for the fire extinguishers by area, and keeps the areas of the
    post; the division is no item's attribution."""
    from nlp.cross.passages import PREAMBLE, passages
    from nlp.cross.responsibility import responsibility_statements, with_divided_fields

    found = passages("t.txt", _result(PREAMBLE_REPORT))
    assert [p.text[:20] for p in found if p.section == PREAMBLE] == ["Phân công trong Ban "]
    deputy = _holder("p.txt", ["pho_giam_doc"], "Phó Giám đốc", areas=["hanh chinh"])
    statements = responsibility_statements(found)
    (divided,) = with_divided_fields([deputy], statements)
    assert "hanh chinh" in divided.areas and any("phong chay" in a for a in divided.areas)
    item = shortcomings(found)[0]
    assert [r.why for r in responsible(item, [divided])] == [["area"]]


def test_not_seeing_a_fault_as_ones_own_and_a_result_meeting_the_requirement_deny():
    for text in (
        "Mảng việc được giao đạt kết quả tốt, nên tôi không xem đây là hạn chế thuộc phần việc của mình.",
        "Về hồ sơ bệnh án, tôi đã trực tiếp kiểm tra hằng tuần; chất lượng hồ sơ năm nay được nâng lên rõ rệt, đáp "
        "ứng yêu cầu kiểm tra.",
    ):
        said = make_passage(text, "achievements")
        assert not owns(said), text
    assert denies(make_passage("Tôi không xem đây là hạn chế của bộ phận mình.", "shortcomings"))


def test_a_sentence_naming_an_item_in_its_phrases_is_about_it_whatever_the_encoder_says(matcher):
    """ "… chỉ sinh hoạt chuyên đề được 2/4 kỳ, vì … lo chuyển trụ sở và lớp hè" shares the themed meetings' phrases
    (sinh hoạt, chuyên đề, 2/4 kỳ) and only "lớp hè" with the summer fees: it owns the meetings, not the fees."""
    from nlp.cross.match import shared_phrases

    items = shortcomings(
        [
            make_passage(
                "Bộ phận ghi danh thu học phí các lớp hè bằng tiền mặt, có 212 lượt thu không xuất biên lai, đến tháng "
                "9/2025 mới phát hiện.",
                "shortcomings",
            ),
            make_passage(
                "Chi bộ chỉ tổ chức được 2/4 kỳ sinh hoạt chuyên đề theo kế hoạch; 3 đảng viên nộp bài thu hoạch chậm.",
                "shortcomings",
            ),
        ]
    )
    fees, meetings = items
    said = make_passage(
        "Tôi là Bí thư nhưng để chi bộ chỉ sinh hoạt chuyên đề được 2/4 kỳ, vì chính tôi lùi hai kỳ tháng 6 và tháng 9 "
        "để lo chuyển trụ sở và lớp hè; khuyết điểm này tôi nhận.",
        "collective_responsibility",
    )
    assert shared_phrases(meetings.passage, said) >= 4 and shared_phrases(fees.passage, said) <= 1
    report = _report(
        ("Năm 2025 tôi chủ trì chuyển trụ sở sang khu nhà mới.", "achievements"), (said.text, said.section)
    )
    assert collective_verdict(meetings, ["head"], [], report, items, matcher).verdict == "owned"
    assert collective_verdict(fees, ["head"], [], report, items, matcher).verdict != "owned"


def test_letting_no_case_run_late_and_a_step_that_belongs_to_another_office_deny():
    for text in (
        "Trong lĩnh vực được phân công, bản thân không để vụ việc nào quá hạn vì lý do chủ quan; các vụ kéo dài là do "
        "phải chờ ý kiến của Sở.",
        "Khoa không để mẫu nào trả chậm do lỗi chuyên môn của Khoa; việc sửa chữa, mua sắm thuộc Phòng Kế hoạch – Tài "
        "chính.",
    ):
        said = make_passage(text, "achievements")
        assert not owns(said) and (denies(said) or clean_claim(said)), text
    mine = make_passage("Như đã nêu, việc học sinh đọc yếu ở Lũng Cáy thuộc tổ tôi phụ trách.", "shortcomings")
    assert not denies(mine)  # the writer's own team


def test_a_head_s_claim_about_the_field_an_item_falls_in_denies_it():
    """ "Là Bí thư, tôi trực tiếp chỉ đạo công tác phát triển đảng viên và công tác này đạt kết quả tốt" answers the item
    on admissions (the field's topics, positions.yaml ``fields``), not the one on the meetings; a claim that admits a
    fault answers neither."""
    from nlp.cross.verdict import _claims_the_items_field

    items = shortcomings(
        [
            make_passage("Năm 2025 Chi bộ không kết nạp được đảng viên mới, chỉ tiêu 2 đồng chí.", "shortcomings"),
            make_passage("Sinh hoạt chuyên đề chỉ tổ chức được 2/4 kỳ theo kế hoạch.", "shortcomings"),
        ]
    )
    admissions, meetings = items
    claim = make_passage(
        "Là Bí thư chi bộ, tôi trực tiếp chỉ đạo công tác phát triển đảng viên và công tác này đạt kết quả tốt: 2 quần "
        "chúng ưu tú đã hoàn thành lớp bồi dưỡng nhận thức về Đảng.",
        "achievements",
    )
    assert _claims_the_items_field(admissions, claim, items)
    assert not _claims_the_items_field(meetings, claim, items)
    admitted = make_passage(
        "Công tác phát triển đảng viên đạt kết quả tốt nhưng tôi chưa giao chỉ tiêu cho từng chi ủy viên.",
        "achievements",
    )
    assert not _claims_the_items_field(admissions, admitted, items)


def test_a_division_naming_one_of_two_posts_leaves_the_other_posts_areas():
    """The collective gives "đồng chí Phó Giám đốc" the collection of contract money: the deputy who is also Phó Bí
    thư still answers for the chi bộ's meetings by her party post."""
    from nlp.cross.responsibility import responsibility_statements, with_divided_fields

    division = make_passage(
        "Trong năm, Ban Giám đốc đã phân công đồng chí Phó Giám đốc trực tiếp phụ trách việc theo dõi, đôn đốc thu "
        "tiền các hợp đồng dịch vụ.",
        None,
    )
    deputy = _holder("n.txt", ["pho_bi_thu", "pho_giam_doc"], "Phó Giám đốc", areas=["sinh hoat chi bo", "hanh chinh"])
    (divided,) = with_divided_fields([deputy], responsibility_statements([division]))
    assert "sinh hoat chi bo" in divided.areas  # the party post's area: the division does not name that post
    assert any("hop dong dich vu" in a for a in divided.areas)
    assert "hanh chinh" not in divided.areas  # the named post's scope is the division's


def test_a_sentence_wrapped_over_lines_reads_as_one_line():
    """Text laid out at a fixed width (a PDF, a pasted list) breaks sentences over lines: "tôi chịu trách\n  nhiệm"
    still owns the fault, and the passage keeps the text as written for its quote."""
    text = (
        "Về khoản nợ của 5 công ty lữ hành, chính tôi đã ký cho Công ty Cánh Diều tiếp tục được ghi\n"
        "  nợ dù đã quá hạn thanh toán, nên khoản nợ 640 triệu đồng khó thu hồi; tôi chịu trách\n"
        "  nhiệm cá nhân về quyết định này."
    )
    wrapped = make_passage(text, "collective_responsibility", start=100)
    flat = make_passage(" ".join(line.strip() for line in text.splitlines()), "collective_responsibility")
    assert wrapped.text == text and wrapped.end - wrapped.start == len(text)
    assert wrapped.folded == flat.folded and "\n" not in wrapped.folded
    assert owns(wrapped) and wrapped.syllables == flat.syllables


def test_a_topic_opening_about_the_shortcomings_on_one_topic_is_scoped_to_that_topic():
    """ "Đối với các hạn chế về thu hồi công nợ mà báo cáo … đã nêu, tôi … chịu trách nhiệm chung" shares the
    responsibility for the debts, not for the oil spill: the words around the topic name none."""
    from nlp.cross.verdict import _scoped_elsewhere

    debt = Shortcoming(
        make_passage("Công nợ quá hạn của 6 hãng tàu còn 12,4 tỷ đồng, chưa thu hồi được.", "shortcomings")
    )
    spill = Shortcoming(make_passage("Để tràn 1,2 m³ dầu DO tại bến số 5, vết dầu loang 300 m².", "shortcomings"))
    line = make_passage(
        "Đối với các hạn chế về thu hồi công nợ mà báo cáo kiểm điểm của Đảng ủy đã nêu, tôi cùng tập thể Ban Chấp "
        "hành chịu trách nhiệm chung.",
        "collective_responsibility",
    )
    assert _scoped_elsewhere(spill, line, [debt, spill])
    assert not _scoped_elsewhere(debt, line, [debt, spill])


def test_a_first_person_claim_about_a_whole_field_is_held_against_the_items_the_writer_answers_for(matcher):
    """A claim about a whole field ("Tôi trực tiếp chỉ đạo công tác kiểm soát chất lượng …; … đạt yêu cầu") is held
    against the item the writer answers for, though the item's text does not name the field."""
    from nlp.cross.verdict import _closest, contrary

    cores = Shortcoming(
        make_passage(
            "Có 9/42 mẫu lõi bê tông nhựa không đạt chiều dày thiết kế, phải cào bóc thảm lại.", "shortcomings"
        )
    )
    claim = make_passage(
        "Tôi trực tiếp chỉ đạo công tác kiểm soát chất lượng các lớp bê tông nhựa; các đoạn thảm đều được nghiệm thu đạt "
        "yêu cầu thiết kế.",
        "collective_responsibility",
    )
    assert contrary(claim) and _closest(cores, claim, [cores], ["chat luong"], matcher)
    repaired = make_passage(
        "Công trình cải tạo trụ sở đã bàn giao từ tháng 10/2025, chất lượng bảo đảm, đúng dự toán được duyệt.", "duties"
    )
    assert contrary(repaired)
    forfeited = make_passage(
        "Việc Công ty bị tịch thu 350 triệu đồng bảo đảm dự thầu là bài học chung của cả Công ty.",
        "collective_responsibility",
    )
    assert not contrary(forfeited)  # "bảo đảm dự thầu" (a bid security), not "bảo đảm đủ"
    assert contrary(make_passage("Kho thuốc bảo đảm đủ cơ số cho người bệnh cả năm.", "duties"))


def test_a_shared_oversight_or_fault_is_a_diffusion():
    from nlp.cross.config import cue

    for text in (
        "Việc quỹ tiền mặt chênh lệch 27 triệu đồng phát hiện muộn là thiếu sót chung trong công tác kiểm tra.",
        "Sai sót chung của các bộ phận là chưa đối chiếu sổ sách hằng quý.",
    ):
        assert cue("diffuse", make_passage(text, "collective_responsibility").folded), text


def test_a_capital_kept_safe_a_cause_that_is_no_fault_and_an_authority_not_held_deny():
    from nlp.cross.verdict import contrary, denial_cue

    fund = make_passage(
        "Tôi trực tiếp chỉ đạo hoạt động của Quỹ hỗ trợ hội viên; năm 2025 quỹ được bảo toàn, hoạt động an toàn, nợ quá "
        "hạn phát sinh chủ yếu do thiên tai, không do buông lỏng quản lý.",
        "duties",
    )
    assert contrary(fund) and denial_cue(fund)
    playground = make_passage(
        "Việc chưa thay thiết bị vui chơi là do thành phố chưa bố trí vốn, không thuộc thẩm quyền quyết định của tôi.",
        "collective_responsibility",
    )
    assert denial_cue(playground)
    assert not denial_cue(make_passage("Tôi để chậm do buông lỏng quản lý khâu thu phí.", "shortcomings"))


def test_a_sentence_that_opens_a_full_wrapped_line_by_chance_does_not_open_an_item():
    """A part written as one paragraph and hard-wrapped at 70 characters, as a PDF's text comes: "Sinh hoạt chuyên
    đề …" opens a line only because the sentence before it filled the line above; it opens no list item, so the
    part is read sentence by sentence (six shortcomings), not as two items the second of which swallows four."""
    from nlp.cross.passages import passages
    from nlp.relayout import relayout

    items = [
        "Quỹ Quốc phòng - an ninh năm 2025 chỉ thu được 68% kế hoạch, còn 41 hộ ở xóm Bến chưa nộp.",
        "Tuyến đường bê tông nội đồng xóm Bến dài 1,2 km khởi công chậm 4 tháng so với nghị quyết.",
        "Chi bộ không kết nạp được đảng viên mới, hai quần chúng ưu tú chưa được cử đi học lớp nhận thức.",
        "Sinh hoạt chuyên đề quý III không tổ chức được vì trùng đợt phòng chống lụt bão của xã.",
        "Việc thu gom rác ở bãi ven kênh xóm Giữa chưa làm được, người dân còn đổ rác ra bờ kênh.",
        "Sổ ghi biên bản sinh hoạt chi bộ ghi chưa đầy đủ ý kiến phát biểu của đảng viên trong 4 kỳ.",
    ]
    text = (
        "ĐẢNG BỘ XÃ AN PHÚ\nCHI BỘ THÔN BẾN\nBÁO CÁO KIỂM ĐIỂM TẬP THỂ CHI BỘ NĂM 2025\nI. ƯU ĐIỂM\nChi bộ lãnh đạo "
        "thôn hoàn thành phần lớn các chỉ tiêu của năm, đời sống nhân dân được nâng lên rõ rệt.\n"
        "II. HẠN CHẾ, KHUYẾT ĐIỂM\n" + " ".join(items) + "\nIII. NGUYÊN NHÂN\nDo chi ủy chưa sát sao.\n"
    )
    wrapped = relayout(text, "wrap70")
    assert "\nSinh hoạt chuyên đề" in wrapped  # the sentence opens a line, after a full one
    found = shortcomings(passages("t.txt", _result(wrapped)))
    assert [s.passage.text[:12] for s in found] == [i[:12] for i in items]


HEAD_OWNING_THREE = (
    "Với cương vị Bí thư chi bộ kiêm Trưởng thôn, tôi nhận trách nhiệm người đứng đầu về ba việc chưa đạt: về việc thu "
    "quỹ Quốc phòng - an ninh mới được hơn hai phần ba, còn 41 hộ chưa nộp, vì tôi không kiểm tra tiến độ thu hằng "
    "tháng; về việc đường bê tông xóm Bến khởi công chậm 4 tháng, vì tôi để hồ sơ thiết kế nằm ở thôn đến tháng 5 mới "
    "gửi xã; và về việc chi bộ không kết nạp được quần chúng ưu tú nào, vì tôi chưa phân công đảng viên giúp đỡ."
)
HEAD_LISTING_THREE = (
    "Với cương vị Bí thư chi bộ, tôi chịu trách nhiệm người đứng đầu về các hạn chế của chi bộ: thu quỹ Quốc phòng - "
    "an ninh mới được hơn hai phần ba, còn 41 hộ chưa nộp; đường bê tông xóm Bến khởi công chậm 4 tháng; và việc chi "
    "bộ không kết nạp được quần chúng ưu tú nào."
)


def test_a_head_owning_several_items_in_one_long_sentence_owns_each_in_its_clause(matcher):
    """Matched whole, a sentence owning three items is as close to each as to the others; each clause names its item
    and gives the writer's own act in it. A bare list under the responsibility taken gives no own act: its clauses
    own nothing."""
    owning = _report((HEAD_OWNING_THREE, "collective_responsibility"))
    decisions = [collective_verdict(item, ["head"], [], owning, OTHERS, matcher) for item in OTHERS]
    assert [d.verdict for d in decisions] == ["owned", "owned", "owned"]
    assert all(d.passage.text == HEAD_OWNING_THREE for d in decisions)  # the evidence is the sentence, not a clause
    listing = _report((HEAD_LISTING_THREE, "collective_responsibility"))
    assert [collective_verdict(item, ["head"], [], listing, OTHERS, matcher).verdict for item in (ROAD, PARTY)] == [
        "absent",
        "absent",
    ]


def test_the_clauses_of_a_cause_line_are_causes_not_items(matcher):
    """ "Nguyên nhân chủ quan: …; khách quan: …" is cut into causes, not items: its clauses own nothing (a dev pair, a
    chánh văn phòng's cause line, had been read as owning the records item through its first clause)."""
    records = Shortcoming(
        make_passage(
            "Tỷ lệ hồ sơ công việc được lập và nộp lưu trữ điện tử mới đạt 46% (chỉ tiêu của tỉnh 80%); lĩnh vực văn "
            "thư, lưu trữ do đồng chí Phó Chánh Văn phòng phụ trách.",
            "shortcomings",
        )
    )
    cause = (
        "3. Nguyên nhân chủ quan: tôi ôm việc ký duyệt, chưa ủy quyền cho Phó Chánh Văn phòng; khách quan: khối lượng "
        "việc sau hợp nhất tăng gần gấp đôi."
    )
    others = [records, ROAD, PARTY]
    decision = collective_verdict(records, ["head"], [], _report((cause, "shortcomings")), others, matcher)
    assert decision.verdict != "owned"


def test_a_task_s_name_with_stabilising_in_it_is_no_claim_of_good_results():
    """ "ổn định bộ máy" names a task ("tôi đặt việc ổn định bộ máy lên trước"); "tình hình ổn định" claims a result."""
    said = make_passage(
        "Hai kỳ sinh hoạt chuyên đề tháng 7 và tháng 10 bị gộp vào giao ban cũng là do tôi quyết định, vì khi ấy tôi "
        "đặt việc ổn định bộ máy lên trước và không bố trí lại buổi họp riêng.",
        "collective_responsibility",
    )
    assert not clean_claim(said) and owns(said)
    assert clean_claim(make_passage("Tình hình an ninh trật tự trên địa bàn ổn định.", "duties"))


def test_an_item_a_long_sentence_shares_in_its_clause_is_not_owned_by_the_writer_s_act_in_another(matcher):
    """ "Năm qua tôi đã để xảy ra những việc chưa đạt: …; còn việc chi bộ chưa kết nạp … thì tôi cùng chi ủy chịu
    trách nhiệm chung": the lead's act owns the items the list names, not one whose own clause only shares the
    responsibility; a sentence on one fault is read whole (a consequence it names is not owned by its clauses)."""
    said = (
        "Năm qua tôi đã để xảy ra những việc chưa đạt: thu quỹ Quốc phòng - an ninh chỉ được hơn hai phần ba, còn 41 "
        "hộ chưa nộp; còn việc chi bộ không kết nạp được quần chúng ưu tú nào thì tôi cùng chi ủy chịu trách nhiệm chung."
    )
    report = _report((said, "collective_responsibility"))
    assert collective_verdict(FUND, ["head"], [], report, OTHERS, matcher).verdict == "owned"
    assert collective_verdict(PARTY, ["head"], [], report, OTHERS, matcher).verdict != "owned"
    single = (
        "Tôi để thu quỹ Quốc phòng - an ninh chỉ được hơn hai phần ba, còn 41 hộ chưa nộp, vì không kiểm tra tiến độ "
        "thu hằng tháng, nên cả năm thôn phải tạm ứng từ quỹ khác, làm chậm cả việc làm đường."
    )
    assert collective_verdict(ROAD, ["head"], [], _report((single, "shortcomings")), OTHERS, matcher).verdict != "owned"


def test_a_sentence_on_one_fault_is_not_read_clause_by_clause(matcher):
    """A teacher's own fault, with its consequence in a clause ("…, để phụ huynh phải hỏi ban giám hiệu mới biết"),
    names one item at most: its clauses are not matched alone, where a short one comes close to another item (a
    train pair, the unregistered extra-classes item, had been read as owned through that clause)."""
    tutoring = Shortcoming(
        make_passage(
            "Chưa xử lý kịp thời việc 1 giáo viên tổ Khoa học tự nhiên dạy thêm tại nhà không đăng ký; phụ huynh phản "
            "ánh từ tháng 10/2025 đến tháng 12 mới đưa ra kiểm điểm.",
            "shortcomings",
        )
    )
    said = (
        "Tôi chưa kiểm tra việc dạy bù 6 tiết Vật lý lớp 7C bị nghỉ trong tháng 11 của đồng chí giáo viên mới trong tổ, "
        "để phụ huynh phải hỏi ban giám hiệu mới biết."
    )
    others = [tutoring, ROAD, PARTY]
    report = _report((said, "shortcomings"))
    assert collective_verdict(tutoring, ["area"], [], report, others, matcher).verdict != "owned"


TAX_DEBT = Shortcoming(
    make_passage(
        "Tổng số tiền thuế nợ đến 30/11/2025 là 18,4 tỷ đồng, chiếm 9,7% dự toán thu (chỉ tiêu dưới 8%); nợ tập trung "
        "ở 14 doanh nghiệp khai thác cát, đá tại xã Bãi Thượng.",
        "shortcomings",
    )
)
HOUSEHOLDS = Shortcoming(
    make_passage(
        "Việc chuyển hộ kinh doanh nộp thuế khoán sang phương pháp kê khai mới đạt 612/1.450 hộ (42,2%), chậm nhất ở "
        "chợ đầu mối Lũng Phố.",
        "shortcomings",
    )
)
TAX_HEAD = (
    "Với cương vị Bí thư chi bộ, Trưởng Thuế cơ sở, tôi nhận trách nhiệm người đứng đầu về hai việc chưa đạt của đơn "
    "vị: số tiền thuế nợ ở mức gần một phần mười dự toán thu, vượt ngưỡng Thuế tỉnh giao, vì cả năm tôi chưa một lần "
    "làm việc với 14 doanh nghiệp khai thác cát đá nợ thuế tại xã Bãi Thượng mà giao hẳn cho bộ phận quản lý nợ; và "
    "việc chuyển hộ khoán sang kê khai mới được chưa tới một nửa số hộ, chậm nhất ở chợ đầu mối Lũng Phố."
)


def test_a_reason_goes_with_the_item_named_before_it(matcher):
    """ "…: số tiền thuế nợ ở mức gần một phần mười dự toán thu, …, vì cả năm tôi chưa một lần làm việc với 14 doanh
    nghiệp … nợ thuế …; và việc chuyển hộ khoán … mới được chưa tới một nửa số hộ …": the reason is the writer's act
    in the item named before it (a figure written approximately, "gần một phần mười" for 9,7%, agreeing), not in the
    one named after it, which the sentence names with no act of the writer's."""
    others = [TAX_DEBT, HOUSEHOLDS, PARTY]
    report = _report((TAX_HEAD, "collective_responsibility"))
    decisions = [collective_verdict(item, ["head"], [], report, others, matcher) for item in (TAX_DEBT, HOUSEHOLDS)]
    assert decisions[0].verdict == "owned" and decisions[1].verdict != "owned"


def test_a_short_clause_sharing_two_words_with_an_item_does_not_name_it(matcher):
    """ "…, không tự đến nhà em nào" shares two words with the parents' complaint about fees: too few to name it (a
    short clause's encoding is loose), so the head who owns two other items in the sentence is not read as owning
    the complaint."""
    fees = Shortcoming(
        make_passage(
            "Tháng 10/2025, 14 phụ huynh học sinh lớp 6 gửi đơn lên Ủy ban nhân dân xã phản ánh khoản thu tiền nước uống "
            "không được công khai trước khi thu; nhà trường phải trả lại 23 khoản thu trùng.",
            "shortcomings",
        )
    )
    maths = Shortcoming(
        make_passage(
            "Kết quả thi vào lớp 10 môn Toán thấp: điểm trung bình 4,18, có 41/112 bài dưới 5 điểm.", "shortcomings"
        )
    )
    dropout = Shortcoming(
        make_passage(
            "Có 7 học sinh lớp 8 bỏ học ở các lớp 8A2, 8A3 và 8A4, tăng 4 em so với năm học trước.", "shortcomings"
        )
    )
    said = (
        "Với cương vị Hiệu trưởng, tôi nhận phần của mình trong từng hạn chế đã nêu: kết quả Toán thi vào 10 thấp vì tôi "
        "duyệt kế hoạch ôn thi mà không yêu cầu chia nhóm theo năng lực; bảy em lớp 8 nghỉ học hẳn ở 8A2, 8A3 và 8A4 vì "
        "giáo viên chủ nhiệm đã báo danh sách từ tháng 3 mà tôi chỉ chuyển cho phó hiệu trưởng, không tự đến nhà em nào."
    )
    others = [fees, maths, dropout, ROAD]
    report = _report((said, "collective_responsibility"))
    verdicts = [
        collective_verdict(item, ["head"], [], report, others, matcher).verdict for item in (fees, maths, dropout)
    ]
    assert verdicts == ["absent", "owned", "owned"]


def test_taking_one_s_own_part_of_the_responsibility_owns():
    """ "tôi nhận phần trách nhiệm của mình" is the writer's own part, not a shared responsibility."""
    assert owns(
        make_passage(
            "Với cương vị Trưởng Công an xã, tôi nhận phần trách nhiệm của mình trước hết về việc tai nạn giao thông "
            "tăng trên tỉnh lộ 634.",
            "collective_responsibility",
        )
    )
    assert not owns(make_passage("Tôi nhận phần trách nhiệm chung cùng tập thể chi ủy.", "collective_responsibility"))


def test_the_writer_given_as_the_cause_in_a_clause_is_the_writer_s_own_act(matcher):
    """ "… chỉ đạt hơn một nửa vì tôi ký hợp đồng 80 ha khi mới họp được 5/9 đội": the writer as the cause is the
    writer's own act in the item, as "vì tôi không …" is; "do tôi phụ trách" only says whose field it is."""
    said = (
        "Là Trưởng thôn kiêm Bí thư chi bộ, tôi chịu trách nhiệm chính về hai hạn chế lớn của thôn năm nay: thu quỹ "
        "Quốc phòng - an ninh chỉ đạt 68%, còn 41 hộ chưa nộp vì tôi giao hết việc thu cho tổ trưởng các xóm; và "
        "đường bê tông nội đồng xóm Bến dài 1,2 km khởi công chậm 4 tháng vì tôi ký hợp đồng thi công khi chưa họp dân."
    )
    report = _report((said, "collective_responsibility"))
    assert [collective_verdict(item, ["head"], [], report, OTHERS, matcher).verdict for item in (FUND, ROAD)] == [
        "owned",
        "owned",
    ]


def test_a_head_nurse_answers_for_nursing_and_hand_hygiene_and_heads_no_department():
    """ "Điều dưỡng trưởng Khoa Nội Tim mạch" is the department's head nurse, not its head ("trưởng khoa"): she answers
    for the nursing items of the collective (hand hygiene, falls), not for all of them."""
    from nlp import analyze
    from nlp.cross.identity import identify

    header = (
        "CHI BỘ KHOA NỘI TIM MẠCH\nBẢN KIỂM ĐIỂM CÁ NHÂN\nHọ và tên: Lã Thị Ngân\nChức vụ Đảng: Chi ủy viên\n"
        "Chức vụ chính quyền: Điều dưỡng trưởng Khoa Nội Tim mạch\nI. Ưu điểm, kết quả đạt được\n"
        "Tôi tổ chức đủ 12 buổi sinh hoạt chuyên môn điều dưỡng.\n"
    )
    nurse = identify("x.txt", analyze(header))
    assert "dieu_duong_truong" in nurse.posts and not nurse.head
    hygiene = Shortcoming(
        make_passage(
            "Tỷ lệ tuân thủ vệ sinh tay của nhân viên khoa chỉ đạt 64% (yêu cầu từ 80% trở lên).", "shortcomings"
        )
    )
    assert [r.why for r in responsible(hygiene, [nurse])] == [["area"]]
    assert responsible(ROAD, [nurse]) == []


def test_owned_when_the_next_sentence_opens_on_the_writer_s_post_and_failure(matcher):
    """ "… chỉ tuân thủ được gần hai phần ba …." then "Là điều dưỡng trưởng, tôi đã không tổ chức tự giám sát …": the
    writer's failure after a lead naming the post goes on from the item named before it."""
    named = ("Tuyến đường bê tông nội đồng xóm Bến dài 1,2 km năm nay khởi công chậm 4 tháng.", "shortcomings")
    part = ("Là trưởng thôn, tôi đã không đôn đốc các hộ ký biên bản hiến đất làm đường từ đầu năm.", "shortcomings")
    assert collective_verdict(ROAD, ["head"], [], _report(named, part), OTHERS, matcher).verdict == "owned"


HEAD_LETTING_THREE = (
    "Với cương vị Bí thư chi bộ kiêm Trưởng thôn, tôi chịu trách nhiệm người đứng đầu về việc để thu quỹ Quốc phòng "
    "- an ninh mới được hơn hai phần ba, còn 41 hộ chưa nộp, về việc đường bê tông xóm Bến khởi công chậm 4 tháng khi "
    "tôi đã để hồ sơ thiết kế nằm ở thôn đến tháng 5, và về việc chi bộ không kết nạp được quần chúng ưu tú nào, là "
    "mảng tôi trực tiếp phụ trách."
)


def test_a_long_sentence_owns_an_item_taken_as_a_lapse_or_as_the_writer_s_own_charge(matcher):
    """In a head's sentence that owns several items each in a clause of its own, a clause that takes the
    responsibility for letting the item happen ("… về việc để thu quỹ … mới được hơn hai phần ba") is an act in it,
    and a clause after an item's that calls it the writer's own charge ("…, là mảng tôi trực tiếp phụ trách") covers
    it; the responsibility for letting "các hạn chế" happen over a bare list still owns none of them."""
    owning = _report((HEAD_LETTING_THREE, "collective_responsibility"))
    assert [collective_verdict(item, ["head"], [], owning, OTHERS, matcher).verdict for item in OTHERS] == [
        "owned",
        "owned",
        "owned",
    ]
    listing = _report((HEAD_LISTING_THREE.replace("về các hạn chế", "về việc để xảy ra các hạn chế"), "causes"))
    assert [collective_verdict(item, ["head"], [], listing, OTHERS, matcher).verdict for item in (ROAD, PARTY)] == [
        "absent",
        "absent",
    ]


def test_owned_when_the_next_sentence_calls_the_item_the_writer_s_own_charge(matcher):
    """ "Đây là tuyến tôi trực tiếp theo dõi; tôi đã để …" goes on from the item named before it, as "Đây là phần việc
    tôi …" does."""
    named = ("Tuyến đường bê tông nội đồng xóm Bến dài 1,2 km năm nay khởi công chậm 4 tháng.", "shortcomings")
    part = (
        "Đây là tuyến tôi trực tiếp theo dõi; tôi đã để đơn vị thi công làm các đoạn dễ trước, không đôn đốc đoạn này.",
        "shortcomings",
    )
    assert collective_verdict(ROAD, ["head"], [], _report(named, part), OTHERS, matcher).verdict == "owned"


def test_a_plan_done_in_full_that_gives_the_writer_s_past_fault_is_no_clean_claim(matcher):
    """ "… chi trả dứt điểm …, vì năm qua tôi đã để …": the plan reads as a good result ("dứt điểm") but its reason is the
    writer's own fault: it owns the item, not claims it done."""
    plan = (
        "Trong tháng 1/2026 tôi sẽ trực tiếp thu dứt điểm quỹ Quốc phòng - an ninh của 41 hộ còn lại, vì năm qua tôi "
        "đã để khâu đôn đốc các xóm kéo dài gần hai tháng.",
        "remedies",
    )
    line = make_passage(*plan)
    assert not clean_claim(line)
    assert collective_verdict(FUND, ["head"], [], _report(plan), OTHERS, matcher).verdict == "owned"
