"""The matcher's encoders (issue 13, the cost of the cross-checks): the static encoder distilled from e5 that is the
default, its per-encoder calibration and thresholds, and the choice of encoder in the batch and the CLI."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from nlp.batch.cross_reports import embeds_in_workers
from nlp.cli import app
from nlp.cross.config import calibration, default_matcher, matcher_names, matching, settings
from nlp.cross.match import Matcher, embedder_for
from nlp.cross.passages import make_passage
from nlp.cross.static_encoder import default_encoder, segment, syllables
from nlp.normalize import fold

FAULT = "Việc thu quỹ quốc phòng an ninh năm 2025 mới đạt 78% kế hoạch, chậm so với chỉ tiêu được giao."
SAME = "Tôi phụ trách thu quỹ nhưng để quỹ quốc phòng an ninh chỉ đạt 78%, chưa đạt kế hoạch của năm."
OTHER = "Bản thân luôn giữ gìn phẩm chất đạo đức, lối sống giản dị, gần gũi quần chúng nhân dân."


def test_the_static_encoder_is_the_default_and_e5_stays_selectable():
    assert default_matcher() == "static"
    assert set(matcher_names()) == {"static", "e5"}
    assert Matcher().name == "static"
    with pytest.raises(ValueError, match="unknown matcher"):
        embedder_for("bert")


def test_syllables_are_segmented_into_the_longest_known_words():
    known = {"khắc phục": 1, "hạn chế": 2, "khắc": 3}
    assert syllables("Khắc phục HẠN CHẾ, năm 2025!") == ["khắc", "phục", "hạn", "chế", "năm"]
    assert segment(["khắc", "phục", "hạn", "chế", "năm"], known) == ["khắc phục", "hạn chế", "năm"]


def test_sentence_vectors_are_unit_length_and_empty_text_is_zero():
    vectors = default_encoder().encode([FAULT, "", "2025 — 78%"])
    assert vectors.shape == (3, default_encoder().dimensions)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert not vectors[1].any() and not vectors[2].any()  # no word at all: no direction


def test_text_without_diacritics_reads_like_the_accented_text():
    encoder = default_encoder()
    accented, folded, other = encoder.encode([FAULT, fold(FAULT), fold(OTHER)])
    assert float(accented @ folded) > 0.8
    assert float(accented @ folded) > float(accented @ other) + 0.3


def test_a_paraphrase_scores_above_an_unrelated_sentence():
    matcher = Matcher()
    fault, same, other = (make_passage(t, "shortcomings") for t in (FAULT, SAME, OTHER))
    assert matcher.score(fault, same).score > matcher.score(fault, other).score + 0.05
    assert matcher.cosine(fault, same) > matcher.cosine(fault, other)


def test_the_cosine_is_calibrated_onto_the_shared_scale():
    matcher = Matcher()
    fault = make_passage(FAULT, "shortcomings")
    scale, shift = calibration("static")
    assert matcher.cosine(fault, fault) == pytest.approx(scale + shift, abs=1e-4)
    assert calibration("e5") == (1.0, 0.0)


def test_an_encoder_block_overrides_only_the_thresholds_it_sets():
    own = settings()["matching"]["static"]
    assert "denial_floor" in own and "same_item" not in own
    assert Matcher().threshold("denial_floor") == pytest.approx(float(own["denial_floor"]))
    assert matching("denial_floor", "e5") == matching("denial_floor") != matching("denial_floor", "static")
    assert Matcher().threshold("same_item") == matching("same_item")


def test_only_the_e5_matcher_embeds_in_the_batch_workers():
    assert not embeds_in_workers(None) and not embeds_in_workers("static")
    assert embeds_in_workers("e5")


def test_the_cli_refuses_an_unknown_matcher(tmp_path):
    report, previous = tmp_path / "a.txt", tmp_path / "b.txt"
    report.write_text(FAULT, encoding="utf-8")
    previous.write_text(SAME, encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(report), "--previous", str(previous), "--cross-matcher", "x"])
    assert result.exit_code == 2 and "cross-matcher" in result.output
