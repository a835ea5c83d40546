"""Re-laying a report without changing a word, and carrying its gold labels onto the re-laid text.

Used to measure (``kiemdiem evaluate --layout``, ``python -m nlp.cross.evaluate --layout``, ``bench/robustness.py``)
and to train (``kiemdiem train --augment-layouts``) a pipeline that must not depend on where the lines break.

- :func:`render` gives the input as it would arrive (a string, or the bytes of a .docx / .pdf);
- :func:`relayout` gives the text the pipeline reads from it (docx and pdf go through :mod:`nlp.ingest`);
- :func:`remap_record` moves a corpus record's spans (units, sections, evidence) onto another text with the same
  words, by aligning their non-whitespace, accent-folded characters.

Everything is deterministic: no randomness is used.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import hashlib
import io
import re
import textwrap
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from nlp.normalize import fold, normalize

LAYOUTS = ("as_written", "one_line", "blocks", "wrap70", "no_diacritics", "docx", "pdf")
#: Layouts accepted besides :data:`LAYOUTS`: a .docx whose blocks are paragraphs with soft line breaks inside.
EXTRA_LAYOUTS = ("docx_breaks",)
WRAP_WIDTH = 70
LINES_PER_PAGE = 45

_WHITESPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def check_layout(layout: str) -> str:
    """``layout`` if it is known; ValueError otherwise."""
    if layout not in LAYOUTS + EXTRA_LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose from {', '.join(LAYOUTS + EXTRA_LAYOUTS)}")
    return layout


def parse_layouts(value: str) -> tuple[str, ...]:
    """Comma-separated layout names (or ``all`` for :data:`LAYOUTS`), checked."""
    if value.strip() == "all":
        return LAYOUTS
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    if not names:
        raise ValueError("no layout given")
    return tuple(check_layout(name) for name in names)


# --- plain-text layouts ---------------------------------------------------------------------------------------


def one_line(text: str) -> str:
    """Everything on one line: every whitespace run (newlines included) becomes one space."""
    return _WHITESPACE.sub(" ", text).strip()


def blocks(text: str) -> str:
    """One line per block: the lines of each blank-line-separated block joined with a space."""
    parts = _BLANK_LINES.split(text.strip())
    return "\n".join(one_line(part) for part in parts if part.strip())


def wrap(text: str, width: int = WRAP_WIDTH, lines_per_page: int = LINES_PER_PAGE) -> str:
    """Lines hard-wrapped at ``width`` as PDF text extraction gives them, a page number alone after each page.

    Blank lines vanish (extraction does not keep paragraph spacing); words are never hyphenated or split.
    """
    lines: list[str] = []
    for line in text.split("\n"):
        lines.extend(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False))
    out: list[str] = []
    for page, start in enumerate(range(0, len(lines), lines_per_page), start=1):
        out.extend(lines[start : start + lines_per_page])
        out.append(str(page))
    return "\n".join(out)


@lru_cache(maxsize=4096)
def _strip_char(char: str) -> str:
    if char == "đ":
        return "d"
    if char == "Đ":
        return "D"
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return base if len(base) == 1 else char


def strip_diacritics(text: str) -> str:
    """Vietnamese typed without diacritics (``đ`` → ``d``), case kept; the length is kept too."""
    text = unicodedata.normalize("NFC", text)
    return "".join(_strip_char(c) for c in text)


# --- file layouts ------------------------------------------------------------------------------------------------


def to_docx(text: str, soft_breaks: bool = False) -> bytes:
    """A .docx built with python-docx: one paragraph per line, or (``soft_breaks``) one per block with the
    lines of the block separated by soft line breaks (Shift+Enter)."""
    from docx import Document

    document = Document()
    if not soft_breaks:
        for line in text.split("\n"):
            document.add_paragraph(line)
    else:
        for part in _BLANK_LINES.split(text.strip()):
            paragraph = document.add_paragraph()
            for number, line in enumerate(part.split("\n")):
                run = paragraph.add_run(line)
                if number:
                    run._r.addprevious(_break_run(paragraph))
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, so the same text gives the same bytes on every run."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def _break_run(paragraph):  # -> a <w:r><w:br/></w:r> element
    from docx.oxml import OxmlElement

    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


def font_path() -> Path:
    """DejaVu Sans (Vietnamese glyphs), shipped with matplotlib."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def to_pdf(text: str) -> bytes:
    """An A4 PDF built with fpdf2, the text in 12 pt DejaVu Sans, lines wrapped by ``multi_cell``, page numbers
    in the footer."""
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = _Pdf(format="A4")
    pdf.set_creation_date(dt.datetime(2024, 12, 31, tzinfo=dt.UTC))  # the same bytes on every run
    pdf.set_margins(25, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("DejaVu", "", str(font_path()))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    for line in text.split("\n"):
        if line.strip():
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(6)
    return bytes(pdf.output())


def render(text: str, layout: str) -> str | bytes:
    """The report as it arrives in ``layout``: a string, or the bytes of a .docx or .pdf file."""
    check_layout(layout)
    if layout == "as_written":
        return text
    if layout == "one_line":
        return one_line(text)
    if layout == "blocks":
        return blocks(text)
    if layout == "wrap70":
        return wrap(text)
    if layout == "no_diacritics":
        return strip_diacritics(text)
    if layout == "docx":
        return to_docx(text)
    if layout == "docx_breaks":
        return to_docx(text, soft_breaks=True)
    return to_pdf(text)


def file_name(layout: str) -> str:
    """A file name hint for :func:`nlp.ingest.read_bytes` / ``analyze_bytes``."""
    return {"docx": "report.docx", "docx_breaks": "report.docx", "pdf": "report.pdf"}.get(layout, "report.txt")


def relayout(text: str, layout: str) -> str:
    """The text the pipeline reads when the report arrives in ``layout`` (before normalisation)."""
    rendered = render(text, layout)
    if isinstance(rendered, str):
        return rendered
    from nlp.ingest import read_bytes

    return read_bytes(rendered, file_name(layout)).text


# --- gold alignment ----------------------------------------------------------------------------------------------


@dataclass
class Remapped:
    """A corpus record moved onto another text, and what could not be moved."""

    record: dict
    unmapped_units: list[dict] = field(default_factory=list)  # the original record's units that found no place
    exact: bool = True  # the non-whitespace folded characters were identical (no difflib needed)


def _key(text: str) -> tuple[str, list[int]]:
    """The folded non-whitespace characters of ``text`` and the offset of each."""
    folded = fold(text)
    positions = [i for i, c in enumerate(text) if not c.isspace()]
    return "".join(folded[i] for i in positions), positions


def char_map(source: str, target: str) -> tuple[list[int | None], bool]:
    """For each non-whitespace character of ``source`` (in order), the offset of the same character in ``target``
    (None where it has no counterpart), and whether the keys were identical."""
    a, _ = _key(source)
    b, b_positions = _key(target)
    if a == b:
        return list(b_positions), True
    mapping: list[int | None] = [None] * len(a)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for offset in range(i2 - i1):
                mapping[i1 + offset] = b_positions[j1 + offset]
    return mapping, False


class _SpanMapper:
    """Moves ``[start, end)`` spans of ``source`` onto ``target``."""

    def __init__(self, source: str, target: str) -> None:
        self.mapping, self.exact = char_map(source, target)
        # index of the first non-whitespace character at or after each source offset
        self.first: list[int] = [0] * (len(source) + 1)
        count = 0
        for offset, char in enumerate(source):
            self.first[offset] = count
            if not char.isspace():
                count += 1
        self.first[len(source)] = count

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The target span covering the mapped characters of the source span; None when none is mapped."""
        indexes = range(self.first[start], self.first[end])
        mapped = [self.mapping[i] for i in indexes if self.mapping[i] is not None]
        if not mapped:
            return None
        return min(mapped), max(mapped) + 1


def remap_record(record: dict, text: str) -> Remapped:
    """``record`` with ``text`` as its text and every span (units, sections, evidence) moved onto it.

    Spans are matched by their words: the non-whitespace characters, accent-folded, are aligned (identical in
    most layouts; difflib where extraction changed or added characters). Units that cannot be placed are left
    out of the new record and listed in :attr:`Remapped.unmapped_units`.
    """
    mapper = _SpanMapper(record["text"], text)
    new = copy.deepcopy({k: v for k, v in record.items() if k not in {"text", "units", "sections", "evidence"}})
    new["text"] = text
    new["text_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    units, unmapped = [], []
    for unit in record["units"]:
        span = mapper.span(unit["start"], unit["end"])
        if span is None:
            unmapped.append(copy.deepcopy(unit))
            continue
        units.append({**copy.deepcopy(unit), "start": span[0], "end": span[1]})
    new["units"] = units
    new["sections"] = _moved(mapper, record.get("sections", []))
    new["evidence"] = _moved(mapper, record.get("evidence", []))
    order = ["id", "text", "text_sha256"]
    ordered = {k: new[k] for k in order} | {k: new[k] for k in record if k not in order and k in new}
    return Remapped(ordered, unmapped, mapper.exact)


def _moved(mapper: _SpanMapper, spans: list[dict]) -> list[dict]:
    moved = []
    for item in spans:
        span = mapper.span(item["start"], item["end"])
        if span is not None:
            moved.append({**copy.deepcopy(item), "start": span[0], "end": span[1]})
    return moved


def relaid_record(record: dict, layout: str) -> Remapped:
    """The record re-laid in ``layout``: its text is the normalised text the pipeline sees, spans moved onto it."""
    return remap_record(record, normalize(relayout(record["text"], layout)))
