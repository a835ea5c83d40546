"""Layout: physical lines → logical lines → pieces, so that what is found does not depend on where lines break.

The stage sits between normalisation and sectioning (as spaCy keeps the tokenizer apart from the sentencizer):

- **unwrap**: a line that ends without sentence punctuation and whose next line continues the sentence joins it
  (PDF text wrapped mid-sentence); page numbers and repeated running headers are structural and blanked out of
  the *view* the analysis reads;
- **split**: a long line is cut before run-in headings ("… 2. Nguyên nhân", "II. HẠN CHẾ, KHUYẾT ĐIỂM" inside
  a line), inline bullets (". - ", ": + ", "•"), the form's own prompts, and chained list items;
- **sentences**: :func:`sentence_spans` splits a piece with underthesea's ``sent_tokenize`` and repairs what it
  gets wrong in Vietnamese administrative text (section references "mục II.3", numbering alone, abbreviations).

The text is never rewritten: :attr:`Layout.view` has the same length as the text (line breaks and page marks
become spaces), so every offset indexes the returned text. Cues and thresholds are data
(``nlp/data/layout.yaml``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import underthesea.pipeline.sent_tokenize as _underthesea_sentences
from underthesea import sent_tokenize

from nlp.data.patterns import compile as compiled
from nlp.doc import Line
from nlp.lexicon import load_yaml
from nlp.normalize import fold
from nlp.prompts import INSTRUCTION_KINDS, PromptSpan, find_prompts

_CUT_PROMPT_KINDS = INSTRUCTION_KINDS | {"item"}

_TERMINAL = ".!?…"
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _LayoutRules:
    page_number: re.Pattern[str]
    marker: re.Pattern[str]
    continuation_words: frozenset[str]
    capitalised_words: frozenset[str]
    title_capitalised_words: frozenset[str]
    name_nouns: frozenset[str]
    open_name_words: frozenset[str]
    glued_page_number: re.Pattern[str]
    section_cue: re.Pattern[str]
    heading_number: re.Pattern[str]
    bullet: re.Pattern[str]
    list_lead: re.Pattern[str]
    abbreviation_end: re.Pattern[str]
    reference_end: re.Pattern[str]
    initials_end: re.Pattern[str]
    code_end: re.Pattern[str]
    number_takers: frozenset[str]
    numbering_only: re.Pattern[str]
    not_title: re.Pattern[str]
    prefix_only: re.Pattern[str]
    wrap_share: float
    wrap_width_share: float
    full_share: float
    running_min_repeats: int
    running_beside_number_repeats: int
    max_heading_words: int
    field_cut: re.Pattern[str]
    capital_field_cut: re.Pattern[str]
    block_cut: re.Pattern[str]
    date_cut: re.Pattern[str]
    sentence_cut: re.Pattern[str]


@cache
def _rules() -> _LayoutRules:
    data = load_yaml("layout.yaml")
    structure = load_yaml("structure.yaml")
    cues = [c.lstrip("^") for s in structure["sections"] for c in s["cues"]]
    abbreviations = "|".join(re.escape(a) for a in data["abbreviations"])
    return _LayoutRules(
        page_number=compiled(data["page_number"]),
        marker=compiled(data["line_marker"]),
        continuation_words=frozenset(w.lower() for w in data["continuation_words"]),
        capitalised_words=frozenset(w.lower() for w in data["capitalised_words"]),
        title_capitalised_words=frozenset(w.lower() for w in data["title_capitalised_words"]),
        name_nouns=frozenset(w.lower() for w in data["name_nouns"]),
        open_name_words=frozenset(data["open_name_words"]),
        glued_page_number=compiled(data["glued_page_number"]),
        section_cue=compiled("|".join(f"(?:{c})" for c in cues)),
        heading_number=compiled(data["run_in_heading_number"]),
        bullet=compiled(data["inline_bullet"]),
        list_lead=compiled(data["list_lead"]),
        abbreviation_end=compiled(rf"(?:^|\s)(?:{abbreviations})$"),
        reference_end=compiled(data["reference_end"]),
        initials_end=compiled(data["initials_end"]),
        code_end=compiled(data["code_end"]),
        number_takers=frozenset(data["number_takers"]),
        numbering_only=compiled(data["numbering_only"]),
        not_title=compiled(structure["heading"]["not_title"]),
        prefix_only=compiled(data["prefix_only"]),
        wrap_share=float(data["wrapped"]["min_share"]),
        wrap_width_share=float(data["wrapped"]["width_share"]),
        full_share=float(data["wrapped"]["full_share"]),
        running_min_repeats=int(data["running_header_min_repeats"]),
        running_beside_number_repeats=int(data["running_header_min_repeats_beside_page_number"]),
        max_heading_words=int(data["max_run_in_heading_words"]),
        field_cut=compiled(r"(?<=\s)(?:" + "|".join(data["field_cuts"]) + ")"),
        capital_field_cut=compiled(r"(?<=\s)(?:" + "|".join(data["capital_field_cuts"]) + ")"),
        block_cut=compiled("|".join(f"(?:{p})" for p in data["block_cuts"])),
        date_cut=compiled(data["date_cut"]),
        sentence_cut=compiled("|".join(f"(?:{p})" for p in data["sentence_cuts"])),
    )


def is_page_mark(line: str) -> bool:
    """A line that is only a page number as PDF copies give them ("1", "- 2 -", "Trang 3"; layout.yaml
    ``page_number``)."""
    return bool(_rules().page_number.match(line.strip()))


def page_marks(text: str) -> list[tuple[int, int]]:
    """(start, end) of what the layout stage blanks out of ``text`` (:attr:`Layout.view`): page numbers and running
    headers on lines of their own, and page numbers glued to the start of a page's first line; in order."""
    return page_reading(text)[0]


