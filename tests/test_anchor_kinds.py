"""``find_anchors(..., kinds)`` looks only for the kinds asked, and finds exactly what the full search finds of them."""

from __future__ import annotations

import pytest

from nlp.features import ANCHOR_KINDS, find_anchors
from nlp.normalize import fold

SENTENCES = [
    "Đồng chí Nguyễn Văn Hùng, thôn trưởng thôn Phú Lộc, chưa giải quyết dứt điểm vụ việc tranh chấp đất đai ở xóm 3.",
    "Theo Quyết định số 125/QĐ-UBND ngày 12/3/2024, đến ngày 30/6/2024 phải hoàn thành 45 hồ sơ.",
    "Vụ án Trần Văn Bình trộm cắp tài sản tại Hợp tác xã Tân Tiến vẫn chưa được đưa ra xét xử.",
    'Khẩu hiệu "Dân biết, dân bàn" chưa được thực hiện nghiêm ở Chi bộ thôn Đông Hòa.',
    "Bản thân còn hạn chế trong công tác tuyên truyền.",
]


@pytest.mark.parametrize("text", SENTENCES)
@pytest.mark.parametrize("kinds", [("named", "person", "case"), ("number",), ("quoted", "date"), ()])
def test_kinds_give_the_full_search_restricted_to_them(text: str, kinds: tuple[str, ...]) -> None:
    folded = fold(text)
    full = find_anchors(text, folded)
    assert find_anchors(text, folded, kinds) == {kind: spans for kind, spans in full.items() if kind in kinds}


def test_no_kinds_argument_searches_every_kind() -> None:
    text = SENTENCES[1]
    found = find_anchors(text, fold(text))
    assert found == find_anchors(text, fold(text), ANCHOR_KINDS)
    assert {"number", "date", "document"} <= set(found)
