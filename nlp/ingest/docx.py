"""Word .docx → text: body paragraphs and tables in document order, list numbers rebuilt.

The package is opened by python-docx only from a copy whose members :mod:`nlp.ingest.zipguard` already
inflated under the limits and whose XML parts carry no DTD. Tables become one line per row, cells
joined by " | " (nested tables flattened into their cell); headers and footers are ignored; text boxes
follow their anchor paragraph. Runs set in legacy fonts (.VnTime → TCVN3, VNI-Times → VNI) are
converted by font; the character heuristic then catches legacy text with no font evidence.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from lxml import etree

from nlp.errors import CorruptFileError, InputError, UnsupportedFormatError
from nlp.ingest import IngestLimits, legacy, numbering, zipguard
from nlp.ingest.numbering import W

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_MAIN_DOCUMENT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OTHER_MAIN_TYPES = (
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_CONTAINERS = {W + "hyperlink", W + "ins", W + "smartTag", W + "customXml", W + "fldSimple", W + "moveTo", W + "dir"}
_CONTAINERS |= {W + "bdo", W + "sdtContent"}
_SKIPPED = {W + "del", W + "moveFrom", W + "pPr", W + "rPr"}
_RUN_TEXT = {W + "t": None, W + "tab": " ", W + "ptab": " ", W + "br": "\n", W + "cr": "\n"}
_RUN_TEXT |= {W + "noBreakHyphen": "-", W + "softHyphen": ""}
_FONT_ATTRS = (W + "ascii", W + "hAnsi")  # the slots Vietnamese letters are drawn with


def is_word_package(names: set[str]) -> bool:
    """A ZIP is a Word document when it has OOXML content types and a ``word/`` main part."""
    return "[Content_Types].xml" in names and (
        "word/document.xml" in names or any(n.startswith("word/") and n.endswith(".xml") for n in names)
    )


@dataclass
class DocxText:
    """Text of a .docx and the facts worth noting."""

    text: str
    legacy_font: str | None = None
    notes: list[str] = field(default_factory=list)


def read_docx(archive: zipguard.Archive, limits: IngestLimits) -> DocxText:
    """Extract the text of a Word package that passed the declared-size checks."""
    members = zipguard.read_members(archive, limits)
    for name, content in members.items():
        if name.endswith((".xml", ".rels")):
            _refuse_dtd(content)
    document = _open(members)
    try:
        return _Extractor(document).run()
    except InputError:
        raise
    except Exception:  # python-docx/lxml on malformed parts: report, never leak
        raise CorruptFileError("Word document structure cannot be read") from None


def _refuse_dtd(content: bytes) -> None:
    """DOCTYPE/ENTITY in an OOXML part is never legitimate (XXE, billion laughs)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            content = content.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise CorruptFileError("XML part has a broken UTF-16 encoding") from None
    if _DTD.search(content):
        raise CorruptFileError("DTD or entity declaration in an XML part")


