"""The shipped models' plain arrays give what their scikit-learn/scipy form gives (issue 12, cold start).

Prediction reads ``linear.npz``/``sections.npz`` with numpy alone; the joblib files keep the fitted scikit-learn
objects. On every unit of the corpus dev and test splits, both paths must give the same probabilities (within
1e-9; in practice bit for bit) and the same decisions.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from nlp.detect.sentence_rules import sentence_candidates
from nlp.model import MODELS_DIR
from nlp.model.arrays import SparseRows, count_rows, sublinear_l2
from nlp.model.corpus import reports_in
from nlp.model.features import featurize
from nlp.model.linear import LinearSentenceClassifier
from nlp.model.linear_arrays import file_sha256, read_meta
from nlp.model.sections import MODEL_FILE, MODEL_NAME, SectionTagger, default_section_tagger
from nlp.model.sections_eval import evaluation_cases, read_split
from nlp.pipeline import prepare

LINEAR_MODELS = ("linear-v1", "linear-text-v1")
TOLERANCE = 1e-9


@cache
def _dev_test_units() -> list[tuple[list[str], np.ndarray]]:
    """(unit texts, dense features) of every dev and test report."""
    units = []
    for record in reports_in("dev") + reports_in("test"):
        doc = prepare(record["text"])
        _, texts, dense = featurize(doc, sentence_candidates(doc))
        units.append((texts, dense))
    return units


@pytest.mark.parametrize("name", LINEAR_MODELS)
def test_linear_arrays_equal_the_sklearn_model_on_dev_and_test(name):
    folder = MODELS_DIR / name
    reference = LinearSentenceClassifier.load(folder / "model.joblib")
    arrays = LinearSentenceClassifier.from_arrays(folder)
    assert reference._arrays is None and arrays._arrays is None  # the arrays load on first use
    units = _dev_test_units()
    assert sum(len(texts) for texts, _ in units) > 1000
    for texts, dense in units:
        expected = reference.probabilities(texts, dense)
        got = arrays.probabilities(texts, dense)
        assert list(got) == list(expected)
        for label, values in expected.items():
            assert np.max(np.abs(got[label] - values), initial=0.0) <= TOLERANCE, label
        for label, threshold in (("generic", reference.generic_threshold), ("evasive", reference.evasive_threshold)):
            assert np.array_equal(got[label] >= threshold, expected[label] >= threshold)
        for kind, threshold in reference.kind_thresholds.items():
            key = f"kind:{kind}"
            assert np.array_equal(got[key] >= threshold, expected[key] >= threshold)


@pytest.mark.parametrize("name", LINEAR_MODELS)
def test_linear_arrays_describe_the_shipped_joblib(name):
    folder = MODELS_DIR / name
    meta = read_meta(folder)
    reference = LinearSentenceClassifier.load(folder / "model.joblib")
    assert meta["source_sha256"] == file_sha256(folder / "model.joblib")  # re-export after retraining
    arrays = LinearSentenceClassifier.from_arrays(folder)
    for field in ("name", "use_rules", "generic_threshold", "evasive_threshold", "kind_thresholds", "_labels"):
        assert getattr(arrays, field) == getattr(reference, field), field
    assert arrays._dense_names == reference._dense_names


def test_saving_a_model_writes_arrays_that_load_back(tmp_path):
    reference = LinearSentenceClassifier.load(MODELS_DIR / "linear-v1" / "model.joblib")
    reference.save(tmp_path / "model.joblib")
    assert read_meta(tmp_path)["source_sha256"] == file_sha256(tmp_path / "model.joblib")
    texts, dense = _dev_test_units()[0]
    got = LinearSentenceClassifier.from_arrays(tmp_path).probabilities(texts, dense)
    expected = reference.probabilities(texts, dense)
    assert all(np.array_equal(got[label], expected[label]) for label in expected)


def _reference_log_posteriors(tagger: SectionTagger, texts: list[str], positions: list[float]) -> np.ndarray:
    """The tagger's scores computed with scipy matrices, as before the arrays (the reference)."""
    words, dense, chars, _ = tagger._blocks(tagger._documents([(texts, positions)]))
    assert sparse.issparse(words) and chars is None
    w = tagger._weights
    n_words, n_dense = words.shape[1], dense.shape[1]
    decision = words @ w[:n_words] + dense @ w[n_words : n_words + n_dense] + tagger._intercepts
    end = n_words + n_dense
    own = tagger.context * 0.5 * np.asarray(words @ w[end : end + n_words])
    decision[1:] += own[:-1]
    decision[:-1] += own[1:]
    decision = np.asarray(decision, dtype=np.float64)
    decision -= decision.max(axis=1, keepdims=True)
    return decision - np.log(np.exp(decision).sum(axis=1, keepdims=True))


