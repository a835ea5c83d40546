"""Sentences of an analysed report as the cross-report checks read them: text, section, lexicon hits and the
concrete anchors (numbers, named words) that two reports can share."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cache, wraps

from nlp.cross.config import cue, settings
from nlp.doc import Unit
from nlp.features import find_anchors
from nlp.layout import is_page_mark, page_reading
from nlp.lexicon import Hit, default_lexicons
from nlp.normalize import fold
from nlp.schema import AnalysisResult

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_DIGIT = re.compile(r"\d")
_LIST_NUMBER = re.compile(r"^\W*(?:\d+|[ivx]+)[.)]\s*")  # "4. Giải trình …": a list number is no figure
_SYLLABLE = re.compile(r"[0-9]*[a-zđ][a-z0-9đ]*")  # a run of [a-z0-9đ] with a letter in it (not a bare number)
_STOP_SETTING = "stop_syllables"
_NAMED_KINDS_ORDER = ("named", "person", "case")  # the anchor kinds a passage keeps as named words
_NAMED_KINDS = frozenset(_NAMED_KINDS_ORDER)


@dataclass
class Passage:
    """One content sentence of a report (offsets into that report's text)."""

    file: str
    start: int
    end: int
    text: str
    section: str | None
    folded: str = ""
    hits: list[Hit] = field(default_factory=list)
    numbers: frozenset[str] = frozenset()
    named: frozenset[str] = frozenset()
    syllables: frozenset[str] = frozenset()
    generic: float = 0.0
    opens_line: bool = True  # the sentence opens a line or a list item of the report, not the middle of one
    memo: dict[str, bool] = field(default_factory=dict, init=False, compare=False, repr=False)  # per_passage readings

    def has(self, lexicon: str) -> bool:
        """True if a phrase of ``lexicon`` occurs in the sentence."""
        return any(h.lexicon == lexicon for h in self.hits)

    @property
    def first_person(self) -> bool:
        """The writer speaks of himself or herself."""
        return self.has("first_person")


def per_passage(predicate: Callable[[Passage], bool]) -> Callable[[Passage], bool]:
    """``predicate``, a reading of one sentence alone (its text, words, lexicon hits and section), remembered on the
    sentence: the checks ask it of each sentence of a report once for every collective shortcoming."""
    name = f"{predicate.__module__}.{predicate.__qualname__}"

    @wraps(predicate)
    def remembered(item: Passage) -> bool:
        found = item.memo.get(name)
        if found is None:
            found = item.memo[name] = predicate(item)
        return found

    return remembered


def make_passage(
    text: str,
    section: str | None,
    *,
    file: str = "",
    start: int = 0,
    generic: float = 0.0,
    accent_insensitive: bool = False,
    anchor_kinds: Collection[str] | None = None,
    unit: Unit | None = None,
    marks: Sequence[tuple[int, int]] = (),
    hits: bool = True,
) -> Passage:
    """A passage from a sentence's text (hits and anchors computed here; ``anchor_kinds``: the kinds of anchor the
    analysis found in this very sentence, when known — without a named one, the anchors are not looked for again;
    ``unit``: the analysis's unit of this very sentence, annotated with the shipped lexicons, when at hand — where
    its text and folded text are the passage's, its lexicon hits and anchors are taken, not searched again;
    ``marks``: the page marks inside the sentence, offsets into ``text``: left out of its reading; ``hits``: False for
    a piece read only for its words and anchors, not its lexicon hits, such as a clause of a long sentence)."""
    flat = flat_text(text, marks)
    same = unit is not None and unit.text == flat  # a unit's folded form is its text folded: not folded again
    folded = _mask_collisions(flat, unit.folded if same else fold(flat))
    found: list[Hit] = []
    if same and unit.folded == folded:
        found = list(unit.hits)
        anchors = unit.anchors
    else:
        if hits:
            found = default_lexicons().find(flat, folded, accent_insensitive=accent_insensitive)
        known_none = anchor_kinds is not None and not _NAMED_KINDS.intersection(anchor_kinds)
        anchors = {} if known_none else find_anchors(flat, folded, _NAMED_KINDS)
    named = {folded[s:e].strip() for kind in _NAMED_KINDS_ORDER for s, e in anchors.get(kind, [])}
    stop = stop_syllables()
    return Passage(
        file=file,
        start=start,
        end=start + len(text),
        text=text,
        section=section,
        folded=folded,
        hits=found,
        numbers=_numbers(folded),
        named=frozenset(n for n in named if n),
        syllables=frozenset(_SYLLABLE.findall(folded)).difference(stop),
        generic=generic,
    )


def flat_text(text: str, marks: Sequence[tuple[int, int]] = ()) -> str:
    """A sentence wrapped over lines as one line, without the page number of a page break inside it (a PDF's
    footer between two lines of the sentence: "… làm việc,⏎1⏎tập trung …"); ``marks``: spans of the sentence that
    the layout stage reads as page marks (:func:`nlp.layout.page_marks`, offsets into ``text``), left out too (a
    page number glued to the next page's first line: "… mới thực hiện được⏎1 một phần …")."""
    if "\n" not in text:
        return text
    for start, end in sorted(marks, reverse=True):
        text = text[:start].rstrip(" \t") + text[end:].lstrip(" \t")
    lines = text.split("\n")
    if len(lines) > 2:
        lines = [lines[0], *(line for line in lines[1:-1] if not is_page_mark(line)), lines[-1]]
    return _WRAP.sub(" ", "\n".join(lines))


def _numbers(folded: str) -> frozenset[str]:
    """The figures of a folded sentence (a list number and years left out; "2,5" read as "2.5")."""
    if not _DIGIT.search(folded):  # most sentences: no figure to look for
        return frozenset()
    return frozenset(n.replace(",", ".") for n in _NUMBER.findall(_LIST_NUMBER.sub("", folded)) if not _is_year(n))


def passage_row(item: Passage) -> list:
    """``item`` as a JSON-ready list (its file left out: the reader gives it), read back by :func:`from_row`."""
    hits = [[h.start, h.end, h.lexicon, h.phrase] for h in item.hits]
    sets = [sorted(item.numbers), sorted(item.named), sorted(item.syllables)]
    return [item.start, item.end, item.text, item.section, item.folded, hits, *sets, item.generic, item.opens_line]


def from_row(row: list, file: str) -> Passage:
    """The passage a :func:`passage_row` list describes, as a sentence of ``file``."""
    start, end, text, section, folded, hits, numbers, named, syllables, generic, *rest = row
    return Passage(
        file=file,
        start=start,
        end=end,
        text=text,
        section=section,
        folded=folded,
        hits=[Hit(*hit) for hit in hits],
        numbers=frozenset(numbers),
        named=frozenset(named),
        syllables=frozenset(syllables),
        generic=generic,
        opens_line=bool(rest[0]) if rest else True,
    )


_CHUA_FIX = re.compile(r"chữa", re.IGNORECASE)
_WRAP = re.compile(r"[ \t]*\r?\n\s*")  # a line break inside a sentence, with the indent of the line after it


def _mask_collisions(text: str, folded: str) -> str:
    """Folding makes "chữa" (repair) read as "chưa" (not yet); mark it so that cues on "chua" do not fire."""
    if "ữ" not in text and "Ữ" not in text:  # no "chữa" to mask (the pattern needs this letter)
        return folded
    for match in _CHUA_FIX.finditer(text):
        folded = folded[: match.start()] + "chxa" + folded[match.end() :]
    return folded


@cache
def stop_syllables() -> frozenset[str]:
    """Syllables too common in these reports to tell two items apart (cross.yaml ``stop_syllables``)."""
    return frozenset(settings()[_STOP_SETTING].split())


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and number[:2] in {"19", "20"}


def passages(
    file: str, result: AnalysisResult, units: Sequence[Unit] | None = None, sections: Collection[str] | None = None
) -> list[Passage]:
    """Every content sentence of ``result`` (headings, header and signature lines left out); ``units``: the units
    of the ``Doc`` the analysis read, one a sentence (:func:`nlp.pipeline.analyze_document`), when it was annotated
    with the shipped lexicons: their hits and anchors are taken where a passage is one of them (the same passages);
    ``sections``: only the sentences from the first to the last of those parts (what a reading of those parts
    alone needs: the same passages, and the same ones between them), none when the report has none."""
    insensitive = not result.source.diacritics
    spans: list[tuple[int, int, str | None, float]] = []
    kinds: dict[int, list[str]] = {}  # span start → the analysis's anchor kinds, for a span that is one sentence
    annotated: dict[int, Unit] = {}  # span start → the analysis's unit, for a span that is one sentence
    if units is not None and len(units) != len(result.sentences):
        units = None
    lead: int | None = None  # start of a structural piece on the same line that the next sentence continues
    headings = {section.start for section in result.sections}  # where a part's heading opens
    for index, sentence in enumerate(result.sentences):
        if sentence.section == "header":
            spans.extend(_preamble_divisions(result.text, sentence.start, sentence.end))
        if sentence.section in {"header", "signature", "self_rating"}:
            lead = None
            continue
        if sentence.structural:  # a part's heading goes on only where it runs in ("Nguyên nhân chủ quan: tôi …")
            runs_in = result.text[sentence.start : sentence.end].rstrip().endswith(":")
            lead = sentence.start if runs_in or sentence.start not in headings else None
            continue
        text = result.text[sentence.start : sentence.end]
        stripped = text.strip()
        if len(stripped) < 8:
            continue
        start = sentence.start + text.index(stripped)
        end = start + len(stripped)
        start = _past_marker(result.text, start, end)
        if lead is not None and _continues(result.text, lead, start):
            start = lead
        lead = None
        previous = spans[-1] if spans else None
        if previous and (
            _runs_on(result.text, previous, start, sentence.section)
            or _broken_off(result.text, previous, start, sentence.section)
        ):
            spans[-1] = (previous[0], end, previous[2], max(previous[3], sentence.generic))
            kinds.pop(previous[0], None)
            annotated.pop(previous[0], None)
            continue
        if result.text[sentence.start : sentence.end].strip() == result.text[start:end]:  # not joined to a lead
            kinds[start] = sentence.anchors
            if units is not None and units[index].start == sentence.start:
                annotated[start] = units[index]
        spans.append((start, end, sentence.section, sentence.generic))
    if sections is not None:
        wanted = [i for i, span in enumerate(spans) if span[2] in sections]
        spans = spans[wanted[0] : wanted[-1] + 1] if wanted else []
    found = []
    marks: list[tuple[int, int]] | None = None  # the text's page marks, read once a sentence goes over a line break
    full: int | None = None  # the width of a full line of a hard-wrapped text (read with the marks), else None
    for start, end, section, generic in spans:
        if marks is None and "\n" in result.text[start:end]:
            marks, full = page_reading(result.text)
        inside = [(max(s, start) - start, min(e, end) - start) for s, e in marks or () if s < end and e > start]
        item = make_passage(
            result.text[start:end],
            section,
            file=file,
            start=start,
            generic=generic,
            accent_insensitive=insensitive,
            anchor_kinds=kinds.get(start),
            unit=annotated.get(start),
            marks=inside,
        )
        item.opens_line = _opens_line(result.text, start, full)
        found.append(item)
    return found


PREAMBLE = "preamble"  # the section of a division of work stated before the report's first part
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])")


