"""Segment: lines → structural lines, headings and sections → sentence units → words.

Headings are recognised in the ways people write them (Roman or Arabic numerals, "1)", "a.",
"Phần II:", ALL CAPS, bullets ending in a colon, inline "Về khuyết điểm: …", no diacritics) from the
cues in ``nlp/data/structure.yaml``. Lines are split before ``sent_tokenize`` (a heading without a
full stop would otherwise merge into the next sentence); list items are units of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import underthesea.pipeline.word_tokenize as _underthesea_words
from underthesea import word_tokenize
from underthesea.pipeline.text_normalize import token_normalize
from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text
from underthesea.pipeline.word_tokenize import regex_tokenize

from nlp.data.patterns import compile as compiled
from nlp.doc import Doc, Line, SectionSpan, Unit
from nlp.layout import analyse_layout, sentence_spans
from nlp.lexicon import load_yaml

ACHIEVEMENT_FAMILY = {"achievements", "ideology_ethics", "duties", "commitments"}
_ITEM_MARKER = re.compile(r"^(?:[\-\+\*•]\s*|\(?\d{1,2}(?:\.\d{1,2})*[\.\)]\s+|\(?[a-zđ][\)\.]\s+)")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class _Rules:
    numbering: list[re.Pattern[str]]
    max_heading_chars: int
    not_title: re.Pattern[str]
    fields: dict[str, re.Pattern[str]]
    # Cue lists joined into one alternation each: one search tells whether any of them matches.
    section_any: list[tuple[str, re.Pattern[str]]]
    structural_any: re.Pattern[str]
    header_any: re.Pattern[str]
    fields_any: re.Pattern[str]


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    """One pattern that matches where any of ``patterns`` does (``(?!)``, never, for none)."""
    return compiled("|".join(f"(?:{p})" for p in patterns) or "(?!)")


@cache
def _rules() -> _Rules:
    data = load_yaml("structure.yaml")
    return _Rules(
        numbering=[compiled(p) for p in data["heading"]["numbering"]],
        max_heading_chars=int(data["heading"]["max_chars"]),
        not_title=compiled(data["heading"]["not_title"]),
        fields={k: compiled(v) for k, v in data["header_fields"].items()},
        section_any=[(s["id"], _any_of(s["cues"])) for s in data["sections"]],
        structural_any=_any_of(data["structural_lines"]),
        header_any=_any_of(data["header_lines"]),
        fields_any=_any_of(list(data["header_fields"].values())),
    )


@lru_cache(maxsize=4096)
def section_of(folded_title: str) -> str | None:
    """The section id a heading's (folded) title names, or None (remembered: the same titles recur)."""
    for section_id, cues in _rules().section_any:
        if cues.search(folded_title):
            return section_id
    return None


@dataclass(frozen=True)
class _Heading:
    section: str | None
    level: int
    title_end: int  # relative to the line: end of the heading part
    numbered: bool


def _strip_numbering(folded: str) -> tuple[str, int, int]:
    """Remove a leading numbering; return (rest, chars removed, level 1–4; 5 = none)."""
    rules = _rules()
    for index, pattern in enumerate(rules.numbering):
        match = pattern.match(folded)
        if match and match.end() < len(folded):
            level = (1, 1, 2, 2, 3, 3, 3, 4)[index] if index < 8 else 4
            return folded[match.end() :], match.end(), level
    return folded, 0, 5


def _is_all_caps(text: str) -> bool:
    if text[1:].islower():  # no capital after the first character: at most one of its letters is a capital
        return False
    letters = _LETTER.findall(text)
    return len(letters) >= 4 and sum(map(str.isupper, letters)) / len(letters) > 0.85


