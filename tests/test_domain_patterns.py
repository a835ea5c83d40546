"""The weak patterns P1–P9 of DOMAIN.md §4: every ✗ example is flagged, every ✓ example is not.

Each sentence is placed in the part of an otherwise specific report where a writer would put it.
"""

from __future__ import annotations

import pytest

from nlp import analyze
from tests.conftest import make_report


def labels_of(result, sentence: str) -> set[str]:
    """Labels of the sentence units covering ``sentence`` in the result."""
    start = result.text.index(sentence)
    end = start + len(sentence)
    found = set()
    for unit in result.sentences:
        if unit.start < end and unit.end > start and not unit.structural:
            found.update(unit.labels)
    return found


def rules_on(result, sentence: str) -> set[str]:
    start = result.text.index(sentence)
    end = start + len(sentence)
    return {f.rule for f in result.findings if f.start < end and f.end > start and f.severity != "info"}


FLAGGED = [
    # (part, sentence, expected label)
    ("shortcomings", "Đôi khi việc nghiên cứu văn bản mới còn chưa kỹ.", "generic"),
    ("shortcomings", "Một số nhiệm vụ được giao hoàn thành chất lượng chưa cao.", "generic"),
    ("shortcomings", "Công tác phối hợp với các bộ phận còn hạn chế.", "generic"),
    ("achievements", "Tham gia đầy đủ các buổi học tập, quán triệt nghị quyết.", "generic"),
    ("achievements", "Hoàn thành 100% nhiệm vụ được giao.", "generic"),
    ("shortcomings", "Hạn chế: bản thân không có khuyết điểm gì đáng kể.", "evasive"),
    ("shortcomings", "Nhìn chung chi ủy lãnh đạo tốt, không có khuyết điểm gì lớn.", "evasive"),
    ("shortcomings", "Tôi ít góp ý cho đồng chí bí thư vì đồng chí đã rất trách nhiệm.", "evasive"),
    ("shortcomings", "Các đồng chí đều gương mẫu nên tôi không có ý kiến thêm.", "evasive"),
    ("shortcomings", "Vẫn còn để xảy ra sai sót trong quản lý hồ sơ.", "evasive"),
    ("suggested", "Về vấn đề được gợi ý, bản thân xin tiếp thu và rút kinh nghiệm.", "evasive"),
    ("causes", "Hạn chế trên có phần do một số đồng chí chưa nhiệt tình.", "evasive"),
    ("shortcomings", "Bản thân đôi lúc còn ngại va chạm, chưa mạnh dạn đấu tranh với cái sai.", "evasive"),
    ("shortcomings", "Trong phê bình có lúc còn chưa thẳng thắn.", "generic"),
    ("shortcomings", "Chưa kiên quyết xử lý vi phạm trong lĩnh vực được giao.", "generic"),
    ("shortcomings", "Cơ quan luôn vui vẻ, đoàn kết nên không có gì phải phê bình.", "evasive"),
    ("shortcomings", "Các ý kiến trái chiều đã được dàn xếp ổn thỏa để giữ hòa khí.", "evasive"),
    ("shortcomings", "Tôi nhắc nhở riêng cho êm chuyện, không đưa ra chi bộ.", "evasive"),
    ("causes", "Nguyên nhân chủ yếu do khối lượng công việc lớn, biên chế mỏng.", "evasive"),
    ("causes", "Do mưa bão kéo dài nên các công trình bị chậm.", "evasive"),
    ("causes", "Hướng dẫn của cấp trên ban hành muộn nên đơn vị bị động.", "evasive"),
    ("remedies", "Sẽ cố gắng khắc phục trong thời gian tới.", "evasive"),
    ("remedies", "Tiếp tục học tập, rèn luyện nâng cao trình độ.", "evasive"),
    ("remedies", "Tăng cường kiểm tra, đôn đốc thực hiện nhiệm vụ.", "evasive"),
]

