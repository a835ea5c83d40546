"""The result as a spaCy Doc: same text, span groups for sentences, findings and sections."""

from __future__ import annotations

import pytest

from nlp import analyze
from tests.conftest import make_report

spacy = pytest.importorskip("spacy")


def test_spacy_doc_keeps_text_and_spans() -> None:
    from nlp.spacy_doc import to_spacy

    result = analyze(make_report(shortcomings="Đôi khi việc nghiên cứu văn bản mới còn chưa kỹ."))
    doc = to_spacy(result)
    assert doc.text == result.text
    assert len(doc.spans["sentences"]) == len(result.sentences)
    labels = {span.label_ for span in doc.spans["sentences"]}
    assert "structural" in labels and "ok" in labels
    flagged = [s for s in doc.spans["sentences"] if "generic" in s.label_]
    assert any("nghiên cứu văn bản" in s.text for s in flagged)
    rules = {span.label_ for span in doc.spans["findings"]}
    assert "evasive.hedge" in rules
    assert {span.label_ for span in doc.spans["sections"]} >= {"header", "shortcomings", "remedies"}
    assert len(list(doc.sents)) == len(result.sentences)


def test_spacy_doc_works_with_displacy_and_matcher() -> None:
    from spacy import displacy
    from spacy.matcher import PhraseMatcher

    from nlp.spacy_doc import to_spacy

    result = analyze(make_report(causes="Hạn chế trên có phần do một số đồng chí chưa nhiệt tình."))
    doc = to_spacy(result)
    html = displacy.render(doc, style="span", options={"spans_key": "sc"}, page=True)
    assert "evasive" in html
    matcher = PhraseMatcher(doc.vocab)
    matcher.add("UNNAMED", [spacy.tokens.Doc(doc.vocab, words=["một số", "đồng chí"])])
    assert matcher(doc), "underthesea words let multi-syllable phrases match as tokens"