def classify_heading(line: Line) -> _Heading | None:
    """Decide whether ``line`` is a heading (possibly inline, ending in a colon) and of which section."""
    rules = _rules()
    text, folded = line.text, line.folded.strip()
    rest, removed, level = _strip_numbering(folded)
    rest = rest.lstrip()
    if rules.not_title.match(rest):  # "2. Chưa áp dụng biện pháp cưỡng chế …": an item, not a heading
        return None
    colon = text.find(":", removed)
    head_part = rest
    inline = False
    if colon != -1 and colon < len(text) - 1 and text[colon + 1 :].strip():
        # "Về khuyết điểm: …" or "- Nguyên nhân: …": heading part up to the colon, content after.
        head_text = line.folded[removed:colon]
        caps_head = _is_all_caps(text[removed:colon]) and len(head_text.split()) <= 20
        if len(head_text.split()) > 9 and not caps_head:
            return None if level >= 4 or len(text) > rules.max_heading_chars else _title_heading(text, rest, level)
        head_part, inline = head_text.strip(), True
    elif len(text) > rules.max_heading_chars:
        return None
    section = section_of(head_part[:90])
    all_caps = _is_all_caps(text[removed : colon if inline else None])
    ends_like_sentence = text.rstrip().endswith((".", ";", "!", "?")) and not all_caps
    if inline:
        if section is None:
            return None
        return _Heading(section, max(level, 3), colon + 1, removed > 0)
    if level == 5:  # no numbering: only ALL CAPS lines or short lines opening with a cue, no full stop
        opening = section_of(" ".join(head_part.split()[:4]))
        if section and (all_caps or (opening and len(head_part.split()) <= 10 and not ends_like_sentence)):
            return _Heading(section, 1 if all_caps else 3, len(text), False)
        if section and head_part.startswith("ve ") and len(head_part.split()) <= 30 and not ends_like_sentence:
            return _Heading(section, 3, len(text), False)  # "Về tư tưởng chính trị, …, lề lối làm việc"
        return None
    if level == 4:  # bullet: a heading only when it ends with a colon, or when it is only a title
        if section and len(head_part.split()) <= 12 and (text.rstrip().endswith(":") or _only_titles(head_part)):
            return _Heading(section, 4, len(text), True)  # "- Nguyên nhân của hạn chế, khuyết điểm."
        return None
    if ends_like_sentence and len(head_part.split()) > 12:
        return None
    if section is None and (len(head_part.split()) > 14 or ends_like_sentence):
        return None
    return _Heading(section, level, len(text), True)


_TITLE_JOINERS = re.compile(r"\b(?:cua|va|cac|nhung|ve)\b|[\W_]+")


def _only_titles(folded: str) -> bool:
    """The (folded) text holds nothing but sections' titles and the words joining them ("han che, khuyet diem",
    "nguyen nhan cua han che, khuyet diem."): a bullet line that names a part, not an item under it."""
    rest = folded
    for _section, cues in _rules().section_any:
        rest = cues.sub(" ", rest)
    return not _TITLE_JOINERS.sub("", rest)


def _title_heading(text: str, rest: str, level: int) -> _Heading | None:
    section = section_of(rest[:90])
    return _Heading(section, level, len(text), True) if section else None


def is_structural_line(line: Line, in_header: bool = False) -> bool:
    """Title, date, field and signature lines (and, before the first heading, header-block lines)."""
    folded = line.folded.strip()
    rules = _rules()
    if rules.structural_any.search(folded):
        return True
    if in_header and rules.header_any.search(folded):
        return True
    return rules.fields_any.match(folded) is not None


_SIGNATURE = re.compile(
    r"^(nguoi (tu )?kiem diem|nguoi viet|t/?m\.? |tm\.? |thay mat|xac nhan cua|y kien (nhan xet|danh gia))"
)
_DATE_LINE = re.compile(r"ngay .{0,12}thang")


def _signature_start(doc: Doc, lines: list[Line]) -> int | None:
    """Index of the first line of the closing signature block, if any."""
    for index in range(len(lines) - 1, max(-1, len(lines) - 25), -1):
        if _SIGNATURE.search(lines[index].folded.strip()):
            start = index
            # a preceding date line ("…, ngày … tháng … năm …") belongs to the signature block
            while start > 0 and _DATE_LINE.search(lines[start - 1].folded) and len(lines[start - 1].text) < 80:
                start -= 1
            return start
    return None


