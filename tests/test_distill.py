"""Distillation into the linear model (nlp/model/distill.py, ``kiemdiem train --variant linear-distilled``): soft
targets move the fitted model, the teacher's cache spares a second pass, and a tiny training run with a fake teacher
(no transformer) saves a linear model that predicts the same from its plain arrays."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nlp.model import distill
from nlp.model.corpus import content_targets, iter_aligned, read_splits, reports_in
from nlp.model.distill import Teacher, fit_distilled, soft_targets
from nlp.model.linear import LinearSentenceClassifier
from nlp.model.train import train


class FakePairTeacher:
    """Reads (unit, context) pairs like the transformer: generic when the unit has a number, evasive when it says
    "khách quan"; counts the pairs it is asked about."""

    name = "fake-teacher"

    def __init__(self) -> None:
        self.calibration: dict = {}
        self.asked = 0

    def logits(self, pairs):  # marks it as a pair reader, as the transformer is
        raise AssertionError("the teacher is read through probabilities()")

    def probabilities(self, pairs: list[tuple[str, str]]) -> dict[str, np.ndarray]:
        self.asked += len(pairs)
        generic = [0.1 if any(ch.isdigit() for ch in unit) else 0.9 for unit, _ in pairs]
        evasive = [0.9 if "khách quan" in unit.lower() else 0.2 for unit, _ in pairs]
        return {"generic": np.array(generic), "evasive": np.array(evasive)}


@pytest.fixture(scope="module")
def tiny_reports():
    return list(iter_aligned(reports_in("train")[:6]))


def test_soft_targets_mix_gold_and_teacher_and_keep_gold_where_the_teacher_is_silent():
    gold = np.array([True, False, True])
    teacher = np.array([0.2, 0.6, np.nan])
    assert soft_targets(gold, teacher, 0.5).tolist() == pytest.approx([0.6, 0.3, 1.0])
    assert soft_targets(gold, teacher, 1.0).tolist() == [1.0, 0.0, 1.0]


def test_teacher_probabilities_move_the_fitted_model(tiny_reports):
    texts, dense, targets, groups = content_targets(tiny_reports)
    gold = {"generic": targets["generic"]}

    def decisions(soft: np.ndarray) -> np.ndarray:
        model = LinearSentenceClassifier(name="tiny", seed=13)
        matrix = model._matrix(texts, dense, fit=True)
        fit_distilled(model, matrix, gold, {"generic": soft}, groups, min_kind_examples=12)
        return np.asarray(matrix @ model._weights[:, 0]).ravel() + model._intercepts[0]

    contrary = 1.0 - targets["generic"].astype(float)  # a teacher that says the opposite of gold
    with_gold = np.corrcoef(decisions(soft_targets(targets["generic"], contrary, 1.0)), targets["generic"])[0, 1]
    with_teacher = np.corrcoef(decisions(soft_targets(targets["generic"], contrary, 0.0)), targets["generic"])[0, 1]
    assert with_gold > 0.5
    assert with_teacher < -0.5


def test_the_teacher_cache_spares_a_second_pass(tiny_reports, tmp_path):
    first_model = FakePairTeacher()
    first = Teacher(first_model, tmp_path).targets(tiny_reports[:2], ["generic", "evasive", "kind:hedge"])
    assert first_model.asked > 0
    assert np.isnan(first["kind:hedge"]).all()  # a label the teacher does not model
    again_model = FakePairTeacher()
    again = Teacher(again_model, tmp_path).targets(tiny_reports[:2], ["generic", "evasive", "kind:hedge"])
    assert again_model.asked == 0
    assert np.array_equal(again["generic"], first["generic"], equal_nan=True)


def test_a_unit_without_its_diacritics_reuses_the_probabilities_of_the_accented_one(tmp_path):
    teacher = FakePairTeacher()
    cache = distill.TeacherCache.open(tmp_path, teacher)
    cache.store([("Nguyên nhân khách quan là chính", "Nguyên nhân:")], teacher.probabilities([("khách quan", "")]))
    assert cache.lookup(("Nguyen nhan khach quan la chinh", "Nguyen nhan:")) is not None
    assert cache.lookup(("Một câu khác", "Nguyên nhân:")) is None


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory):
    """A corpus of 6 train, 3 dev and 2 test reports (no re-laid copies)."""
    folder = tmp_path_factory.mktemp("corpus")
    splits = read_splits()
    chosen = {"train": splits["train"][:6], "dev": splits["dev"][:3], "test": splits["test"][:2]}
    wanted = {report for ids in chosen.values() for report in ids}
    records = [record for record in reports_in("all") if record["id"] in wanted]
    (folder / "reports.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    (folder / "splits.json").write_text(json.dumps(chosen))
    return folder


def test_distilled_training_smoke(tiny_corpus, tmp_path, monkeypatch):
    teachers = []

    def fake_teacher(name: str, cache_folder=None) -> Teacher:
        assert name == "fake-teacher"
        teachers.append(FakePairTeacher())
        return Teacher(teachers[-1], tmp_path / "cache")

    monkeypatch.setattr(distill, "load_teacher", fake_teacher)
    options = {
        "variant": "linear-distilled",
        "corpus": tiny_corpus / "reports.jsonl",
        "splits": tiny_corpus / "splits.json",
        "teacher": "fake-teacher",
        "alphas": (0.5, 1.0),
    }
    metrics = train(name="distilled-tiny", out_dir=tmp_path / "model", **options)
    assert metrics["test"] is None  # the frozen split is left to compare_models.py
    assert metrics["distillation"]["alpha"] in {0.5, 1.0}
    assert set(metrics["distillation"]["dev_units_f1"]) == {"0.5", "1.0"}
    assert teachers[0].asked > 0
    assert "fake-teacher" in (tmp_path / "model" / "MODEL_CARD.md").read_text(encoding="utf-8")
    saved = LinearSentenceClassifier.load(tmp_path / "model" / "model.joblib")
    arrays = LinearSentenceClassifier.from_arrays(tmp_path / "model")
    texts, dense, _, _ = content_targets(list(iter_aligned(reports_in("dev", **_paths(tiny_corpus)))))
    for label, values in saved.probabilities(texts, dense).items():
        assert np.allclose(arrays.probabilities(texts, dense)[label], values, atol=1e-6)

    train(name="distilled-tiny", out_dir=tmp_path / "again", **options)
    assert teachers[1].asked == 0  # every train unit came from the cache


def _paths(folder):
    return {"corpus": folder / "reports.jsonl", "splits": folder / "splits.json"}


def test_the_teacher_options_belong_to_the_distilled_variant():
    from typer.testing import CliRunner

    from nlp.cli import app

    refused = CliRunner().invoke(app, ["train", "--variant", "linear", "--teacher", "transformer-v1"])
    assert refused.exit_code != 0
    assert "linear-distilled" in refused.output
    bad_alpha = CliRunner().invoke(app, ["train", "--variant", "linear-distilled", "--alpha", "0.5,2"])
    assert bad_alpha.exit_code != 0