def _preamble_divisions(text: str, start: int, end: int) -> list[tuple[int, int, str | None, float]]:
    """The sentences of a paragraph before the report's first part that divide the work among named posts ("Phân công
    trong Ban Giám đốc: đồng chí Giám đốc phụ trách chung …; đồng chí Phó Giám đốc phụ trách …"), as passages of
    their own section: the collective's division of work, read by the responsibility checks and by nothing else."""
    found: list[tuple[int, int, str | None, float]] = []
    if ";" not in text[start:end]:  # a division names two posts at least, in clauses split by ";"
        return found
    offset = start
    for piece in _SENTENCE_END.split(text[start:end]):
        piece_start = text.index(piece, offset)
        offset = piece_start + len(piece)
        stripped = piece.strip()
        if len(stripped) < 20:
            continue
        folded = fold(stripped)
        if sum(1 for clause in folded.split(";") if cue("assignment_clause", clause)) >= 2:
            begin = piece_start + piece.index(stripped)
            found.append((begin, begin + len(stripped), PREAMBLE, 0.0))
    return found


_LINE_LEAD = re.compile(r"(?:^|\n)[ \t]*(?:[-+•*–]|\(?\d{1,2}(?:\.\d{1,2})*[.)/]|[a-hđ][.)]|[IVX]{1,4}[.)])?[ \t]*$")


