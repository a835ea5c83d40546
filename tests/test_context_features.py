"""Context features of the linear model (``linear-context``): built from the segmented document alone, the default
features untouched, and a tiny training run that predicts the same before and after save/load."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import analyze
from nlp.classify import SentenceClassifier
from nlp.detect.sentence_rules import sentence_candidates
from nlp.model.corpus import content_targets, iter_aligned, reports_in
from nlp.model.features import (
    CONTEXT_PREFIX,
    CONTEXT_START,
    context_dense_names,
    dense_names,
    featurize,
    featurize_context,
    split_context,
)
from nlp.model.linear import ContextLinearSentenceClassifier, LinearSentenceClassifier
from nlp.model.train import context_rows
from nlp.pipeline import prepare
from tests.conftest import make_report

SHORTCOMING = "Tôi trả chậm 6 hồ sơ chuyển nhượng đất trong tháng 7."
CAUSE_ONE = "Nguyên nhân chủ quan là tôi chưa lập lịch theo dõi hồ sơ hằng tuần."
CAUSE_TWO = "Địa bàn rộng, khối lượng công việc nhiều."


def _features(text: str):
    doc = prepare(text)
    candidates = sentence_candidates(doc)
    return doc, candidates, featurize(doc, candidates), featurize_context(doc, candidates)


def test_context_extends_the_default_features_bit_for_bit():
    _, _, (indexes, texts, dense), (context_indexes, joined, rows) = _features(make_report())
    own, _ = split_context(joined)
    width = len(dense_names())
    assert context_indexes == indexes and own == texts
    assert rows.shape == (len(indexes), len(context_dense_names()))
    assert np.array_equal(rows[:, :width], dense)  # the unit's own columns are the default features, unchanged


def test_the_previous_unit_is_the_previous_content_unit_of_the_same_section():
    doc, _, (indexes, texts, dense), (_, joined, rows) = _features(make_report(causes=f"{CAUSE_ONE} {CAUSE_TWO}"))
    _, context = split_context(joined)
    width = len(dense_names())
    sections = [doc.units[index].section for index in indexes]
    rows_of = {text.split(" ", 1)[1]: row for row, text in enumerate(texts)}
    second = next(row for text, row in rows_of.items() if text.startswith("địa_bàn") or "địa bàn" in text)
    first = second - 1
    assert sections[first] == sections[second]
    assert context[second].split() == [f"{CONTEXT_PREFIX}{w}" for w in texts[first].split()[1:]]
    assert np.array_equal(rows[second, width : 2 * width], dense[first])
    assert rows[second, -1] == 0.0 and rows[second, -2] > 0.0  # not first in its section
    for row, section in enumerate(sections):  # the first content unit of each section has no previous unit
        if section not in sections[:row]:
            assert context[row] == CONTEXT_START and rows[row, -1] == 1.0
            assert not rows[row, width : 2 * width].any()


def test_context_comes_from_the_document_not_from_gold():
    text = make_report(causes=f"{CAUSE_ONE} {CAUSE_TWO}")
    assert _features(text)[3][1] == _features(text)[3][1]
    moved = make_report(causes=f"{CAUSE_TWO} {CAUSE_ONE}")  # the same units in another order: other neighbours
    assert _features(moved)[3][1] != _features(text)[3][1]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A context model trained on a few train reports, thresholds left at 0.5 (seconds)."""
    reports = list(iter_aligned(reports_in("train")[:8]))
    _, _, targets, groups = content_targets(reports)
    texts, dense = context_rows(reports)
    model = ContextLinearSentenceClassifier(name="context-tiny").fit(texts, dense, targets, groups)
    path = tmp_path_factory.mktemp("models") / "context-tiny" / "model.joblib"
    model.save(path)
    return model, path


def test_tiny_context_model_trains_and_is_a_sentence_classifier(tiny):
    model, path = tiny
    assert isinstance(model, SentenceClassifier)
    assert {"generic", "evasive"} <= set(model._labels)
    assert (path.parent / "model.joblib").exists() and not (path.parent / "linear.json").exists()


def test_same_decisions_after_save_and_load(tiny):
    model, path = tiny
    loaded = LinearSentenceClassifier.load(path)
    assert isinstance(loaded, ContextLinearSentenceClassifier)
    text = make_report(causes=f"{CAUSE_ONE} {CAUSE_TWO}", shortcomings=SHORTCOMING)
    before, after = analyze(text, classifier=model), analyze(text, classifier=loaded)
    assert before.classifier == "context-tiny"
    assert [(s.generic, s.evasive, s.labels) for s in before.sentences] == [
        (s.generic, s.evasive, s.labels) for s in after.sentences
    ]
    assert any(s.generic > 0 for s in before.sentences if not s.structural)