def _open(members: dict[str, bytes]):  # -> docx.document.Document
    """Load python-docx from a stored (uncompressed) copy of the validated members."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        for name, content in members.items():
            if name == "[Content_Types].xml":
                for other in _OTHER_MAIN_TYPES:
                    content = content.replace(other, _MAIN_DOCUMENT)
            out.writestr(name, content)
    buffer.seek(0)
    try:
        return docx.Document(buffer)
    except (PackageNotFoundError, KeyError):
        raise CorruptFileError("Word package has no main document part") from None
    except ValueError:
        raise UnsupportedFormatError("ZIP package whose main part is not a Word document") from None
    except Exception:  # lxml syntax errors, resource limits, broken relationships
        raise CorruptFileError("Word document XML cannot be parsed") from None


class _Styles:
    """Fonts and list numbering inherited through paragraph and character styles."""

    def __init__(self, root: etree._Element | None) -> None:
        self.based_on: dict[str, str] = {}
        self.fonts: dict[str, str] = {}
        self.num: dict[str, tuple[str | None, int | None]] = {}
        self.default_paragraph: str | None = None
        self.default_font: str | None = None
        if root is None:
            return
        defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        self.default_font = _font(defaults)
        for style in root.iterchildren(W + "style"):
            self._add(style)

    def _add(self, style: etree._Element) -> None:
        style_id = style.get(W + "styleId", "")
        if style.get(W + "type") == "paragraph" and style.get(W + "default") in {"1", "true", "on"}:
            self.default_paragraph = style_id
        based = style.find(W + "basedOn")
        if based is not None:
            self.based_on[style_id] = based.get(W + "val", "")
        font = _font(style.find(f"{W}rPr/{W}rFonts"))
        if font:
            self.fonts[style_id] = font
        num_pr = style.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            self.num[style_id] = _num_pr(num_pr)

    def chain(self, style_id: str | None) -> Iterator[str]:
        """The style and its ``basedOn`` ancestors (cycle-safe)."""
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            yield style_id
            style_id = self.based_on.get(style_id)

    def font(self, *style_ids: str | None) -> str | None:
        """First font set on the given styles' chains, else the document default."""
        for style_id in style_ids:
            for sid in self.chain(style_id):
                if sid in self.fonts:
                    return self.fonts[sid]
        return self.default_font

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """numId/ilvl a paragraph style gives its paragraphs."""
        for sid in self.chain(style_id):
            if sid in self.num:
                return self.num[sid]
        return None, None


def _font(rfonts: etree._Element | None) -> str | None:
    if rfonts is None:
        return None
    for attr in _FONT_ATTRS:
        if rfonts.get(attr):
            return rfonts.get(attr)
    return None


def _num_pr(num_pr: etree._Element) -> tuple[str | None, int | None]:
    num_id = num_pr.find(W + "numId")
    ilvl = num_pr.find(W + "ilvl")
    level = ilvl.get(W + "val") if ilvl is not None else None
    return (
        num_id.get(W + "val") if num_id is not None else None,
        int(level) if level is not None and level.isdigit() else None,
    )


