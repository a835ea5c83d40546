"""Tell the format from the bytes, never from the file name.

Returns one of: ``"pdf"``, ``"zip"`` (an OOXML or other ZIP package, see :mod:`nlp.ingest.zipguard`),
``"ole"`` (an OLE2 compound file: encrypted OOXML or a legacy Office file, see :mod:`nlp.ingest.ole`),
``"binary:<kind>"`` for a known non-text format, or ``"text"``.
"""

from __future__ import annotations

import codecs

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF_MAGIC = b"%PDF-"
_PDF_HEADER_WINDOW = 1024  # readers accept junk before the header
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BINARY_MAGICS = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"RIFF", "riff"),
    (b"{\\rtf", "rtf"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"\x7fELF", "elf"),
    (b"%!PS", "postscript"),
    (b"\x00\x00\x01\x00", "ico"),
    (b"wOFF", "woff"),
    (b"OggS", "ogg"),
    (b"ID3", "mp3"),
    (b"\x00\x00\x00\x18ftyp", "mp4"),
    (b"\x00\x00\x00\x20ftyp", "mp4"),
)
_TEXT_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def sniff(data: bytes) -> str:
    """Classify ``data`` by its magic bytes."""
    if data.startswith(_TEXT_BOMS):
        return "text"
    if data.startswith(_PDF_MAGIC) or (_PDF_MAGIC in data[:_PDF_HEADER_WINDOW] and _looks_binary(data)):
        return "pdf"
    if data.startswith(_ZIP_MAGICS):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    for magic, kind in _BINARY_MAGICS:
        if data.startswith(magic):
            return f"binary:{kind}"
    return "text"


def _looks_binary(data: bytes) -> bool:
    """A PDF header after some junk counts only when the file is not a plain text mentioning '%PDF-'."""
    head = data[:4096]
    return b"\x00" in head or (b"%%EOF" in data[-2048:] and any(b > 0x7F for b in head))
