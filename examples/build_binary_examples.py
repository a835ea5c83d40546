"""Build the binary examples from the committed sources in ``examples/sources/`` (deterministic output).

    .venv/bin/python examples/build_binary_examples.py [OUT_DIR]

- ``02b-truong-phong-bang-so-lieu.docx`` from ``02b-leader-docx.md``: ``[header]`` lines ``LEFT || RIGHT`` →
  a borderless 2-column table; ``# `` lines → bold headings numbered I., II. by Word; ``1.``/``a)`` lines →
  real numbered list items; ``- `` lines → real bullets; ``|`` lines → a table; other lines → paragraphs.
- ``01-chi-bo-thon.pdf`` from ``01-pdf.md`` with fpdf2 and DejaVu Sans (a Unicode TTF).
- ``02a-tcvn3-giao-vien.txt`` / ``02a-vni-cong-nhan.txt``: the sources as TCVN3 / VNI 8-bit bytes, as a
  legacy-font editor on Windows would save them (CRLF line ends).
"""

from __future__ import annotations

import datetime
import io
import re
import sys
import zipfile
from pathlib import Path
from typing import ClassVar

from nlp.ingest.legacy import encode

EXAMPLES = Path(__file__).resolve().parent
SOURCES = EXAMPLES / "sources"
FIXED_TIME = datetime.datetime(2024, 12, 13, 8, 0, tzinfo=datetime.UTC)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

HEADING = re.compile(r"^# (.+)$")
DECIMAL = re.compile(r"^(\d+)\. (.+)$")
LETTER = re.compile(r"^([a-z])\) (.+)$")
BULLET = re.compile(r"^- (.+)$")
ROW = re.compile(r"^\|(.+)\|\s*$")


# ------------------------------------------------------------------------------------- legacy text


def build_legacy_txt(source: Path, target: Path, encoding: str) -> None:
    """Write ``source`` as legacy-font 8-bit bytes with CRLF line ends."""
    text = source.read_text(encoding="utf-8")
    target.write_bytes(encode(text, encoding).replace("\n", "\r\n").encode("cp1252"))


# ------------------------------------------------------------------------------------------- docx


def build_docx(source: Path, target: Path) -> None:
    """Turn the small markup of ``02b-leader-docx.md`` into a real Word document."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    lists = _Lists(document)
    lines = source.read_text(encoding="utf-8").split("\n")
    header, body = _split_header(lines)
    _header_table(document, header)
    rows: list[list[str]] = []
    intro = True
    for line in body:
        if ROW.match(line):
            rows.append([cell.strip() for cell in ROW.match(line).group(1).split("|")])
            continue
        if rows:
            _data_table(document, rows)
            rows = []
        if not line.strip():
            continue
        intro = intro and ":" not in line and not HEADING.match(line)
        paragraph = _body_paragraph(document, lists, line)
        if intro:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if rows:
        _data_table(document, rows)
    for paragraph in document.paragraphs[-2:]:  # signature block
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _fix_properties(document)
    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(_fixed_zip(buffer.getvalue()))


def _split_header(lines: list[str]) -> tuple[list[str], list[str]]:
    if lines and lines[0].strip() == "[header]":
        end = lines.index("[/header]")
        return lines[1:end], lines[end + 1 :]
    return [], lines


def _body_paragraph(document, lists: _Lists, line: str):  # -> docx.text.paragraph.Paragraph
    if match := HEADING.match(line):
        paragraph = document.add_paragraph()
        paragraph.add_run(match.group(1)).bold = True
        lists.number(paragraph, "heading", restart=False)
    elif match := DECIMAL.match(line):
        paragraph = document.add_paragraph(match.group(2))
        lists.number(paragraph, "decimal", restart=match.group(1) == "1", expect=match.group(1))
    elif match := LETTER.match(line):
        paragraph = document.add_paragraph(match.group(2))
        lists.number(paragraph, "letter", restart=match.group(1) == "a", expect=match.group(1))
    elif match := BULLET.match(line):
        paragraph = document.add_paragraph(match.group(1))
        lists.number(paragraph, "bullet", restart=False)
    else:
        paragraph = document.add_paragraph(line.strip())
    return paragraph


def _header_table(document, header: list[str]) -> None:
    """The two-column letterhead (Party committee left, national motto / date right), no borders."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if not header:
        return
    table = document.add_table(rows=len(header), cols=2)
    _borders(table, "nil")
    for row, line in zip(table.rows, header, strict=True):
        left, right = (part.strip() for part in line.split("||"))
        for cell, text in ((row.cells[0], left), (row.cells[1], right)):
            cell.text = text
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            cell.paragraphs[0].runs[0].bold = row is table.rows[0]


def _data_table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = document.styles["Table Grid"]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
            if row is table.rows[0]:
                cell.paragraphs[0].runs[0].bold = True


