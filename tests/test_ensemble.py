"""The ensemble classifier (nlp/model/ensemble.py): the weighted mean, a tiny dev fit, save/load, the registry.
Members here are the two shipped linear models (numpy only: no torch in these tests)."""

from __future__ import annotations

import json

import pytest

from nlp import analyze
from nlp.classify import SentenceClassifier
from nlp.detect.sentence_rules import sentence_candidates
from nlp.model import load_classifier
from nlp.model.corpus import iter_aligned, reports_in
from nlp.model.ensemble import CONFIG_FILE, EnsembleSentenceClassifier, combine, fit_ensemble, member_probabilities
from nlp.pipeline import prepare
from tests.conftest import make_report

WEAK = make_report(
    shortcomings="Đôi lúc còn chưa quyết liệt trong công việc. Một số việc còn chậm do khách quan.",
    causes="Địa bàn rộng, khối lượng công việc nhiều.",
)


def test_combine_is_the_weighted_mean_over_the_members_that_score_a_label():
    first = {0: {"generic": 0.2, "evasive": 0.4, "kind:hedge": 0.9}, 2: {"generic": 1.0, "evasive": 0.0}}
    second = {0: {"generic": 0.6, "evasive": 0.8}}
    combined = combine([first, second], {"generic": [0.75, 0.25]})
    assert combined[0]["generic"] == pytest.approx(0.75 * 0.2 + 0.25 * 0.6)
    assert combined[0]["evasive"] == pytest.approx(0.6)  # no weights for evasive: the plain mean
    assert combined[0]["kind:hedge"] == pytest.approx(0.9)  # only the first member models it
    assert combined[2] == {"generic": 1.0, "evasive": 0.0}  # only the first member scores unit 2
    only_second = combine([first, second], {"generic": [1.0, 0.0]})
    assert only_second[0]["generic"] == pytest.approx(0.2)


def test_equal_weights_average_the_members_probabilities():
    members = (load_classifier("linear-v1"), load_classifier("linear-text-v1"))
    model = EnsembleSentenceClassifier(name="pair", members=members)
    doc = prepare(WEAK)
    candidates = sentence_candidates(doc)
    a, b = (member_probabilities(m, doc, candidates) for m in members)
    combined = model.probabilities(doc, candidates)
    for index, row in combined.items():
        assert row["generic"] == pytest.approx((a[index]["generic"] + b[index]["generic"]) / 2)


@pytest.fixture(scope="module")
def tiny():
    """An ensemble of the shipped linear models with weights and thresholds chosen on a few dev reports."""
    members = (load_classifier("linear-v1"), load_classifier("linear-text-v1"))
    return fit_ensemble("ensemble-tiny", members, list(iter_aligned(reports_in("dev")[:4])))


def test_fit_chooses_weights_from_the_grid_and_thresholds(tiny):
    model, choices = tiny
    assert isinstance(model, SentenceClassifier)
    assert set(model.weights) == {"generic", "evasive"}
    for label in ("generic", "evasive"):
        assert choices[label]["weights"][0] in (0.0, 0.25, 0.5, 0.75, 1.0)
        assert sum(choices[label]["weights"]) == pytest.approx(1.0)
        assert 0.15 <= choices[label]["threshold"] <= 0.85
    assert model.generic_threshold == choices["generic"]["threshold"]


def test_same_decisions_after_save_and_load_and_by_name(tiny, tmp_path, monkeypatch):
    model, choices = tiny
    folder = tmp_path / "ensemble-tiny"
    model.save(folder, dev=choices)
    meta = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    assert meta["members"] == ["linear-v1", "linear-text-v1"]
    loaded = EnsembleSentenceClassifier.load(folder)
    before, after = analyze(WEAK, classifier=model), analyze(WEAK, classifier=loaded)
    assert before.classifier == "ensemble-tiny"
    assert [(s.generic, s.evasive, s.labels) for s in before.sentences] == [
        (s.generic, s.evasive, s.labels) for s in after.sentences
    ]
    assert any("generic" in s.labels for s in before.sentences)
    from nlp import model as registry

    for member in meta["members"]:  # the registry finds the members beside the ensemble
        (tmp_path / member).symlink_to(registry.MODELS_DIR / member)
    monkeypatch.setattr(registry, "MODELS_DIR", tmp_path)
    assert "ensemble-tiny" in registry.available_models()
    by_name = registry.load_classifier("ensemble-tiny")
    assert isinstance(by_name, EnsembleSentenceClassifier) and by_name.weights == model.weights
    registry.load_classifier.cache_clear()


def test_an_ensemble_cannot_contain_itself(tmp_path):
    folder = tmp_path / "loop"
    folder.mkdir()
    meta = {"format": 1, "name": "loop", "members": ["loop"], "weights": {}, "thresholds": {}, "kind_thresholds": {}}
    (folder / CONFIG_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError, match="itself"):
        EnsembleSentenceClassifier.load(folder)
