"""The result as a spaCy ``Doc`` for researchers (needs the ``spacy`` extra: ``pip install kiemdiem[spacy]``).

Tokens are underthesea words re-anchored to ``result.text`` (whitespace kept, so ``doc.text == result.text``).
Span groups:

- ``doc.spans["sentences"]``: every sentence unit, label ``"structural"``, ``"generic"``, ``"evasive"``,
  ``"generic+evasive"`` or ``"ok"``;
- ``doc.spans["findings"]``: every finding, label = rule id;
- ``doc.spans["sections"]``: every section, label = section id;
- ``doc.spans["sc"]``: findings by category (displaCy's default ``spans_key``), label = category.

Character spans are expanded to token boundaries (``alignment_mode="expand"``). Sentence units also set
``doc.sents``-compatible sentence starts. ``displacy.render(doc, style="span")`` works on the result.
"""

from __future__ import annotations

import re

from nlp.schema import AnalysisResult

_WHITESPACE_OR_WORD = re.compile(r"\s+|\S+")


def to_spacy(result: AnalysisResult, vocab=None):
    """Build a ``spacy.tokens.Doc`` whose span groups hold the sentences, findings and sections."""
    try:
        from spacy.tokens import Doc, Span
        from spacy.vocab import Vocab
    except ImportError as error:  # pragma: no cover - depends on the optional extra
        raise ImportError("to_spacy needs spaCy: pip install 'kiemdiem[spacy]'") from error
    words, spaces = _tokens(result)
    doc = Doc(vocab or Vocab(), words=words, spaces=spaces)
    assert doc.text == result.text
    doc.spans["sentences"] = [
        _span(doc, Span, s.start, s.end, _sentence_label(s.structural, s.labels)) for s in result.sentences
    ]
    doc.spans["findings"] = [_span(doc, Span, f.start, f.end, f.rule) for f in result.findings if f.end > f.start]
    doc.spans["sc"] = [_span(doc, Span, f.start, f.end, f.category) for f in result.findings if f.end > f.start]
    doc.spans["sections"] = [_span(doc, Span, s.start, s.end, s.id) for s in result.sections if s.end > s.start]
    for group in ("sentences", "findings", "sc", "sections"):
        doc.spans[group] = [span for span in doc.spans[group] if span is not None]
    _set_sentence_starts(doc, result)
    return doc


def _sentence_label(structural: bool, labels: list[str]) -> str:
    if structural:
        return "structural"
    return "+".join(labels) if labels else "ok"


def _span(doc, span_class, start: int, end: int, label: str):
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    return span if span is not None else None


def _tokens(result: AnalysisResult) -> tuple[list[str], list[bool]]:
    """Words (underthesea) inside sentence units, whitespace-split elsewhere; exact cover of the text."""
    from underthesea import word_tokenize

    text = result.text
    pieces: list[tuple[int, int]] = []
    cursor = 0
    for sentence in result.sentences:
        if sentence.start < cursor:
            continue
        pieces.extend(_plain_pieces(text, cursor, sentence.start))
        if sentence.structural:
            pieces.extend(_plain_pieces(text, sentence.start, sentence.end))
        else:
            pieces.extend(_word_pieces(text, sentence.start, sentence.end, word_tokenize))
        cursor = sentence.end
    pieces.extend(_plain_pieces(text, cursor, len(text)))
    return _words_and_spaces(text, pieces)


def _plain_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in _WHITESPACE_OR_WORD.finditer(text[start:end])]


def _word_pieces(text: str, start: int, end: int, tokenize) -> list[tuple[int, int]]:
    segment = text[start:end]
    pieces, cursor = [], 0
    for token in tokenize(segment):
        found = segment.find(token, cursor)
        if found == -1:
            continue
        pieces.extend(_plain_pieces(text, start + cursor, start + found))
        pieces.append((start + found, start + found + len(token)))
        cursor = found + len(token)
    pieces.extend(_plain_pieces(text, start + cursor, end))
    return pieces


def _words_and_spaces(text: str, pieces: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy's representation: a single space after a token is a flag, other whitespace is a token."""
    words: list[str] = []
    spaces: list[bool] = []
    for start, end in pieces:
        piece = text[start:end]
        if piece == " " and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
            continue
        if piece.isspace() and piece.startswith(" ") and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
            piece = piece[1:]
        words.append(piece)
        spaces.append(False)
    return words, spaces


def _set_sentence_starts(doc, result: AnalysisResult) -> None:
    starts = {s.start for s in result.sentences}
    for token in doc:
        token.is_sent_start = token.i == 0 or token.idx in starts