def _borders(table, value: str) -> None:
    from docx.oxml import parse_xml

    edges = "".join(f'<w:{edge} w:val="{value}"/>' for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    table._tbl.tblPr.append(parse_xml(f'<w:tblBorders xmlns:w="{W_NS}">{edges}</w:tblBorders>'))


class _Lists:
    """Word numbering definitions for the four list kinds, and a new instance per restarted list."""

    KINDS: ClassVar[dict[str, tuple[int, str, str]]] = {  # kind: (abstractNumId, numFmt, lvlText)
        "heading": (100, "upperRoman", "%1."),
        "decimal": (101, "decimal", "%1."),
        "letter": (102, "lowerLetter", "%1)"),
        "bullet": (103, "bullet", "–"),
    }

    def __init__(self, document) -> None:
        from docx.oxml import parse_xml

        self.root = document.part.numbering_part.element
        first_num = self.root.find(f"{{{W_NS}}}num")
        for abstract_id, fmt, text in self.KINDS.values():
            indent = '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr>' if fmt != "upperRoman" else ""
            abstract = parse_xml(
                f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">'
                '<w:multiLevelType w:val="singleLevel"/>'
                f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                f'<w:lvlJc w:val="left"/>{indent}</w:lvl></w:abstractNum>'
            )
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                self.root.append(abstract)
        self.next_id = 100
        self.current: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def number(self, paragraph, kind: str, *, restart: bool, expect: str | None = None) -> None:
        """Attach ``paragraph`` to the current list of ``kind`` (a fresh one, restarting at 1, if asked)."""
        from docx.oxml import parse_xml

        if restart or kind not in self.current:
            abstract_id = self.KINDS[kind][0]
            num_id = self.next_id
            self.next_id += 1
            self.root.append(
                parse_xml(
                    f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
                )
            )
            self.current[kind] = num_id
            self.counts[kind] = 0
        self.counts[kind] += 1
        if expect is not None:  # the source's typed number must be the one Word will show
            shown = str(self.counts[kind]) if kind == "decimal" else chr(ord("a") + self.counts[kind] - 1)
            assert shown == expect, f"{kind} list: source says {expect}, Word would show {shown}"
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(
            parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="{self.current[kind]}"/></w:numPr>')
        )


def _fix_properties(document) -> None:
    props = document.core_properties
    props.author = "kiemdiem examples"
    props.last_modified_by = "kiemdiem examples"
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    props.title = "Bản kiểm điểm cá nhân (ví dụ)"


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a ZIP with fixed timestamps so the same input gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, (2024, 12, 13, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info))
    return out.getvalue()


# -------------------------------------------------------------------------------------------- pdf

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"), Path("/usr/share/fonts/TTF"))
_HEADER_SPLIT = re.compile(r"\S {3,}\S")
_ROMAN_HEADING = re.compile(r"^[IVX]+\. ")


def find_font(name: str = "DejaVuSans.ttf") -> Path:
    """DejaVu Sans from the system fonts or matplotlib's bundled copy."""
    for folder in _FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    try:
        import matplotlib

        bundled = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf" / name
        if bundled.is_file():
            return bundled
    except ImportError:
        pass
    raise SystemExit(f"{name} not found: install fonts-dejavu-core (apt) or matplotlib (pip)")


def build_pdf(source: Path, target: Path) -> None:
    """Typeset ``01-pdf.md`` on A4 pages: letterhead in two columns, bold title and headings."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_title("Báo cáo kiểm điểm tập thể chi bộ (ví dụ)")
    pdf.set_producer("kiemdiem examples")
    pdf.add_font("DejaVu", "", str(find_font("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(find_font("DejaVuSans-Bold.ttf")))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    height = 6.5
    for line in source.read_text(encoding="utf-8").split("\n"):
        text = line.strip()
        if not text:
            pdf.ln(height / 2)
            continue
        if _HEADER_SPLIT.search(text):  # "LEFT      RIGHT" letterhead line
            left, right = re.split(r" {3,}", text, maxsplit=1)
            pdf.set_font("DejaVu", "B", 10.5)
            pdf.cell(0, height, left)
            pdf.set_x(pdf.l_margin)
            pdf.cell(0, height, right, align="R", new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("   "):  # place/date and signature lines: right-hand block
            pdf.set_font("DejaVu", "B" if text.isupper() else "", 11)
            pdf.set_x(pdf.w / 2)
            pdf.cell(pdf.w / 2 - pdf.r_margin, height, text, align="C", new_x="LMARGIN", new_y="NEXT")
        elif text.startswith("BÁO CÁO"):
            pdf.set_font("DejaVu", "B", 13)
            pdf.multi_cell(0, height + 1, text, align="C", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("DejaVu", "B" if _ROMAN_HEADING.match(text) else "", 11)
            pdf.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")
    target.write_bytes(bytes(pdf.output()))


# ------------------------------------------------------------------------------------------- main

OUTPUTS = {
    "02b-truong-phong-bang-so-lieu.docx": ("02b-leader-docx.md", build_docx),
    "01-chi-bo-thon.pdf": ("01-pdf.md", build_pdf),
    "02a-tcvn3-giao-vien.txt": ("02a-tcvn3.txt", lambda s, t: build_legacy_txt(s, t, "tcvn3")),
    "02a-vni-cong-nhan.txt": ("02a-vni.txt", lambda s, t: build_legacy_txt(s, t, "vni")),
}


def build(out_dir: Path = EXAMPLES) -> list[Path]:
    """Build every binary example into ``out_dir``; return the written paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (source, builder) in OUTPUTS.items():
        builder(SOURCES / source, out_dir / name)
        written.append(out_dir / name)
    return written


def main(argv: list[str]) -> None:
    for path in build(Path(argv[1]) if len(argv) > 1 else EXAMPLES):
        print(f"{path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv)