def segment(doc: Doc) -> Doc:
    """Fill ``doc.lines`` (logical lines from :mod:`nlp.layout`), ``doc.sections`` and ``doc.units``.

    Sections come from headings where the text has them; units before the first heading that read as prose, and
    every unit of a text without headings, get their section inferred from what they say
    (:mod:`nlp.model.sections`)."""
    layout = analyse_layout(doc.text, doc.folded)
    doc.view, doc.view_folded = layout.view, layout.view_folded
    lines = layout.lines
    doc.lines = lines
    signature_from = _signature_start(doc, lines)
    sections: list[SectionSpan] = []
    current: SectionSpan | None = None
    header: SectionSpan | None = None
    parent: SectionSpan | None = None
    first_heading_seen = False
    inferring = False  # after a prompt of another part whose heading was dropped: sections from content
    for index, line in enumerate(lines):
        prompt = layout.prompts.get(line.start)
        if prompt is not None and prompt.kind != "item":  # the form's own instruction: structural, reported once
            if prompt.section and prompt.section != (current.id if current else None):
                inferring = True
            section_id = prompt.section or (current.id if current else "header")
            doc.units.append(_structural_unit(line, section_id, "prompt"))
            continue
        in_signature = signature_from is not None and index >= signature_from
        if in_signature:
            if current is None or current.id != "signature":
                current = SectionSpan("signature", line.text.strip()[:120], line.start, line.end, line.start, 1)
                sections.append(current)
            current.end = line.end
            doc.units.append(_structural_unit(line, "signature", "signature"))
            continue
        heading = (
            None if (not first_heading_seen and is_structural_line(line, in_header=True)) else classify_heading(line)
        )
        if prompt is not None and prompt.section and (heading is None or heading.section is None):
            heading = _Heading(prompt.section, 2, len(line.text), True)  # the form's item title as a heading
        if heading is not None and heading.section is not None:
            section_id = _resolve_section(heading, parent)
            if section_id == heading.section or parent is None:
                first_heading_seen = True
                title = line.text[: heading.title_end].strip()
                current = SectionSpan(
                    section_id, title, line.start, line.end, line.start + heading.title_end, heading.level
                )
                sections.append(current)
                if heading.level <= (parent.level if parent else 9) or section_id not in ACHIEVEMENT_FAMILY | {
                    "causes"
                }:
                    parent = current
                _add_heading_units(doc, line, heading, section_id)
                inferring = False
                continue
            # a sub-heading kept inside its parent section
            _add_heading_units(doc, line, heading, current.id if current else None)
            if current:
                current.end = line.end
            continue
        if current is None:  # before the first heading: the header block, or prose pasted without headings
            if _reads_as_header(line):
                if header is None:
                    header = SectionSpan("header", "", line.start, line.end, line.start, 0)
                    sections.append(header)
                header.end = line.end
                kind = "field" if _is_field(line) else "header"
                doc.units.append(_structural_unit(line, "header", kind))
            else:
                doc.units.extend(_content_units(line, line.start, None))
            continue
        current.end = line.end
        if heading is not None:  # numbered heading with no known section: structural sub-heading
            doc.units.append(_structural_unit(line, current.id, "heading"))
        elif is_structural_line(line):
            doc.units.append(_structural_unit(line, current.id, "field" if _is_field(line) else "header"))
        else:
            doc.units.extend(_content_units(line, line.start, None if inferring else current.id))
    _add_marks(doc, layout.marks)
    doc.sections = sections
    _infer_sections(doc)
    _tokenize(doc)
    return doc


def _is_field(line: Line) -> bool:
    return _rules().fields_any.match(line.folded.strip()) is not None


_TERMINAL_END = (".", "!", "?", "…", ";")
_FIELD_LABEL = re.compile(r"\b(ho va ten|ho ten|ngay sinh|chuc vu|don vi cong tac)\s*:")
_SHORT_LABEL = re.compile(r"^(?:[\-\+\*•]\s*)?[^\W\d_][^:.;!?]{0,40}:")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _reads_as_header(line: Line) -> bool:
    """Before the first heading: the header block (title, fields, short lines), not prose. A long line of prose
    is never header."""
    text = line.text.strip()
    if is_structural_line(line, in_header=True) or _is_field(line) or _is_all_caps(text):
        return True
    if _FIELD_LABEL.search(line.folded):
        return True
    if text.endswith(":") and "kiem diem" in line.folded and len(text.split()) <= 25:  # "… tự kiểm điểm như sau:"
        return True
    label = _SHORT_LABEL.match(text)
    if label and len(label.group().split()) <= 6:  # "Chức vụ quản lý: …", "Công tác: …"
        return True
    if text.startswith("(") and text.endswith(")") and len(text) < 200:  # a note under the title
        return True
    words = len(_LETTER_RUN.findall(text))
    if words < 8:
        return True
    return words < 15 and not text.rstrip(' "”)').endswith(_TERMINAL_END)


