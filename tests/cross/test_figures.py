"""Figures written otherwise: approximate figures read from words and hedges, and held against exact ones."""

from __future__ import annotations

import pytest

from nlp.cross.figures import agrees, approximate, exact_values
from nlp.cross.match import anchor_term
from nlp.cross.passages import make_passage
from nlp.normalize import fold


@pytest.mark.parametrize(
    ("written", "figures"),
    [
        ("mới được hơn hai phần ba mức phường giao", {(200 / 3, "over")}),
        ("nợ phí dịch vụ tăng lên hơn 3 trăm triệu đồng", {(300.0, "over")}),
        ("hơn hai chục hợp đồng chưa ký lại", {(20.0, "over")}),
        ("khoản nợ gần 400 triệu đồng", {(400.0, "under")}),
        ("chỉ rửa tay đúng khoảng 6 trên 10 cơ hội", {(60.0, "about")}),
        ("số đảng viên đến dự chưa được bảy phần mười", {(70.0, "below")}),
        ("chuyên cần tụt xuống dưới chín mươi phần trăm", {(90.0, "below")}),
        ("tổ 2 và tổ 5 chưa được một nửa", {(50.0, "below")}),
        ("kế hoạch kiểm tra chỉ làm được khoảng ba phần tư", {(75.0, "about")}),
        ("bảy phần mười số hộ đã nộp", {(70.0, "about")}),
        ("thu nhập tăng hơn năm ngoái", set()),  # "năm" is the year here, no count
        ("ba hộ chưa nộp", set()),  # a count in words without a hedge is not read
        ("đạt 68,7% kế hoạch", set()),  # exact figures are the passages' own
    ],
)
def test_approximate_figures_are_read_from_hedges_and_words(written, figures):
    found = approximate(fold(written))
    assert {round(value, 3) for value, _ in found} == {round(value, 3) for value, _ in figures}
    assert {side for _, side in found} == {side for _, side in figures}


def test_exact_figures_read_thousands_decimals_and_fractions():
    assert exact_values(fold("đạt 68,7%; 1.450 hộ; 27/36 cuộc; 318 triệu")) == {68.7, 1450.0, 27.0, 36.0, 75.0, 318.0}


def test_a_hedge_puts_the_true_figure_on_its_side():
    assert agrees((200 / 3, "over"), 68.7) and not agrees((200 / 3, "over"), 60.0)
    assert agrees((400.0, "under"), 386.0) and not agrees((400.0, "under"), 412.0)
    assert agrees((50.0, "below"), 42.2) and not agrees((50.0, "below"), 50.0)
    assert agrees((75.0, "about"), 75.0) and not agrees((75.0, "about"), 60.0)


def test_a_figure_given_approximately_is_shared_with_the_exact_one_not_a_disagreement():
    """The collective gives 68,7% and 23 hộ; a leader writes "hơn hai phần ba" and "hơn hai chục hộ": the figures
    agree (they had counted as disagreeing numbers, a penalty on the match). Figures that do not agree still do."""
    item = make_passage("Quỹ Vì người nghèo mới đạt 68,7% chỉ tiêu, còn 23 hộ chưa đóng góp.", "shortcomings")
    near = make_passage(
        "Quỹ Vì người nghèo chỉ được hơn hai phần ba, hơn 2 chục hộ chưa góp.", "collective_responsibility"
    )
    far = make_passage("Quỹ Vì người nghèo chỉ được hơn một nửa, hơn 4 chục hộ chưa góp.", "collective_responsibility")
    assert anchor_term(item, near, 0.05) > 0
    assert anchor_term(item, far, 0.05) == -0.05
