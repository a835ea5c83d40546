"""The trained sentence classifier behind the default pipeline: interface, robustness, reproducibility."""

from __future__ import annotations

import numpy as np

from nlp import analyze
from nlp.classify import SentenceClassifier, default_classifier
from nlp.model import available_models, default_model_name, load_classifier
from nlp.model.features import dense_names
from nlp.model.train import best_threshold
from tests.conftest import make_report


def test_default_is_the_shipped_model_and_implements_the_interface():
    classifier = default_classifier()
    assert isinstance(classifier, SentenceClassifier)
    assert classifier.name == default_model_name() != "rules"
    assert default_model_name() in available_models()


def test_model_scores_are_probabilities_and_structural_units_get_zero():
    result = analyze(make_report(shortcomings="Đôi lúc còn chưa quyết liệt trong công việc."))
    assert result.classifier == default_model_name()
    for sentence in result.sentences:
        assert 0.0 <= sentence.generic <= 1.0 and 0.0 <= sentence.evasive <= 1.0
        if sentence.structural:
            assert sentence.generic == 0.0 and sentence.evasive == 0.0


def test_every_label_the_model_gives_is_explained_by_a_finding():
    result = analyze(make_report(shortcomings="Công tác phối hợp đôi lúc còn chưa nhịp nhàng."))
    for index, sentence in enumerate(result.sentences):
        for label in sentence.labels:
            categories = {f.category for f in result.findings if f.sentence == index}
            assert label in categories or (label == "generic" and "accountability" in categories)


def test_rules_stay_selectable():
    result = analyze(make_report(), classifier=load_classifier("rules"))
    assert result.classifier == "rules-v1"


def test_model_survives_a_changed_feature_list(monkeypatch):
    classifier = load_classifier(default_model_name())
    text = make_report(shortcomings="Một số đồng chí còn nể nang, ngại va chạm.")
    before = analyze(text, classifier=classifier)
    changed = ("rule:generic.added_since", *dense_names()[:-1])
    monkeypatch.setattr("nlp.model.features.dense_names", lambda: changed)
    monkeypatch.setattr("nlp.model.linear.dense_names", lambda: changed)
    after = analyze(text, classifier=classifier)
    assert len(after.sentences) == len(before.sentences)


def test_threshold_is_chosen_to_maximise_f1():
    probabilities = np.array([0.1, 0.2, 0.35, 0.6, 0.8, 0.9])
    gold = np.array([False, False, True, True, True, True])
    assert 0.2 < best_threshold(probabilities, gold) <= 0.35


def test_a_flat_f1_curve_keeps_the_threshold_near_the_calibrated_cut():
    probabilities = np.array([0.2, 0.45, 0.55, 0.9])
    gold = np.array([False, True, True, True])
    # every threshold in (0.20, 0.45] is perfect on these units: the one nearest 0.5 is kept, not the lowest
    assert best_threshold(probabilities, gold) == 0.45