# a list marker run into a paragraph after the sentence before it ("… còn 7 hộ chưa đóng. 2. Cống …"), before the
# sentence or at its start (where the analysis kept the marker in the sentence)
_MARKER = r"(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]|[a-hđ][.)]|[-+•*–])[ \t]+"  # a list marker and the space after it
_ENDED = r"[.;:!?][ \t]+"  # a sentence's end punctuation and the space after it
_INLINE_LEAD = re.compile(_ENDED + _MARKER + "$")
# an item of a list counted in words: "Một là, …", "Hai là, …", "Thứ nhất, …", "Thứ hai: …"
_ORDINAL_WORD = re.compile(
    r"(?:(?:Một|Hai|Ba|Bốn|Năm|Sáu|Bảy|Tám|Chín|Mười)\s+là|Thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười))\s*[,:]",
    re.IGNORECASE,
)
_ITEM_MARKER = re.compile(_MARKER)
_AFTER_SENTENCE = re.compile(_ENDED + "$")


def _opens_line(text: str, start: int, full: int | None = None) -> bool:
    """The sentence opens a list item: nothing but spaces and a list marker stands between the start of the line and
    ``start``, or a list marker run into a paragraph after the sentence before it (a part pasted as one paragraph
    keeps its items apart, and an item's later sentences with them). In a hard-wrapped text (``full``: the length
    of a full line) a sentence that opens a line after a full one, with no list marker, only happened to: the
    sentence before ended where the line did, and a line break means nothing."""
    if _ORDINAL_WORD.match(text, start):  # "Hai là, sinh hoạt chuyên môn …", "Thứ ba, …": an item of a list in words
        return True
    if start == 0 or text[start - 1] == "\n":  # the line's first character
        if full is None or start == 0 or _ITEM_MARKER.match(text, start):
            return True
        line_start = text.rfind("\n", 0, start - 1) + 1
        return len(text[line_start : start - 1].rstrip()) < full
    if _LINE_LEAD.search(text, max(0, start - 60), start) or _INLINE_LEAD.search(text, max(0, start - 12), start):
        return True
    return bool(_ITEM_MARKER.match(text, start)) and bool(_AFTER_SENTENCE.search(text, max(0, start - 4), start))