def _add_marks(doc: Doc, marks: list[Line]) -> None:
    """Page numbers and running headers between units are structural units of their own (inside a unrapped
    sentence they are only blanked out of the view)."""
    if not marks:
        return
    spans = sorted((u.start, u.end) for u in doc.units)
    for mark in marks:
        inside = any(start <= mark.start and mark.end <= end for start, end in spans)
        if not inside:
            doc.units.append(
                Unit(mark.start, mark.end, None, True, "page", doc.text[mark.start : mark.end], mark.folded)
            )
    doc.units.sort(key=lambda u: u.start)
    for index, unit in enumerate(doc.units):
        if unit.kind == "page":
            neighbour = doc.units[index - 1] if index else None
            unit.section = neighbour.section if neighbour else "header"


def _infer_sections(doc: Doc) -> None:
    """Sections of the units no heading decided, from the section model; runs of them become inferred sections."""
    if all(u.section is not None for u in doc.units if not u.structural):
        return
    from nlp.model.sections import default_section_tagger  # loaded only for texts that need it

    tagger = default_section_tagger()

    length = max(len(doc.text), 1)
    fixed = [u.section for u in doc.units]
    predicted = tagger.predict([u.text for u in doc.units], [u.start / length for u in doc.units], fixed)
    inferred: list[SectionSpan] = []
    for unit, section, known in zip(doc.units, predicted, fixed, strict=True):
        if known is not None:
            continue
        unit.section = section
        if inferred and inferred[-1].id == section and _adjacent(doc, inferred[-1], unit):
            inferred[-1].end = unit.end
        else:
            inferred.append(SectionSpan(section, "", unit.start, unit.end, unit.start, 9, "inferred"))
    doc.sections = sorted(doc.sections + inferred, key=lambda s: s.start)


def _adjacent(doc: Doc, span: SectionSpan, unit: Unit) -> bool:
    """No heading-decided unit stands between the end of ``span`` and ``unit``."""
    return not any(span.end <= u.start < unit.start and u.kind == "heading" for u in doc.units)


def _resolve_section(heading: _Heading, parent: SectionSpan | None) -> str:
    """Keep a sub-heading like "1. Về tư tưởng…" inside a shortcomings or remedies part."""
    assert heading.section is not None
    if parent is None or heading.level <= parent.level:
        return heading.section
    if heading.section in ACHIEVEMENT_FAMILY and parent.id not in ACHIEVEMENT_FAMILY and parent.id != "header":
        return parent.id
    if heading.level >= 4 and heading.section not in {"causes"} and parent.id not in ACHIEVEMENT_FAMILY | {"header"}:
        return parent.id
    if heading.section == "shortcomings" and parent.id in {
        "remedies",
        "previous_remediation",
        "collective_responsibility",
    }:
        return parent.id
    return heading.section


def _structural_unit(line: Line, section: str | None, kind: str) -> Unit:
    return Unit(line.start, line.end, section, True, kind, line.text, line.folded)


def _add_heading_units(doc: Doc, line: Line, heading: _Heading, section: str | None) -> None:
    head_end = heading.title_end
    doc.units.append(
        Unit(line.start, line.start + head_end, section, True, "heading", line.text[:head_end], line.folded[:head_end])
    )
    rest = line.text[head_end:]
    if rest.strip():
        offset = line.start + head_end + (len(rest) - len(rest.lstrip()))
        doc.units.extend(_content_units(_subline(doc, offset, line.end), offset, section))


def _subline(doc: Doc, start: int, end: int) -> Line:
    return Line(start, end, doc.text[start:end], doc.folded[start:end])