class _Extractor:
    """Walks the body once, in order, keeping list counters and legacy-font facts."""

    def __init__(self, document) -> None:  # docx.document.Document
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        part = document.part
        self.body = document.element.body
        self.styles = _Styles(_related_root(part, RT.STYLES))
        self.numbering = numbering.parse(_related_root(part, RT.NUMBERING))
        self.converted: Counter[str] = Counter()
        self.tables = 0

    def run(self) -> DocxText:
        lines = list(self._blocks(self.body))
        text = "\n".join(lines)
        notes: list[str] = []
        if self.tables:
            notes.append(f"{self.tables} table" if self.tables == 1 else f"{self.tables} tables")
        for encoding, runs in self.converted.items():
            notes.append(f"converted from {legacy.label(encoding)} ({runs} runs in legacy fonts)")
        font = self.converted.most_common(1)[0][0] if self.converted else None
        detected = legacy.detect(text)
        if detected:
            text, changed = legacy.convert_lines(text, detected)
            if changed:
                notes.append(f"converted from {legacy.label(detected)} ({changed} lines, no font evidence)")
                font = font or detected
        return DocxText(text, font, notes)

    def _blocks(self, parent: etree._Element) -> Iterator[str]:
        """Lines of the paragraphs and tables under ``parent``, in order."""
        for child in parent.iterchildren():
            if child.tag == W + "p":
                yield from self._paragraph(child)
            elif child.tag == W + "tbl":
                self.tables += 1
                yield from self._table(child)
            elif child.tag in {W + "sdt", W + "customXml"} or child.tag in _CONTAINERS:
                content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
                if content is not None:
                    yield from self._blocks(content)

    def _paragraph(self, p: etree._Element) -> Iterator[str]:
        style_id = _val(p.find(f"{W}pPr/{W}pStyle")) or self.styles.default_paragraph
        pieces: list[tuple[str, str | None]] = []
        boxes: list[etree._Element] = []
        self._inline(p, style_id, pieces, boxes)
        yield self._prefix(p, style_id) + self._join(pieces)
        for box in boxes:
            yield from self._blocks(box)

    def _prefix(self, p: etree._Element, style_id: str | None) -> str:
        style_num, style_ilvl = self.styles.numbering(style_id)
        num_pr = p.find(f"{W}pPr/{W}numPr")
        num_id, ilvl = _num_pr(num_pr) if num_pr is not None else (None, None)
        num_id = num_id or style_num
        if not num_id or num_id == "0":
            return ""
        return self.numbering.prefix(num_id, ilvl if ilvl is not None else (style_ilvl or 0))

    def _inline(
        self, parent: etree._Element, style_id: str | None, pieces: list[tuple[str, str | None]], boxes: list
    ) -> None:
        """Collect (text, font) pieces of runs under ``parent`` and the text boxes they anchor."""
        for child in parent.iterchildren():
            if child.tag == W + "r":
                self._run(child, style_id, pieces, boxes)
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._inline(content, style_id, pieces, boxes)
            elif child.tag in _CONTAINERS:
                self._inline(child, style_id, pieces, boxes)

    def _run(self, r: etree._Element, style_id: str | None, pieces: list[tuple[str, str | None]], boxes: list) -> None:
        rpr = r.find(W + "rPr")
        font = _font(rpr.find(W + "rFonts")) if rpr is not None else None
        if font is None:
            char_style = _val(rpr.find(W + "rStyle")) if rpr is not None else None
            font = self.styles.font(char_style, style_id)
        for child in r.iterchildren():
            if child.tag in _RUN_TEXT:
                fixed = _RUN_TEXT[child.tag]
                pieces.append(((child.text or "") if fixed is None else fixed, font))
            elif child.tag not in _SKIPPED:
                boxes.extend(
                    box
                    for box in child.iter(W + "txbxContent")
                    if not any(a.tag == MC_FALLBACK for a in box.iterancestors())
                )

    def _join(self, pieces: list[tuple[str, str | None]]) -> str:
        """Concatenate pieces, converting consecutive runs in one legacy font together."""
        return "".join(
            self._convert(font, "".join(text for text, _ in group)) for font, group in groupby(pieces, itemgetter(1))
        )

    def _convert(self, font: str | None, text: str) -> str:
        encoding = legacy.font_encoding(font)
        if encoding is None or not text.strip():
            return text
        self.converted[encoding] += 1
        converted = legacy.convert(text, encoding)
        return converted.upper() if legacy.is_caps_font(font) else converted

    def _table(self, tbl: etree._Element) -> Iterator[str]:
        for tr in _rows(tbl):
            cells = [" ".join(line.strip() for line in self._cell(tc) if line.strip()) for tc in _cells(tr)]
            if any(cells):
                yield " | ".join(cells)

    def _cell(self, tc: etree._Element) -> Iterator[str]:
        for line in self._blocks(tc):
            yield from line.split("\n")


def _rows(tbl: etree._Element) -> Iterator[etree._Element]:
    for child in tbl.iterchildren():
        if child.tag == W + "tr":
            yield child
        elif child.tag in {W + "sdt", W + "customXml"}:
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _rows(content)


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    for child in tr.iterchildren():
        if child.tag == W + "tc":
            yield child
        elif child.tag in {W + "sdt", W + "customXml"}:
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _cells(content)


def _val(node: etree._Element | None) -> str | None:
    return node.get(W + "val") if node is not None else None


def _related_root(part, reltype: str) -> etree._Element | None:
    """Root element of the part related by ``reltype``, or None when the document has none."""
    try:
        return part.part_related_by(reltype).element
    except (KeyError, AttributeError):
        return None
