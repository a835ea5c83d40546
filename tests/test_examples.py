"""The shipped example reports say what examples/expectations.yaml says a reviewer expects."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nlp import analyze_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXPECTATIONS: dict[str, dict] = yaml.safe_load((EXAMPLES / "expectations.yaml").read_text(encoding="utf-8"))
HEADER_FIELDS = ("name", "unit", "branch", "year")


@pytest.fixture(scope="module", params=sorted(EXPECTATIONS), ids=str)
def case(request):
    name = request.param
    path = EXAMPLES / name
    if not path.exists():
        pytest.fail(f"{name} is listed in expectations.yaml but missing (run examples/build_binary_examples.py)")
    return name, EXPECTATIONS[name], analyze_file(path)


def _sentence(result, fragment: str):
    matches = [s for s in result.sentences if fragment in result.text[s.start : s.end]]
    assert len(matches) == 1, f"{fragment!r} matches {len(matches)} sentences"
    return matches[0]


def test_form_role_and_header(case):
    _, expected, result = case
    for key in ("form", "guidance", "role", "band"):
        if key in expected:
            assert getattr(result, key) == expected[key], key
    for key in HEADER_FIELDS:
        if key in expected:
            assert getattr(result.header, key) == expected[key], key
    if "self_rating" in expected:
        assert result.self_rating == expected["self_rating"]
    if "self_score" in expected:
        assert result.self_score == expected["self_score"]
    if "accountability" in expected:
        assert result.accountability.status == expected["accountability"]
    if "diacritics" in expected:
        assert result.source.diacritics == expected["diacritics"]
    if "source_format" in expected:
        assert result.source.format == expected["source_format"]
    if "legacy_font" in expected:
        assert result.source.legacy_font == expected["legacy_font"]


def test_expected_report_findings(case):
    _, expected, result = case
    rules = {f.rule for f in result.findings}
    for rule in expected.get("rules", []):
        assert rule in rules


def test_sentences_flagged(case):
    _, expected, result = case
    for item in expected.get("must_flag", []):
        sentence = _sentence(result, item["text"])
        for label in item["labels"]:
            assert label in sentence.labels, (item["text"], label, sentence.labels)
        in_span = [f for f in result.findings if sentence.start <= f.start and f.end <= sentence.end]
        assert in_span, f"no finding explains {item['text']!r}"
        assert all(f.message for f in in_span)


def test_sentences_not_flagged(case):
    _, expected, result = case
    for fragment in expected.get("must_not_flag", []):
        assert _sentence(result, fragment).labels == [], fragment


def test_every_example_is_described():
    reports = {p.name for p in EXAMPLES.iterdir() if p.suffix in {".txt", ".docx", ".pdf"}}
    assert reports <= set(EXPECTATIONS), sorted(reports - set(EXPECTATIONS))