def full_line_width(text: str) -> int | None:
    """The width a hard-wrapped text (a PDF's copy) fills its lines to, the length from which a line is full (a
    sentence that ends at the end of a full line may be followed on the next line by the next one of the same
    paragraph); None when the text is not hard-wrapped."""
    return page_reading(text)[1]


def page_reading(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """:func:`page_marks` and :func:`full_line_width` of ``text``, its lines read once."""
    spans = physical_lines(text)
    marks = _marks(text, spans)
    _, glued = _unglue_page_numbers(text, spans, marks)
    content = [spans[i] for i in range(len(spans)) if i not in marks]
    full = int(_rules().full_share * _wrap_width(text, content)) if _looks_wrapped(text, content) else None
    return sorted([spans[i] for i in marks] + glued), full


@dataclass
class Layout:
    """The result of the layout stage for one text."""

    view: str  # the text with line breaks and page marks as spaces (same length)
    view_folded: str
    lines: list[Line] = field(default_factory=list)  # logical lines (pieces), in order
    marks: list[Line] = field(default_factory=list)  # page numbers and running headers
    prompts: dict[int, PromptSpan] = field(default_factory=dict)  # piece start → the form's prompt it holds
    wrapped: bool = False  # the text looks hard-wrapped (PDF copy)


def physical_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line."""
    spans = []
    position = 0
    for raw in text.split("\n"):
        if raw.strip():
            spans.append((position, position + len(raw)))
        position += len(raw) + 1
    return spans


def analyse_layout(text: str, folded: str | None = None) -> Layout:
    """Unwrap, mark and split ``text`` into logical lines with offsets (see the module docstring)."""
    folded = fold(text) if folded is None else folded
    spans = physical_lines(text)
    marks = _marks(text, spans)
    spans, glued = _unglue_page_numbers(text, spans, marks)
    blanks = [spans[i] for i in marks] + glued
    view_text, view_folded = (_blanked(s, blanks) for s in (text, folded))
    content = [i for i in range(len(spans)) if i not in marks]
    wrapped = _looks_wrapped(text, [spans[i] for i in content])
    layout = Layout(view_text, view_folded, wrapped=wrapped)
    layout.marks = [Line(s, e, text[s:e], folded[s:e]) for s, e in sorted([spans[i] for i in marks] + glued)]
    prompts = [p for p in find_prompts(view_text, view_folded) if p.kind in _CUT_PROMPT_KINDS]
    for group in _unwrap(text, spans, content, wrapped):
        start, end = spans[group[0]][0], spans[group[-1]][1]
        inside = [p for p in prompts if start <= p.start < end]
        for piece_start, piece_end in split_pieces(view_text, view_folded, start, end, inside):
            layout.lines.append(_line(layout, piece_start, piece_end))
            prompt = next((p for p in inside if _covers(p, piece_start, piece_end)), None)
            if prompt is not None:
                layout.prompts[piece_start] = prompt
    return layout


def _covers(prompt: PromptSpan, start: int, end: int) -> bool:
    """The piece is (almost all) the prompt's text."""
    overlap = min(end, prompt.end) - max(start, prompt.start)
    return overlap >= 0.8 * (end - start)


def _unglue_page_numbers(
    text: str, spans: list[tuple[int, int]], marks: set[int]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Lines that start with a page number glued on by PDF extraction lose it: (new spans, the numbers' spans).

    A line may well open with a number ("2 gói mua sắm bị …"), so numbers count as page numbers only when the text
    shows pages: at least two such numbers in increasing order, or page numbers alone on their lines elsewhere (then
    only the number of a page missing among them: "27 lái xe" opens no page of a three-page text)."""
    pattern = _rules().glued_page_number
    found = []
    for index in range(1, len(spans)):
        if index in marks:
            continue
        start, end = spans[index]
        match = pattern.match(text, start, end)
        if match:
            found.append((index, int(match.group(1)), match))
    numbers = [number for _, number, _ in found]
    alone = {
        int(text[spans[i][0] : spans[i][1]].strip()) for i in marks if text[spans[i][0] : spans[i][1]].strip().isdigit()
    }
    if alone:  # the pages are numbered on lines of their own: a glued number is one of the pages' that is missing
        found = [f for f in found if f[1] not in alone and 1 <= f[1] <= max(alone) + 1]
    elif not (len(numbers) >= 2 and numbers == sorted(set(numbers))):
        return list(spans), []
    result, glued = list(spans), []
    for index, _number, match in found:
        start, end = spans[index]
        glued.append((start, start + len(match.group(1))))
        result[index] = (match.end(), end)
    return result, glued


def _blanked(text: str, blanks: list[tuple[int, int]]) -> str:
    """``text`` with line breaks as spaces and the ``blanks`` spans (page marks) made spaces: same length."""
    parts, position = [], 0
    for start, end in sorted(blanks):
        parts += [text[position:start], " " * (end - start)]
        position = end
    parts.append(text[position:])
    return "".join(parts).replace("\n", " ").replace("\r", " ").replace("\t", " ")


def _line(layout: Layout, start: int, end: int) -> Line:
    return Line(start, end, layout.view[start:end], layout.view_folded[start:end])


# ---------------------------------------------------------------- marks: page numbers, running headers


def _marks(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """The lines that are page marks: page numbers, and running headers or footers (an identical short line repeated
    ``running_header_min_repeats`` times, or ``running_header_min_repeats_beside_page_number`` times with a page
    number on the line next to it each time)."""
    rules = _rules()
    lines = [text[s:e].strip() for s, e in spans]
    numbers = {i for i, line in enumerate(lines) if rules.page_number.match(line)}
    marks = set(numbers)
    counts = Counter(lines)
    beside: Counter[str] = Counter(line for i, line in enumerate(lines) if {i - 1, i + 1} & numbers)
    for index, line in enumerate(lines):
        repeated = counts[line] >= rules.running_min_repeats or (
            beside[line] == counts[line] >= rules.running_beside_number_repeats
        )
        if (
            repeated
            and 3 <= len(line) <= 90
            and _LETTER.search(line)
            and not rules.marker.match(line)
            and not line.endswith(":")
        ):
            marks.add(index)
    return marks


# ---------------------------------------------------------------- unwrap


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(" \"'”’»)")
    return stripped.endswith(tuple(_TERMINAL)) or line.rstrip().endswith((":", ";"))


def _looks_wrapped(text: str, spans: list[tuple[int, int]]) -> bool:
    """True when many long lines break mid-sentence, as text copied from a PDF does."""
    long_lines = [(s, e) for s, e in spans if e - s >= 40]
    if len(long_lines) < 4:
        return False
    breaks = sum(1 for s, e in long_lines if not _ends_sentence(text[s:e]))
    return breaks / len(long_lines) >= _rules().wrap_share


def _wrap_width(text: str, spans: list[tuple[int, int]]) -> int:
    lengths = sorted(e - s for s, e in spans)
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _is_caps(text: str) -> bool:
    if text[1:].islower():  # no capital after the first character: at most one of its letters is a capital
        return False
    letters = _LETTER.findall(text)
    return len(letters) >= 4 and sum(map(str.isupper, letters)) / len(letters) > 0.85


def _all_upper(text: str) -> bool:
    letters = _LETTER.findall(text)
    return bool(letters) and all(map(str.isupper, letters))


def _unwrap(text: str, spans: list[tuple[int, int]], content: list[int], wrapped: bool) -> list[list[int]]:
    """Groups of physical line indexes that form one logical line."""
    rules = _rules()
    width = _wrap_width(text, [spans[i] for i in content])
    groups: list[list[int]] = []
    marked = set(range(len(spans))) - set(content)
    for index in content:
        previous = groups[-1][-1] if groups else None
        page_break = previous is not None and any(previous < m < index for m in marked)
        if groups and _continues(text, spans[previous], spans[index], wrapped or page_break, width, rules, page_break):
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _continues(
    text: str,
    previous: tuple[int, int],
    current: tuple[int, int],
    wrapped: bool,
    width: int,
    rules: _LayoutRules,
    page_break: bool = False,
) -> bool:
    """Does the line ``current`` continue the sentence of ``previous``?"""
    before = text[previous[0] : previous[1]].rstrip()
    after = text[current[0] : current[1]].strip()
    if not before or not after or rules.marker.match(after):
        return False
    if before.endswith(tuple(_TERMINAL)):
        return False
    if before.endswith(":"):  # a list or a clause follows; in a hard-wrapped text, a clause in small letters
        return wrapped and after[0].islower()
    first = after[0]
    if text.count("\n", previous[1], current[0]) > 1 and not page_break:  # a blank line between
        return first.islower()
    last_word = before.split()[-1].strip(",").lower()
    if before.endswith(";"):
        return wrapped and first.islower()
    if first.islower():
        return True
    if before.split()[-1] in rules.open_name_words and first.isupper():  # "… Đảng ủy và Ban\nGiám đốc …"
        return True
    if before.endswith(",") or last_word in rules.continuation_words:
        return first.isalpha() or first.isdigit() or first in "\"“'(«"
    if _is_caps(before) and _all_upper(after):
        # a heading wrapped onto a second line ("VI. PHƯƠNG HƯỚNG, … KHẮC PHỤC HẠN CHẾ,\nKHUYẾT ĐIỂM")
        return bool(rules.heading_number.match(before)) and len(before) >= 40 and len(after.split()) <= 6
    if not wrapped:
        return False
    # a PDF line wrapped before a capitalised word ("… của\nĐảng"): the line is about as long as the others
    return len(before) >= rules.wrap_width_share * width and len(before.split()) >= 6


# ---------------------------------------------------------------- split a logical line


def split_pieces(
    view: str, folded: str, start: int, end: int, prompts: list[PromptSpan] | None = None
) -> list[tuple[int, int]]:
    """Cut the logical line [start, end) before run-in headings, inline bullets, the form's prompts, header fields
    and chained list items; a prompt is kept whole."""
    prompts = prompts or []
    found = {
        *_heading_cuts(view, folded, start, end),
        *_bullet_cuts(view, folded, start, end),
        *_form_cuts(view, folded, start, end),
        *_unnumbered_heading_cuts(view, folded, start, end),
        *_capitalised_heading_cuts(view, folded, start, end),
    }
    if not found and not prompts:  # most lines: one piece, the line trimmed (what the steps below give)
        return [_trim(view, start, end)] if view[start:end].strip() else []
    found = {c for c in found if not any(p.start < c < p.end for p in prompts)}
    cuts = sorted(found | {p.start for p in prompts} | {p.end for p in prompts if p.end < end})
    pieces = []
    previous = start
    for cut in cuts:
        head = view[previous:cut].strip()
        if previous < cut < end and head and not _rules().prefix_only.match(fold(head)):
            pieces.append((previous, cut))
            previous = cut
    pieces.append((previous, end))
    merged: list[tuple[int, int]] = []
    for piece_start, piece_end in pieces:
        if merged and not _LETTER.search(view[piece_start:piece_end]):
            merged[-1] = (merged[-1][0], piece_end)  # a trailing full stop or bracket stays with its sentence
        else:
            merged.append((piece_start, piece_end))
    return [_trim(view, s, e) for s, e in merged if view[s:e].strip()]


def _trim(view: str, start: int, end: int) -> tuple[int, int]:
    while start < end and view[start].isspace():
        start += 1
    while end > start and view[end - 1].isspace():
        end -= 1
    return start, end


def _preceded_by_boundary(view: str, position: int, line_start: int) -> bool:
    """Is ``position`` at a point where a new heading or item may start (line start, after punctuation or a
    run of capitals)?"""
    before = view[line_start:position].rstrip()
    if not before:
        return True
    if before[-1] in _TERMINAL + ":;)\"”»'’":
        return True
    last = before.split()[-1]
    return len(last) >= 2 and last.isupper() and _LETTER.search(last) is not None


def _heading_cuts(view: str, folded: str, start: int, end: int) -> list[int]:
    """Positions of run-in headings inside the line, and the end of each heading's title."""
    cuts = []
    rules = _rules()
    for match in rules.heading_number.finditer(view, start, end):
        position = match.start()
        if _number_of_word_before(folded, position, start, match):
            continue
        if not _preceded_by_boundary(view, position, start) and not _names_section(view, folded, match):
            continue
        title_end = _title_end(view, folded, match.end(), end)
        if title_end is None:
            continue
        if position > start:
            cuts.append(position)
        rest = view[title_end:end]
        if title_end != _UNKNOWN_END and title_end < end and (len(rest.split()) >= 4 or any(c in rest for c in ".:!?")):
            cuts.append(title_end)
    return cuts


_UNKNOWN_END = -1


def _number_of_word_before(folded: str, position: int, line_start: int, match: re.Match[str]) -> bool:
    """A number right after a word that takes one ("chi bộ ở Xưởng kết cấu số 2. Công tác …", "trong quý IV. Về
    …") is that word's number, not a heading run into the line."""
    if match.group()[:1] not in "0123456789IVX":
        return False
    before = folded[line_start:position].split()
    return bool(before) and before[-1] in _rules().number_takers


def _names_section(view: str, folded: str, match: re.Match[str]) -> bool:
    """A numbering (not a letter) followed by a capitalised title naming a section within its first words: a
    heading even when nothing marks the end of what precedes it ("… Văn phòng Công ty I. Ưu điểm, …")."""
    opening = match.group().strip()
    if opening[0].isalpha() and opening[0] not in "IVX" and not fold(opening).startswith("phan"):
        return False
    start = match.end()
    if start >= len(view) or not view[start].isupper():
        return False
    head = " ".join(folded[start : start + 80].split()[:6])
    return bool(_rules().section_cue.search(head))


_TITLE_STOP = re.compile(r"[.:!?…]")
_BULLET_GAP = re.compile(r"\s+[\-\+–]\s+")


def _title_end(view: str, folded: str, start: int, end: int) -> int | None:
    """Where a heading title beginning at ``start`` ends, or None when what follows is not a heading title.

    The title ends at the end of an ALL-CAPS run, at the first sentence punctuation or colon, or before a
    capitalised word that opens a new sentence ("… nhiệm vụ được giao Năm học 2023 …")."""
    rules = _rules()
    words = list(_WORD.finditer(view, start, min(end, start + 600)))
    if not words or not view[words[0].start()].isupper():
        return None
    caps_run = _caps_run_end(words)
    if caps_run is not None:  # with the colon or full stop that ends it ("V. TRÁCH NHIỆM …: Là người …")
        stop = _TITLE_PUNCTUATION.match(view, caps_run, end)
        return stop.end() if stop else caps_run
    head = folded[start : words[min(len(words), 12) - 1].end()]
    head = _TITLE_STOP.split(head, maxsplit=1)[0]
    if rules.not_title.match(head.lstrip()):  # "2. Chưa áp dụng biện pháp …" opens an item, not a title
        return None
    if not (rules.section_cue.search(head) or head.startswith("ve ")):
        return None
    for number, word in enumerate(words):
        if number == 0:
            continue
        previous = words[number - 1]
        gap = view[previous.end() : word.start()]
        token, before = word.group(), previous.group()
        if before.isdigit() and number > 1 and gap.strip()[:1] in {".", ")"}:
            return _trim(view, start, previous.start())[1]  # "… nguyên nhân 1. Tháng …": an item follows
        stop = next((i for i, c in enumerate(gap) if c in ".:!?…"), None)
        if stop is not None:
            return previous.end() + stop + 1
        if _BULLET_GAP.fullmatch(gap):  # "… khắc phục - Từ tháng …": an inline bullet follows
            return previous.end()
        if (
            token[0].isupper()
            and not token.isupper()
            and (before[0].islower() or before[0].isdigit())
            and token.lower() not in rules.title_capitalised_words
            and token not in rules.open_name_words  # "Về phần việc Công đoàn, …": a body's name goes on
            and before.lower() not in rules.continuation_words
            and before.lower() not in rules.name_nouns  # "điểm trường Lùng Thàng", "môn Tiếng Việt": a name
        ):
            return _trim(view, start, word.start())[1]
        if number >= rules.max_heading_words:
            return _UNKNOWN_END  # a long numbered prompt or heading: cut before it; it ends with its sentence
    return words[-1].end() if len(view[words[-1].end() : end].strip()) <= 1 else _UNKNOWN_END


_TITLE_PUNCTUATION = re.compile(r"[ \t]*[:.]")


def _caps_run_end(words: list[re.Match[str]]) -> int | None:
    """The end of an ALL-CAPS title ("HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN") at the start of ``words``."""
    count = 0
    for word in words:
        token = word.group()
        if token.isupper() and _LETTER.search(token):
            count += 1
            continue
        if token.isdigit() and count == 0:
            return None
        break
    if count < 2:
        return None
    return words[count - 1].end() if count < len(words) else words[-1].end()


_SENTENCE_START = re.compile(r"[.!?…]\s+(?=[^\W\d_])")
_SHORT_TITLE = re.compile(r"([^.:;!?\-–+]{3,70}?)(\s[\-–+]\s|\s*:\s)")


def _unnumbered_heading_cuts(view: str, folded: str, start: int, end: int) -> list[int]:
    """A short title naming a section after a sentence end, followed by a bullet or a colon
    ("… rừng. Nguyên nhân - Tôi giao …", "… Nguyên nhân: Do …"): cut before it, and before its bullet."""
    cuts: list[int] = []
    if not any(c in view[start:end] for c in ".!?…"):
        return cuts
    for boundary in _SENTENCE_START.finditer(view, start, end):
        position = boundary.end()
        title = _SHORT_TITLE.match(view, position, end)
        if not title or len(title.group(1).split()) > 8:
            continue
        if not _rules().section_cue.match(folded[position : title.end(1)]):
            continue
        cuts.append(position)
        if "-" in title.group(2) or "+" in title.group(2) or "–" in title.group(2):
            cuts.append(title.end(1) + 1)
    return cuts


_CAPITALISED_WORD = re.compile(
    r"(?<=\s)[^\W\d_a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]\w*"
)


def _capitalised_heading_cuts(view: str, folded: str, start: int, end: int) -> list[int]:
    """An unnumbered heading run into the text without punctuation ("… Long Phú Ưu điểm, kết quả đạt được Về tư
    tưởng …"): a capitalised word opening a section's title starts a piece, and the title ends its own piece."""
    rules = _rules()
    if end - start < 120:
        return []
    cuts = []
    first = _LETTER.search(view, start, end)
    candidates = [first.start()] if first and view[first.start()].isupper() and first.start() == start else []
    candidates += [w.start() for w in _CAPITALISED_WORD.finditer(view, start + 1, end)]
    for position in candidates:
        previous = view[max(start, position - 30) : position].split()
        if position > start and (
            not previous or previous[-1].lower() in rules.continuation_words or previous[-1].endswith(("(", "“", '"'))
        ):
            continue
        word = _WORD.match(view, position)
        if previous and word and word.group().isupper() and _is_caps(previous[-1] + "xxxx".upper()):
            continue  # inside an ALL-CAPS title: its end is found by the caps run
        if folded.startswith("ve ", position):  # "Về thực hiện chức trách, …": a cue among its first words
            if not rules.section_cue.search(folded, position + 3, min(end, position + 60)):
                continue
        elif not rules.section_cue.match(folded, position, min(end, position + 80)):
            continue
        title_end = _title_end(view, folded, position, end)
        if title_end is None or title_end == _UNKNOWN_END or title_end - position > 200:
            continue
        cuts.append(position)
        if title_end < end:
            cuts.append(title_end)
    return cuts


def _form_cuts(view: str, folded: str, start: int, end: int) -> list[int]:
    """Header fields, titles, dates and signature blocks run into a line (a report pasted as one paragraph)."""
    rules = _rules()
    if end - start < 24:
        return []
    cuts = []
    if ":" in view[start:end]:
        cuts.extend(m.start() for m in rules.field_cut.finditer(folded, start, end))
        cuts.extend(
            m.start() for m in rules.capital_field_cut.finditer(folded, start, end) if view[m.start()].isupper()
        )
    for match in rules.block_cut.finditer(folded, start, end):
        if match.start() > start and _preceded_by_boundary(view, match.start(), start):
            cuts.append(match.start())
    for match in rules.sentence_cut.finditer(folded, start, end):
        before = view[start : match.start()].rstrip()
        if before and before[-1] in _TERMINAL + ":;":
            cuts.append(match.start())
    for match in rules.date_cut.finditer(folded, start, end):
        place = _place_start(view, start, match.start())
        if place is not None and place > start:
            cuts.append(place)
    return cuts


def _place_start(view: str, line_start: int, comma: int) -> int | None:
    """Start of the capitalised place name before ", ngày …" when a sentence end or capitals precede it."""
    words = list(_WORD.finditer(view, max(line_start, comma - 60), comma))
    first = None
    for word in reversed(words[-6:]):
        if not word.group()[0].isupper():
            break
        first = word.start()
        if _preceded_by_boundary(view, first, line_start):
            return first
    return None


def _bullet_cuts(view: str, folded: str, start: int, end: int) -> list[int]:
    rules = _rules()
    cuts = []
    for match in rules.bullet.finditer(view, start, end):
        position = match.start(1)
        before = view[start:position].rstrip()
        if position > start and (view[position] == "•" or (before and before[-1] in _TERMINAL + ':;)"”»')):
            cuts.append(position)
    cuts.extend(_chained_item_cuts(view, folded, start, end))
    return cuts


def _chained_item_cuts(view: str, folded: str, start: int, end: int) -> list[int]:
    """After a lead-in ("…như sau:", "gồm:"), items chained with ";" are claims of their own."""
    rules = _rules()
    lead = rules.list_lead.search(folded, start, end)
    if not lead:
        return []
    body_start = lead.end()
    sentence_end = _first_terminal(view, body_start, end)
    parts = view[body_start:sentence_end].split(";")
    if len(parts) < 3 or any(len(p.split()) < 4 for p in parts):
        return []
    cuts, position = [], body_start
    for part in parts[:-1]:
        position += len(part) + 1
        cuts.append(position)
    return cuts


def _first_terminal(view: str, start: int, end: int) -> int:
    for position in range(start, end):
        if view[position] in "!?" or (view[position] == "." and (position + 1 == end or view[position + 1] == " ")):
            return position
    return end


# ---------------------------------------------------------------- sentences


_SENTENCE_END = re.compile(r"[.?!]")
_SENTENCE_SPACE = " \t\n\r"


def split_sentences(text: str) -> list[str]:
    """What underthesea's ``sent_tokenize(text)`` returns (its version pinned in pyproject.toml), its characters
    visited only where a sentence may end: its loop steps over every other character one at a time and does
    nothing there. The same abbreviations, ellipsis, number and boundary rules, in the same order;
    ``tests/test_fast_paths_warm.py`` holds it equal to ``sent_tokenize`` on every line of the corpus and the
    examples and on edge cases."""
    tokenizer = _underthesea_sentences.sentence_tokenizer
    if tokenizer is None:  # the first call loads the abbreviations
        return sent_tokenize(text)
    if not text or not text.strip():
        return []
    sentences: list[str] = []
    start, size = 0, len(text)
    found = _SENTENCE_END.search(text)
    while found is not None:
        index = found.start()
        if text[index] == ".":
            dot_end = index
            while dot_end < size and text[dot_end] == ".":
                dot_end += 1
            if dot_end - index >= 3:  # an ellipsis ends a sentence at the end or before a capital
                after = dot_end
                while after < size and text[after] in " \t":
                    after += 1
                if after >= size or text[after].isupper():
                    dot_end = start = _close_sentence(text, start, dot_end, sentences)
                found = _SENTENCE_END.search(text, dot_end)
                continue
        if _ends_here(text, index, tokenizer.abbrev_types):
            end = index + 1
            while end < size and text[end] in ".?!":
                end += 1
            start = _close_sentence(text, start, end, sentences)
            found = _SENTENCE_END.search(text, start)
            continue
        found = _SENTENCE_END.search(text, index + 1)
    final = text[start:].strip()
    if final:
        sentences.append(final)
    return sentences


def _close_sentence(text: str, start: int, end: int, sentences: list[str]) -> int:
    """Add ``text[start:end]`` (stripped, if anything is left) and return where the next sentence starts: after the
    spaces that follow."""
    sentence = text[start:end].strip()
    if sentence:
        sentences.append(sentence)
    size = len(text)
    while end < size and text[end] in _SENTENCE_SPACE:
        end += 1
    return end


def _ends_here(text: str, index: int, abbreviations: set[str]) -> bool:
    """underthesea's boundary test: a full stop between digits or after an abbreviation is none; any other is."""
    if text[index] != ".":
        return True
    if index > 0 and text[index - 1].isdigit() and index + 1 < len(text) and text[index + 1].isdigit():
        return False
    word_start = index - 1
    while word_start >= 0 and (text[word_start].isalnum() or text[word_start] == "."):
        word_start -= 1
    word = text[word_start + 1 : index]
    return not (word and word.lower() in abbreviations)


def sentence_spans(body: str) -> list[tuple[int, int]]:
    """Sentences of ``body`` (one piece) as spans relative to it: underthesea's ``sent_tokenize``
    (:func:`split_sentences`), with splits after an abbreviation, inside a section reference ("mục II.3"), inside a
    road or item code ("ĐT.652", "QL.1A") or after a lone numbering undone."""
    rules = _rules()
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in split_sentences(body) or [body]:
        sentence = sentence.strip()
        if not sentence:
            continue
        found = body.find(sentence, cursor)
        if found == -1:  # underthesea changed the text: fall back to the rest of the piece
            found, sentence = cursor, body[cursor:].strip()
            if not sentence:
                break
        end = found + len(sentence)
        cursor = end
        previous = spans[-1] if spans else None
        glued = previous is not None and found == previous[1]  # no space between: "ĐT." + "652"
        if previous and (
            _joins(body[previous[0] : previous[1]], sentence, rules)
            or (glued and sentence[:1].isdigit() and rules.code_end.search(body[previous[0] : previous[1]]))
        ):
            spans[-1] = (previous[0], end)
        else:
            spans.append((found, end))
    return spans


def _joins(previous: str, sentence: str, rules: _LayoutRules) -> bool:
    if rules.numbering_only.match(previous):
        return True
    if rules.reference_end.search(previous) and sentence[:1].isdigit():
        return True
    if rules.initials_end.search(previous):  # "Anh N.V.T." + "(27 tuổi) …": a person's initials, not a sentence end
        return True
    return bool(rules.abbreviation_end.search(previous))
