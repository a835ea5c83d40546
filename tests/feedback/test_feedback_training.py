"""Decisions as training rows: undecided labels stay undecided, dev/test sentences never get in, and the trainer's
own feature code takes the reports."""

from __future__ import annotations

import hashlib

from nlp.feedback.model import report_hash
from nlp.feedback.training import TrainingRow, training_reports, training_rows, without_held_out

WEAK = "Đôi lúc tôi còn nể nang, ngại va chạm trong phê bình đồng chí, đồng nghiệp."
STOCK = "Bản thân luôn hoàn thành tốt nhiệm vụ được giao, chấp hành nghiêm sự phân công của tổ chức."
SPECIFIC = "Tôi trả chậm 6 hồ sơ chuyển nhượng đất trong tháng 7/2024 do không theo dõi sổ hẹn."
HELD_OUT_TEXT = f"ĐẢNG BỘ XÃ AN PHÚ\n{SPECIFIC}\nMột câu khác của báo cáo thuộc tập kiểm tra."


def _held_out() -> dict:
    start = HELD_OUT_TEXT.index(SPECIFIC)
    return {
        "id": "t-001",
        "text": HELD_OUT_TEXT,
        "units": [{"start": start, "end": start + len(SPECIFIC)}],
    }


def test_rows_keep_undecided_labels_undecided(make_decision):
    rows = training_rows(
        [
            make_decision(WEAK, "evasive.hedge", "confirm", at=200),
            make_decision(STOCK, "generic.stock_phrase", "dismiss", at=0, section="duties"),
            make_decision(STOCK, "accountability.missing_personal", "confirm", at=0, section="duties"),
        ]
    )
    hashed = report_hash("a")
    assert rows == [
        TrainingRow(STOCK, "duties", False, None, (), hashed),
        TrainingRow(WEAK, "shortcomings", None, True, ("hedge",), hashed),
    ]


def test_dev_and_test_sentences_are_left_out(make_decision):
    held_out = _held_out()
    same_sentence = make_decision(SPECIFIC, "generic.no_anchor", "dismiss", report="another report", at=40)
    same_report = make_decision(STOCK, "generic.stock_phrase", "confirm", at=0)
    same_report = same_report.model_copy(
        update={"report_hash": hashlib.sha256(HELD_OUT_TEXT.encode("utf-8")).hexdigest()}
    )
    kept = make_decision(WEAK, "evasive.hedge", "confirm", at=200)
    assert without_held_out([same_sentence, same_report, kept], [held_out]) == [kept]
    assert [row.text for row in training_rows([same_sentence, same_report, kept], [held_out])] == [WEAK]


def test_reports_feed_the_trainers_feature_code(make_decision):
    from nlp.model.corpus import content_targets

    decisions = [
        make_decision(STOCK, "generic.stock_phrase", "confirm", at=0, section="duties"),
        make_decision(WEAK, "evasive.hedge", "confirm", at=200),
        make_decision(WEAK, "generic.stock_self_criticism", "dismiss", at=200),
        make_decision(SPECIFIC, "generic.no_anchor", "dismiss", at=400),
    ]
    reports = training_reports(decisions)
    assert len(reports) == 1
    texts, dense, targets, groups = content_targets(reports)
    assert len(texts) == 3 == dense.shape[0] == len(groups)
    assert targets["generic"].tolist() == [True, False, False]
    assert targets["evasive"].tolist() == [False, True, False]
    assert targets["kind:hedge"].tolist() == [False, True, False]
    assert training_reports(decisions, [_held_out()])[0].record["text"].count("\n") == 1, "SPECIFIC left out"