def _content_units(line: Line, offset: int, section: str | None) -> list[Unit]:
    """Sentence units of one content line: a list item is a unit; prose is split with ``sent_tokenize``."""
    text = line.text
    marker = _ITEM_MARKER.match(text)
    kind = "item" if marker else "content"
    body_start = marker.end() if marker else 0
    body = text[body_start:]
    if not body.strip():
        return [Unit(line.start, line.end, section, True, "heading", text, line.folded)]
    units = []
    for found, end in sentence_spans(body):
        start = line.start + body_start + found
        sentence = body[found:end]
        rel = start - line.start
        units.append(
            Unit(start, start + len(sentence), section, False, kind, sentence, line.folded[rel : rel + len(sentence)])
        )
    return units or [Unit(line.start, line.end, section, False, kind, text, line.folded)]


def _tokenize(doc: Doc) -> None:
    """Word spans (underthesea ``word_tokenize``) for every content unit, re-anchored to the text."""
    for unit in doc.units:
        if unit.structural:
            continue
        unit.words = anchor_tokens(unit.text, segment_words(unit.text), unit.start)


@lru_cache(maxsize=1 << 16)
def _normalized_token(token: str) -> str:
    return token_normalize(token)


def segment_words(text: str) -> list[str]:
    """What underthesea's ``word_tokenize(text)`` returns (its version pinned in pyproject.toml), without its work
    per call that gives nothing new: each match's token is the match itself (not the first named group found in a
    dictionary of all of them), and a short token's normalisation is remembered (``token_normalize`` is a function
    of the token). The same regular expression, character normalisation and CRF model; ``tests/test_fast_paths.py``
    holds it equal to ``word_tokenize`` on every unit of the corpus and the examples."""
    model = _underthesea_words.word_tokenize_model
    if model is None:  # the first call loads the model
        return word_tokenize(text)
    tokens = [
        match if len(match) > 6 else _normalized_token(match)  # token_normalize keeps longer tokens as they are
        for match in _regex_tokens(normalize_characters_in_text(text))
    ]
    words: list[str] = []
    for tag, token in zip(model.predict([[token] for token in tokens]), tokens, strict=True):
        if tag == "I-W" and words:
            words[-1] = f"{words[-1]} {token}"
        else:
            words.append(token)
    return words


# A run of letters (no digit, no "_", not the modifier letter ʺ that underthesea reads as punctuation) followed by
# a space, the end or one of , ; ) ! ? is one token of underthesea's pattern: every branch before its ``word`` branch
# needs a digit, a mark (. - & ' @ : ° …) or "Th" plus any character plus "s" ("Th.S"), hence "Th" is left out.
# Such words in a row, with the spaces between them, are taken by one match and split.
_PLAIN_WORDS = re.compile(r"(?:(?!Th)[^\W\d_ʺ]+(?:\s+|(?=[,;)!?])|\Z))+")
_SPACES = re.compile(r"\s*")


def _regex_tokens(text: str) -> list[str]:
    """The matches of underthesea's token pattern in ``text`` (what ``finditer`` gives), plain words taken without
    trying the pattern's other branches on them. No match begins at a space (no branch starts with one or matches
    nothing), so each match is searched from the next non-space character."""
    tokens: list[str] = []
    position, size = 0, len(text)
    plain, search, spaces = _PLAIN_WORDS.match, regex_tokenize.patterns.search, _SPACES.match
    while (start := spaces(text, position).end()) < size:
        words = plain(text, start)
        if words is not None:
            tokens += words.group().split()
            position = words.end()
            continue
        match = search(text, start)
        if match is None:
            break
        if match.end() == match.start():  # an empty match: finditer's own stepping
            return list(map(re.Match.group, regex_tokenize.patterns.finditer(text)))
        tokens.append(match.group())
        position = match.end()
    return tokens


def anchor_tokens(text: str, tokens: list[str], offset: int = 0) -> list[tuple[int, int]]:
    """Find each token in ``text`` from left to right; return absolute spans (skipping lost tokens)."""
    spans = []
    cursor = 0
    for token in tokens:
        found = text.find(token, cursor)
        if found == -1:
            continue
        spans.append((offset + found, offset + found + len(token)))
        cursor = found + len(token)
    return spans
