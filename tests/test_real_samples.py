"""Real published report texts, read from ``shared/real-samples`` beside the checkout (never copied into the
repository, never trained on): what a new user pastes must yield its sentences and findings."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from nlp import analyze
from nlp.schema import AnalysisResult

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "real-samples"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared/real-samples is not beside the checkout")
NAMES = sorted(p.stem for p in SAMPLES.glob("*.txt")) if SAMPLES.is_dir() else []
BLANK_TEMPLATES = {"q004"}  # the form's prompts and blanks only: no sentence of the writer's (SOURCES.tsv)
WHOLE = ["p04", "p05", "p06", "p07", "q001"]


@cache
def result(name: str) -> AnalysisResult:
    return analyze((SAMPLES / f"{name}.txt").read_text(encoding="utf-8"))


def content(name: str) -> list:
    r = result(name)
    return [s for s in r.sentences if not s.structural]


def text_of(r: AnalysisResult, sentence) -> str:
    return " ".join(r.text[sentence.start : sentence.end].split())


@pytest.mark.parametrize("name", [n for n in NAMES if n not in BLANK_TEMPLATES])
def test_every_text_with_prose_yields_its_content_sentences(name):
    assert len(content(name)) >= 3
    assert any(s.labels for s in content(name))  # these are weak texts: something is flagged


def test_the_blank_template_is_recognised_as_the_forms_prompts():
    r = result("q004")
    assert any(f.rule == "input.form_instructions" for f in r.findings)


@pytest.mark.parametrize(
    "phrase", ["chưa thật sự chủ động", "có thời điểm chưa đạt hiệu quả", "có lúc chưa kịp thời trao đổi"]
)
def test_the_hedged_sentences_of_q006_are_flagged_evasive(phrase):
    r = result("q006")
    (sentence,) = [s for s in r.sentences if phrase in text_of(r, s)]
    assert "evasive" in sentence.labels


@pytest.mark.parametrize("name", WHOLE)
def test_shortcomings_and_remedies_are_found_as_such(name):
    sections = [s.section for s in content(name)]
    assert sections.count("shortcomings") >= 2
    assert sections.count("remedies") >= 3


def test_a_named_shortcoming_and_remedy_of_p04_sit_in_their_parts():
    r = result("p04")
    by_text = {text_of(r, s)[:40]: s.section for s in content("p04")}
    assert next(v for k, v in by_text.items() if k.startswith("Chưa mạnh dạn đưa ra")) == "shortcomings"
    assert next(v for k, v in by_text.items() if k.startswith("Tự giác học tập")) == "remedies"


@pytest.mark.parametrize("name", ["p06", "p07"])
def test_2c_members_outside_the_political_system(name):
    r = result(name)
    assert (r.form, r.role) == ("02C", "member_outside_system")


@pytest.mark.parametrize("name", ["p04", "p05", "p06", "p07"])
def test_the_forms_instructions_are_reported_once_and_kept_out_of_the_content(name):
    r = result(name)
    assert [f.rule for f in r.findings].count("input.form_instructions") == 1
    assert not any(text_of(r, s).startswith("Có thể dựa trên các tiêu chí sau") for s in content(name))


def test_pdf_page_numbers_of_q001_are_not_content():
    r = result("q001")
    assert not any(text_of(r, s).strip().isdigit() for s in content("q001"))
    assert any("\n" in r.text[s.start : s.end] for s in content("q001"))  # hard-wrapped sentences rejoined


@pytest.mark.parametrize("name", ["q005", "q006", "q007", "q008", "q009", "q010"])
def test_single_sections_are_fragments_without_a_band(name):
    r = result(name)
    assert r.scope == "fragment"
    assert r.band is None
    assert r.missing_sections == []


@pytest.mark.parametrize("name", ["p01", "p02", "p03", "p04", "p05", "p06", "p07"])
def test_whole_reports_keep_scope_and_band(name):
    r = result(name)
    assert r.scope == "report"
    assert r.band == "weak"  # published templates: stock phrases everywhere (SOURCES.tsv)


@pytest.mark.parametrize("name", NAMES)
def test_every_offset_indexes_the_returned_text(name):
    r = result(name)
    for s in r.sentences:
        assert 0 <= s.start < s.end <= len(r.text)
        assert r.text[s.start : s.end].strip()
    for f in r.findings:
        assert 0 <= f.start <= f.end <= len(r.text)
