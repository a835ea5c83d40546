"""The stance model: its features, the shipped model's readings, and fitting on a few sentences."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.cross.passages import make_passage
from nlp.cross.stance import LABELS, default_model, load, ngrams
from nlp.cross.stance_train import Example, accuracy, fit
from nlp.cross.verdict import denies, owns, reads_as


def test_ngrams_are_folded_words_with_numbers_as_zero():
    grams = ngrams("Tôi để 14 hộ chưa nộp")
    assert "toi" in grams and "0 ho" in grams and "toi de 0" in grams
    assert not any("14" in g for g in grams)


def test_the_shipped_model_gives_probabilities_for_every_label():
    model = default_model()
    assert model is not None and model.labels == LABELS
    rows = model.probabilities(["Tôi nhận khuyết điểm này.", "Việc này không thuộc phần việc của tôi."])
    assert rows.shape == (2, len(LABELS)) and np.allclose(rows.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        (
            "Khoản chênh lệch là do đơn vị bạn hạch toán nhầm trên sổ của họ, không phải sai sót của kế toán cơ quan.",
            "denied",
        ),
        (
            "Tôi không đến kiểm tra kho thuốc trong quý III nên để 41 hộp thuốc quá hạn nằm trên kệ; đây là thiếu "
            "sót của tôi.",
            "owned",
        ),
    ],
)
def test_the_shipped_model_reads_plain_stances(sentence, label):
    assert reads_as(make_passage(sentence, "shortcomings"), label)


def test_a_denial_without_cue_words_owns_nothing():
    said = make_passage(
        "Việc trả lại hồ sơ là do chủ đầu tư lập thiếu, sai thủ tục; Phòng giải quyết đúng hạn 100% hồ sơ đủ điều "
        "kiện, không phải do Phòng chậm trễ.",
        "collective_responsibility",
    )
    assert denies(said) and not owns(said)


def test_fit_and_save_round_trip(tmp_path):
    examples = [
        Example(text, label, "w")
        for text, label in [
            ("Tôi nhận trách nhiệm vì tôi không kiểm tra.", "owned"),
            ("Tôi để chậm vì tôi không đôn đốc.", "owned"),
            ("Đây là trách nhiệm chung của cả chi bộ.", "diffused"),
            ("Tập thể cùng chịu trách nhiệm chung.", "diffused"),
            ("Việc này không thuộc phần việc của tôi.", "denied"),
            ("Phần việc của tôi không có sai sót.", "denied"),
            ("Tôi dự đủ các kỳ sinh hoạt.", "neutral"),
            ("Tôi dự các lớp bồi dưỡng.", "neutral"),
        ]
    ]
    model = fit(examples, c=4.0, vector_weight=0.5)
    model.save(tmp_path)
    again = load(tmp_path)
    texts = [e.text for e in examples]
    assert np.allclose(model.probabilities(texts), again.probabilities(texts), atol=1e-5)
    assert accuracy(again, examples)["accuracy"] >= 0.75