def _past_marker(text: str, start: int, end: int) -> int:
    """Where the sentence at ``start`` begins past a list marker the analysis kept in it (a part pasted as one
    paragraph: "… còn 7 hộ chưa đóng. 2. Cống …" gives the sentence "2. Cống …"), as it begins after a line's marker;
    a sentence that would be left shorter than a passage is kept whole."""
    marker = _ITEM_MARKER.match(text, start)
    return start if marker is None or end - marker.end() < 8 else marker.end()


def _continues(text: str, lead: int, start: int) -> bool:
    """A piece read as a heading that the sentence after it continues ("3. Bãi rác tự phát ở bờ kênh xóm" + "Bãi Giữa
    tồn tại …", "Nguyên nhân chủ quan:" + "tôi giao việc …"): on the same line, where it does not end a sentence nor
    with the list marker of the item that follows it; over a line break, where it ends on a word and the sentence opens
    in small letters, with a bracket or a figure (:func:`_broken_off`)."""
    piece = text[lead:start]
    if len(piece) >= 120 or _ENDS_WITH_MARKER.search(piece.rstrip()):  # "1. Hạn chế, khuyết điểm a)": the marker
        return False  # opens the item
    if "\n" not in piece:
        return not piece.rstrip().endswith(".")
    # a PDF's line break after a numbered line that ends on a word ("4. Giải ngân … mới đạt⏎61,4% (19,3/31,4 tỷ …")
    return piece.strip().count("\n") == 0 and bool(_BROKEN_END.search(piece.rstrip())) and _goes_on(text, start)


# a heading that ends with the list marker of the item after it, as in a part pasted as one paragraph
_ENDS_WITH_MARKER = re.compile(r"(?:^|\s)(?:[a-hđ]|\d{1,2}|[ivx]{1,4})[.)]$|\s[-–•+*]$", re.IGNORECASE)


_BROKEN_END = re.compile(r"(?:[^\W_]|[:,])$")  # ends on a word or a figure, a colon or a comma: no sentence ends so
_GOES_ON = re.compile(r"\((?!\d{1,2}\)|[a-hđ]\))|\d+(?![.)\d]|/\s)")  # a bracket or a figure that is no list number


def _goes_on(text: str, start: int) -> bool:
    """The sentence at ``start`` opens in small letters, with a bracket or with a figure that is no list number."""
    return text[start : start + 1].islower() or bool(_GOES_ON.match(text, start))


def _broken_off(text: str, previous: tuple[int, int, str | None, float], start: int, section: str | None) -> bool:
    """The analysis cut a sentence where a PDF's text broke its line ("… mới đạt 68% kế hoạch:⏎còn 41 hộ …", "… từ
    tháng⏎8/2025, đến nay …"): the sentence before ends on a word, a colon or a comma, and this one opens in small
    letters, with a bracket or a figure that is no list number, in the same part; a line break means nothing."""
    head = text[previous[0] : previous[1]].rstrip()
    return (
        previous[2] == section
        and bool(_BROKEN_END.search(head))
        and _goes_on(text, start)
        and start - previous[0] < 600
    )


def _runs_on(text: str, previous: tuple[int, int, str | None, float], start: int, section: str | None) -> bool:
    """A sentence that ends in a colon on the same line ("… đã được khắc phục: năm 2025 …") runs on into the next."""
    head = text[previous[0] : previous[1]]
    return (
        head.endswith(":")
        and previous[2] == section
        and "\n" not in text[previous[1] : start]
        and len(head) > 25
        and start - previous[0] < 600
    )