NOT_FLAGGED = [
    ("shortcomings", "Một số việc chậm: hồ sơ đường liên thôn (trễ 3 tuần), báo cáo quý III (trễ 5 ngày)."),
    ("shortcomings", "Trong quý II, tôi nộp muộn 2 báo cáo tuần do không lập lịch công việc."),
    (
        "achievements",
        "Dự 12/12 kỳ sinh hoạt; kỳ tháng 6 tôi đề xuất xử lý việc chậm chi quỹ khuyến học, được ghi vào nghị quyết.",
    ),
    ("suggested", "Không có (cấp trên không gợi ý)."),
    ("shortcomings", "Chi ủy thu đảng phí tốt, nhưng tôi đề nghị bí thư hoàn tất hồ sơ 2 quần chúng ưu tú trước 31/3."),
    ("shortcomings", "Kỳ tháng 8 tôi không góp ý việc tổ trưởng dùng xe cơ quan đi việc riêng; đó là tôi nể nang."),
    (
        "shortcomings",
        "Có lẽ tôi chưa lường hết, nhưng việc tôi cho lùi hạn kiểm kê đất công sang tháng 10 đã làm xã chậm tiến độ.",
    ),
    (
        "suggested",
        "Về khoản tạm ứng 85 triệu đồng được gợi ý: đã thu 60 triệu ngày 15/11, phần còn lại thu xong trước 15/01.",
    ),
    (
        "shortcomings",
        "Tôi biết 3 hộ lấn hành lang kênh N2 từ tháng 4 nhưng đến tháng 9 mới lập biên bản vì ngại va chạm với người quen.",
    ),
    (
        "shortcomings",
        "Vì ngại va chạm, tôi không phản đối việc chia thưởng bình quân quý III; từ quý I/2025 tôi sẽ đưa ra chi bộ.",
    ),
    ("shortcomings", "Hai ý kiến khác nhau về phương án giao đất dịch vụ được biểu quyết kỳ tháng 7 (9/11 tán thành)."),
    (
        "shortcomings",
        "Chi bộ giữ đoàn kết, nhưng tôi đã đề nghị kiểm điểm đồng chí kế toán về khoản chi sai 12 triệu đồng.",
    ),
    (
        "causes",
        "Lũ tháng 9 làm ngừng thi công 3 tuần; nhưng nguyên nhân chính là tôi duyệt kế hoạch không có phương án mùa mưa.",
    ),
    ("causes", "Kinh phí về chậm 2 tháng, và tôi đã không kịp báo cáo để xin lùi tiến độ."),
    ("remedies", "Cập nhật 100% hồ sơ đảng viên lên phần mềm trước 30/6/2025."),
    ("remedies", "Từ tháng 1/2025, mỗi thứ Sáu tôi rà soát sổ văn bản đến, báo cáo tại sinh hoạt chi bộ quý I."),
]


@pytest.mark.parametrize(("part", "sentence", "label"), FLAGGED)
def test_weak_pattern_is_flagged(part: str, sentence: str, label: str) -> None:
    result = analyze(make_report(**{part: sentence}))
    assert label in labels_of(result, sentence), rules_on(result, sentence)
    assert rules_on(result, sentence), "a labelled sentence must carry a finding that says why"


@pytest.mark.parametrize(("part", "sentence"), NOT_FLAGGED)
def test_specific_sentence_is_not_flagged(part: str, sentence: str) -> None:
    result = analyze(make_report(**{part: sentence}))
    assert not labels_of(result, sentence), rules_on(result, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Bản thân cùng chịu trách nhiệm chung với hạn chế của tập thể.",
        "Hạn chế của chi bộ có phần trách nhiệm của mỗi đảng viên.",
        "Trách nhiệm thuộc về tập thể Ban chấp hành.",
    ],
)
def test_stock_responsibility_is_not_accountability(sentence: str) -> None:
    shortcomings = "Chi bộ chưa đạt chỉ tiêu kết nạp đảng viên năm 2024 (kết nạp 1/3)."
    result = analyze(make_report(shortcomings=shortcomings, responsibility=sentence))
    assert result.accountability.status == "missing"
    assert any(f.category == "accountability" for f in result.findings)


@pytest.mark.parametrize(
    "sentence",
    [
        "Chi bộ không đạt chỉ tiêu kết nạp 3 đảng viên; là bí thư, tôi chịu trách nhiệm chính vì không phân công "
        "người giúp đỡ quần chúng từ đầu năm.",
        "2 gói mua sắm bị Thanh tra huyện kết luận sai quy trình; tôi là phó giám đốc phụ trách, chịu trách nhiệm "
        "trực tiếp.",
    ],
)
def test_owned_responsibility_is_accountability(sentence: str) -> None:
    result = analyze(make_report(responsibility=sentence))
    assert result.accountability.status == "present"
    start = result.text.index(sentence)
    assert any(span.start <= start < span.end for span in result.accountability.evidence)
    assert not labels_of(result, sentence)