def test_section_arrays_equal_the_joblib_tagger_on_dev_and_test():
    shipped = default_section_tagger()
    reference = SectionTagger.load(MODELS_DIR / MODEL_NAME / MODEL_FILE)
    assert shipped._words.index == reference._words.index
    records = read_split("dev") + read_split("test")
    cases = evaluation_cases(records, "no_headings")
    assert len(cases) == len(records)
    for (texts, positions, _), fixed, _ in cases:
        expected = _reference_log_posteriors(reference, texts, positions)
        got = shipped._log_posteriors(texts, positions)
        assert np.max(np.abs(got - expected), initial=0.0) <= TOLERANCE
        assert shipped.predict(texts, positions, fixed) == reference.predict(texts, positions, fixed)


def test_sparse_rows_match_scipy():
    rng = np.random.default_rng(5)
    dense = rng.random((30, 50)) * (rng.random((30, 50)) < 0.2)
    dense[3] = 0.0  # an empty row
    rows = SparseRows.from_dense(dense)
    reference = sparse.csr_matrix(dense)
    assert np.array_equal(rows.indptr, reference.indptr) and np.array_equal(rows.indices, reference.indices)
    weights = rng.random((50, 7)).astype(np.float32)
    assert np.array_equal(rows.dot(weights), reference @ weights)
    other = SparseRows.from_dense(rng.random((30, 20)) * (rng.random((30, 20)) < 0.3))
    stacked = SparseRows.hstack([rows, other])
    expected = sparse.hstack([reference, other.to_scipy()], format="csr")
    assert (stacked.to_scipy() != expected).nnz == 0
    more = rng.random((70, 3))
    assert np.array_equal(stacked.dot(more), expected @ more)


def test_tfidf_rows_match_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["a b b c", "c c c d e", "", "b a", "f"]
    vectorizer = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, lowercase=False).fit(docs)
    index = vectorizer.vocabulary_
    counts = count_rows(([index.get(t) for t in d.split()] for d in docs), len(index))
    got = sublinear_l2(counts, vectorizer.idf_).to_scipy()
    expected = vectorizer.transform(docs)
    assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)


def test_model_folders_without_arrays_still_load(tmp_path, monkeypatch):
    folder = tmp_path / "old-v1"
    folder.mkdir()
    (folder / "model.joblib").write_bytes((MODELS_DIR / "linear-v1" / "model.joblib").read_bytes())
    monkeypatch.setattr("nlp.model.MODELS_DIR", Path(tmp_path))
    from nlp.model import load_classifier

    load_classifier.cache_clear()
    try:
        model = load_classifier("old-v1")
        assert model._arrays_folder is None and model._words is not None
    finally:
        load_classifier.cache_clear()


def test_a_model_read_from_its_arrays_cannot_be_saved(tmp_path):
    with pytest.raises(ValueError, match="cannot be saved"):
        LinearSentenceClassifier.from_arrays(MODELS_DIR / "linear-v1").save(tmp_path / "model.joblib")


def test_saving_the_section_tagger_writes_arrays_that_load_back(tmp_path):
    reference = SectionTagger.load(MODELS_DIR / MODEL_NAME / MODEL_FILE)
    reference.save(tmp_path / MODEL_FILE)
    loaded = SectionTagger.load_arrays(tmp_path)
    (texts, positions, _), fixed, _ = evaluation_cases(read_split("dev")[:1], "no_headings")[0]
    assert np.array_equal(loaded._log_posteriors(texts, positions), reference._log_posteriors(texts, positions))
    assert loaded.predict(texts, positions, fixed) == reference.predict(texts, positions, fixed)
