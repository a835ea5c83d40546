"""Ingest: turn a file or bytes into Unicode text, or refuse with a documented :mod:`nlp.errors` error.

Contract (used by ``nlp.analyze_file``, the CLI, and later the API and batch):

- ``read_file(path, limits=None) -> IngestedText``
- ``read_bytes(data, filename=None, limits=None) -> IngestedText`` (format sniffed from content, the
  filename extension is only a hint and never trusted over the bytes)

Both raise only :class:`nlp.errors.InputError` subclasses on bad input.

Modules, one job each: ``sniff`` (format from magic bytes), ``text`` (strict decoding order: BOM →
BOM-less UTF-16 → UTF-8 → TCVN3/VNI → Windows-1258), ``legacy`` (scored TCVN3/VNI detection, viparse
conversion), ``zipguard`` (zip-bomb limits, bounded inflation), ``docx`` + ``numbering`` (body order,
tables, list numbers), ``pdf`` (pypdf, scans, encryption), ``ole`` (encrypted OOXML vs legacy .doc) and
``reader`` (dispatch and the final empty/size checks).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IngestLimits:
    """Safety limits; the defaults suit one report."""

    max_text_chars: int = 2_000_000  # text over this (after decoding) is refused
    max_file_bytes: int = 20 * 1024 * 1024  # raw file size
    max_unzipped_bytes: int = 50 * 1024 * 1024  # .docx: total uncompressed size, declared and actual
    max_zip_ratio: float = 200.0  # .docx: worst member compression ratio
    max_zip_members: int = 2_000  # .docx: number of members
    max_pdf_pages: int = 200


@dataclass(frozen=True)
class IngestedText:
    """Decoded text of one input and how it was obtained (no normalisation yet)."""

    text: str
    format: str  # "txt" | "docx" | "pdf"
    encoding: str | None = None  # txt: "utf-8", "utf-8-sig", "utf-16", "windows-1258", ...
    legacy_font: str | None = None  # "tcvn3" | "vni" when legacy font text was converted
    notes: list[str] = field(default_factory=list)  # non-personal facts, e.g. "converted from TCVN3"


def read_file(path: str | os.PathLike[str], limits: IngestLimits | None = None) -> IngestedText:
    """Read a .docx, .pdf or .txt file (format sniffed from content) into text."""
    from nlp.ingest.reader import read_file as _read_file

    return _read_file(path, limits)


def read_bytes(data: bytes, filename: str | None = None, limits: IngestLimits | None = None) -> IngestedText:
    """Read an uploaded file's bytes; ``filename`` is only a hint, the content decides the format."""
    from nlp.ingest.reader import read_bytes as _read_bytes

    return _read_bytes(data, filename, limits)


__all__ = ["IngestLimits", "IngestedText", "read_bytes", "read_file"]
