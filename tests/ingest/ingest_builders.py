"""Fixture builders for the ingest tests: everything is made at test time, nothing binary is committed."""

from __future__ import annotations

import datetime
import io
import struct
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from nlp.ingest.legacy import encode

# ---------------------------------------------------------------------------------------------- text

PARAGRAPHS = [
    "Năm 2024 tôi được phân công phụ trách công tác địa chính; đã cấp mới 118 giấy chứng nhận.",
    "Bản thân còn hạn chế: chưa thật sự gương mẫu, có lúc ngại va chạm, chưa đấu tranh tự phê bình.",
    "Nguyên nhân chủ quan là do tôi chưa lập kế hoạch theo dõi hồ sơ hằng tuần; khách quan là khối lượng công việc nhiều.",
    "Từ tháng 1/2025, tôi sẽ rà soát sổ hẹn trả hồ sơ mỗi thứ Hai và báo cáo chi bộ tại kỳ sinh hoạt quý I.",
]
REPORT = "\n".join(PARAGRAPHS)


def to_legacy(text: str, encoding: str) -> str:
    """Encode Unicode Vietnamese as a legacy font would store it (TCVN3 has no capital toned letters)."""
    return encode(text, encoding)


def legacy_bytes(text: str, encoding: str) -> bytes:
    """The 8-bit file a legacy-font editor saves."""
    return to_legacy(text, encoding).encode("cp1252")


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258: precomposed base letters (â ơ ư đ ...) plus combining tone marks."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += (base + "".join(c for c in parts if c in _TONES)).encode("cp1258")
    return bytes(out)


# ---------------------------------------------------------------------------------------------- docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NAMESPACES = (
    f'xmlns:w="{W_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def run(text: str, *, font: str | None = None, bold: bool = False) -> str:
    """A ``w:r`` with text (``\\n`` → ``w:br``, ``\\t`` → ``w:tab``)."""
    props = ""
    if font:
        props += f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}"/>'
    if bold:
        props += "<w:b/>"
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    inner = []
    for i, line in enumerate(text.split("\n")):
        if i:
            inner.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                inner.append("<w:tab/>")
            if piece:
                inner.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:r>{rpr}{''.join(inner)}</w:r>"


def para(
    *content: str, num: int | None = None, ilvl: int = 0, style: str | None = None, font: str | None = None
) -> str:
    """A ``w:p``; plain strings become runs, strings starting with ``<`` are inserted as XML."""
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num is not None:
        ppr += f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'
    runs = "".join(c if c.startswith("<") else run(c, font=font) for c in content)
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>"


def table(rows: list[list[str]]) -> str:
    """A ``w:tbl``; a cell string starting with ``<`` is inserted as block XML, else one paragraph."""
    xml_rows = []
    for row in rows:
        cells = "".join(f"<w:tc>{c if c.startswith('<') else para(c)}</w:tc>" for c in row)
        xml_rows.append(f"<w:tr>{cells}</w:tr>")
    return f"<w:tbl><w:tblPr/>{''.join(xml_rows)}</w:tbl>"


def numbering(abstracts: dict[int, list[tuple[str, str]]], nums: dict[int, tuple[int, int | None]]) -> str:
    """numbering.xml: abstract lists as levels of (numFmt, lvlText); nums as (abstractId, startOverride)."""
    parts = []
    for abstract_id, levels in abstracts.items():
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
            for i, (fmt, text) in enumerate(levels)
        )
        parts.append(f'<w:abstractNum w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    for num_id, (abstract_id, start) in nums.items():
        override = (
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>' if start is not None else ""
        )
        parts.append(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>')
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {_NAMESPACES}>{"".join(parts)}</w:numbering>'


def docx_bytes(
    body: str,
    *,
    numbering_xml: str | None = None,
    styles_xml: str | None = None,
    header_text: str | None = None,
    main_type: str = MAIN_TYPE,
    document_xml: str | None = None,
) -> bytes:
    """A minimal but valid .docx package around ``body`` (the children of ``w:body``)."""
    overrides = [("/word/document.xml", main_type)]
    rels = []
    parts: dict[str, str] = {}
    extra = {
        "numbering": (numbering_xml, "numbering.xml", "numbering"),
        "styles": (styles_xml, "styles.xml", "styles"),
        "header": (
            header_text and f'<?xml version="1.0" encoding="UTF-8"?><w:hdr {_NAMESPACES}>{para(header_text)}</w:hdr>',
            "header1.xml",
            "header",
        ),
    }
    for key, (xml, name, rel) in extra.items():
        if xml:
            parts[f"word/{name}"] = xml
            overrides.append(
                (f"/word/{name}", f"application/vnd.openxmlformats-officedocument.wordprocessingml.{key}+xml")
            )
            rels.append(f'<Relationship Id="rId{len(rels) + 1}" Type="{_REL}/{rel}" Target="{name}"/>')
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
        + "</Types>"
    )
    package_rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document_rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels)
        + "</Relationships>"
    )
    document = document_xml or (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_NAMESPACES}><w:body>{body}'
        "<w:sectPr/></w:body></w:document>"
    )
    members = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": package_rels,
        "word/document.xml": document,
        "word/_rels/document.xml.rels": document_rels,
        **parts,
    }
    return zip_bytes({name: text.encode("utf-8") for name, text in members.items()})


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, content in members.items():
            zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), content, compress_type=compression)
    return buffer.getvalue()


def bomb_docx(uncompressed_mb: int) -> bytes:
    """A .docx whose document.xml is ``uncompressed_mb`` MiB of ``<w:p/>``, streamed, never held inflated."""
    valid = docx_bytes(para("x"))
    buffer = io.BytesIO(valid)
    chunk = b"<w:p/>" * (1024 * 1024 // 6)
    info = zipfile.ZipInfo("word/bomb.xml", (1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "a") as zf, zf.open(info, "w") as member:
        for _ in range(uncompressed_mb):
            member.write(chunk)
    return buffer.getvalue()


def lie_about_size(data: bytes, member: str, declared: int) -> bytes:
    """Patch the uncompressed size of ``member`` in its local header and the central directory."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(member)
    struct.pack_into("<I", out, info.header_offset + 22, declared)
    name = member.encode("utf-8")
    position = out.find(b"PK\x01\x02", 0)
    while position >= 0:
        (name_len,) = struct.unpack_from("<H", out, position + 28)
        if out[position + 46 : position + 46 + name_len] == name:
            struct.pack_into("<I", out, position + 24, declared)
            break
        position = out.find(b"PK\x01\x02", position + 4)
    return bytes(out)


# ---------------------------------------------------------------------------------------------- pdf

_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)


def dejavu_font() -> Path | None:
    """A Unicode TTF for Vietnamese PDFs, from the system or matplotlib's bundled fonts."""
    for path in _FONT_PATHS:
        if Path(path).is_file():
            return Path(path)
    try:
        import matplotlib

        candidate = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        return candidate if candidate.is_file() else None
    except ImportError:
        return None


def pdf_bytes(pages: list[str], *, font: Path | None = None, image_only: bool = False) -> bytes:
    """A PDF with one page per text (core Helvetica for ASCII, ``font`` for Vietnamese)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    if font:
        pdf.add_font("vn", "", str(font))
        pdf.set_font("vn", size=12)
    else:
        pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if image_only:
            pdf.image(_png(), x=10, y=10, w=50)
        elif text:
            pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def _png() -> io.BytesIO:
    """A tiny grey PNG made with zlib (no Pillow needed by the test itself)."""
    import zlib

    width = height = 8
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return io.BytesIO(png)
